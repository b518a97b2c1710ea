"""Benchmark the group page of a 200-member group (not a test).

Creates (or re-creates) a study group, "Bench group", on a generated
150-item roadmap (`bench-group`), with an organiser
(bench-group-organiser@bench.invalid) and members bench-group-N@bench.invalid,
every one enrolled 2–16 weeks ago at their own pace with progress to match
(some ahead, most behind, a few quiet), study time over the last eight
weeks, a third sharing streaks, some retrospectives shared. Then, with
Django's test client signed in as the organiser, it prints the page's
queries and times: repeat views, and views right after a write (the
organiser ticks an item of their own, as the roadmap page does). Last, the
pagebench command that measures the same against the stack's baseline.

The data stays for pagebench; `--delete` removes it (the bench users, by
CASCADE everything of theirs, the group and the roadmap).
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts.models import User
from config.logging import request_log_quieted
from groups.models import Membership, Role, SharedRetrospective, StudyGroup, Visibility
from groups.services import group_create
from progress import summaries
from progress.models import Enrolment, ItemProgress, ItemState, StudyEntry
from progress.schedule import item_hours, local_today
from retrospectives.models import Retrospective
from roadmaps.management.commands.bench_roadmap_page import Command as RoadmapBench
from roadmaps.models import Item, Roadmap

ORGANISER = "bench-group-organiser@bench.invalid"  # .invalid: never a real address (RFC 2606)
MEMBER = "bench-group-{}@bench.invalid"
SLUG = "bench-group"
NAME = "Bench group"


class Command(BaseCommand):
    help = "Create a 200-member study group and time its page (repeat views, right after a write)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=200, help="members besides the organiser (default: 200)")
        parser.add_argument("--items", type=int, default=150, help="items of the group's roadmap (default: 150)")
        parser.add_argument("--runs", type=int, default=20, help="timed views of each kind (default: 20)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--delete", action="store_true", help="only remove the bench group and its users")

    def execute(self, *args, **options):
        with request_log_quieted():
            return super().execute(*args, **options)

    def handle(self, *args, members: int, items: int, runs: int, seed: int, delete: bool, **options) -> None:
        if members < 1 or items < 1 or runs < 1:
            raise CommandError("Need at least one member, one item and one run.")
        self._remove()
        if delete:
            self.stdout.write("Removed the bench group, its users and its roadmap (if they existed).")
            return
        started = time.perf_counter()
        group, organiser, row = self._create(rng=random.Random(seed), members=members, items=items)
        self.stdout.write(
            f"Created {NAME!r}: {members + 1} members on a {items}-item roadmap, "
            f"{ItemProgress.objects.filter(enrolment__roadmap=group.roadmap).count():,} progress rows, "
            f"{StudyEntry.objects.filter(enrolment__roadmap=group.roadmap).count():,} study entries "
            f"in {time.perf_counter() - started:.1f} s."
        )
        path = reverse("groups:detail", args=[group.pk])
        state_url = reverse("progress:item_state", args=[row.enrolment_id, row.item_id])
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            client = Client()
            client.force_login(organiser)
            self._view(client, path)  # template compilation: paid once per process
            repeat = [self._view(client, path) for _ in range(runs)]
            after = []
            for n in range(runs):
                state = ItemState.DONE if n % 2 == 0 else ItemState.IN_PROGRESS
                response = client.post(state_url, {"state": state}, headers={"HX-Request": "true"})
                if response.status_code != 200:
                    raise CommandError(f"POST {state_url} answered {response.status_code}.")
                after.append(self._view(client, path))
            client.post(state_url, {"state": ItemState.IN_PROGRESS}, headers={"HX-Request": "true"})
            client.logout()
        for caption, views in (("repeat views", repeat), ("after a write", after)):
            timings = [ms for _, ms, _ in views]
            self.stdout.write(
                f"GET {path} {caption}: {max(q for q, _, _ in views)} queries · {views[0][2]} KiB · "
                f"median {statistics.median(timings):.1f} ms · min {min(timings):.1f} ms over {runs} views"
            )
        self.stdout.write(
            "\nAgainst the stack's baseline, right after the organiser's write (from the project folder):\n"
            f"  .venv/bin/python ../shared/bench/pagebench.py --queries-only --user {ORGANISER} \\\n"
            f"      --after-post {state_url} --data state=done --data state=in_progress {path}"
        )

    def _view(self, client: Client, path: str) -> tuple[int, float, int]:
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - begin) * 1000
        if response.status_code != 200:
            raise CommandError(f"{path} answered {response.status_code}.")
        return len(queries.captured_queries), elapsed, round(len(response.content) / 1024)

    def _remove(self) -> None:
        with transaction.atomic():
            StudyGroup.objects.filter(name=NAME, memberships__user__email=ORGANISER).delete()
            User.objects.filter(email__endswith="@bench.invalid", email__startswith="bench-group-").delete()
            Roadmap.objects.filter(slug=SLUG).delete()

    @transaction.atomic
    def _create(self, *, rng: random.Random, members: int, items: int):
        roadmap = RoadmapBench.create_roadmap(slug=SLUG, steps=max(1, items // 12), items=items)
        content = list(Item.objects.filter(roadmap=roadmap).active().in_reading_order())
        organiser = User.objects.create_user(ORGANISER, display_name="Organiser Olu", time_zone="Europe/London")
        users = User.objects.bulk_create(
            User(email=MEMBER.format(n), display_name=f"Member {n:03d}", time_zone=rng.choice(
                ["Europe/London", "Europe/Madrid", "America/New_York", "Asia/Kolkata"]))
            for n in range(members)
        )
        group = group_create(user=organiser, name=NAME, roadmap=roadmap, members_see=Visibility.EVERYONE,
                             description="Generated by `manage.py bench_group`.")
        memberships = Membership.objects.bulk_create(
            Membership(group=group, user=user, role=Role.ORGANISER if n < 2 else Role.MEMBER,
                       share_streaks=n % 3 == 0, show_to_members=n % 2 == 0, share_hours=n % 10 != 0)
            for n, user in enumerate(users)
        )
        today = local_today("UTC")
        enrolments = Enrolment.objects.bulk_create(
            Enrolment(user=user, roadmap=roadmap, hours_per_week=Decimal(rng.choice([3, 5, 8, 10, 12])),
                      start_date=today - timedelta(days=rng.randrange(14, 112)))
            for user in [organiser, *users]
        )
        total = sum(float(item_hours(item.kind, item.estimated_hours)) for item in content)
        rows, entries = [], []
        for enrolment in enrolments:
            # Progress near the plan: 30 % to 120 % of the hours due by today
            # (never all of it: everyone has something in progress).
            due = float(enrolment.hours_per_week) * (today - enrolment.start_date).days / 7
            target = min(due * rng.uniform(0.3, 1.2), total * 0.7)
            done, index = 0.0, 0
            while index < len(content) and done < target:
                item = content[index]
                state = ItemState.SKIPPED if rng.random() < 0.05 else ItemState.DONE
                rows.append(ItemProgress(enrolment=enrolment, item=item, state=state, note="bench note"))
                if state == ItemState.DONE:
                    done += float(item_hours(item.kind, item.estimated_hours))
                index += 1
            for item in content[index:index + 2]:
                rows.append(ItemProgress(enrolment=enrolment, item=item, state=ItemState.IN_PROGRESS))
            quiet = rng.random() < 0.15  # a few went quiet weeks ago
            for _ in range(rng.randrange(4, 24)):
                entries.append(StudyEntry(
                    user_id=enrolment.user_id, enrolment=enrolment, minutes=rng.randrange(20, 120),
                    date=today - timedelta(days=rng.randrange(21 if quiet else 0, 56)),
                ))
        ItemProgress.objects.bulk_create(rows, batch_size=1000)
        StudyEntry.objects.bulk_create(entries, batch_size=1000)
        summaries.rebuild(enrolments=enrolments)
        for membership, enrolment in zip(memberships[::5], enrolments[1::5], strict=False):
            retro = Retrospective.objects.create(
                enrolment=enrolment, cycle_start=enrolment.start_date, period_index=0, status="submitted",
                submitted_at=enrolment.created_at, period_start=enrolment.start_date,
                period_end=enrolment.start_date + timedelta(days=13),
            )
            SharedRetrospective.objects.create(membership=membership, retrospective=retro)
        row = ItemProgress.objects.filter(enrolment=enrolments[0], state=ItemState.IN_PROGRESS).order_by("pk").first()
        return group, organiser, row
