"""Benchmark the learner dashboard for a big learner (`make bench`; not a test).

Creates (or re-creates) a bench learner, bench-learner@bench.invalid, enrolled
on three published 2,000-item roadmaps (slugs `bench-dash-1`…, built like
bench_roadmap_page's `bench-2000`) with ~1,500 item progress rows, ~500 study
log entries over the last year, two planned breaks and a few metric entries;
and a one-item learner (bench-learner-one@bench.invalid on `bench-dash-one`)
for contrast. Then, with Django's test client signed in as each, it prints the
dashboard's queries and times (the dashboard is rendered on every request;
nothing of a learner's is cached):

- first view: the learner's first dashboard of the run;
- repeat views: the same page again, nothing changed in between;
- after a write: a real POST first (an item's state changed through the
  item-state endpoint, as the roadmap page's htmx does), then a view: the
  page a learner actually opens next.

The first request of the process (template compilation) is timed apart so it
does not count against either learner. Only the bench rows are touched: the
learners (and, by CASCADE, everything they own) and the `bench-dash-`
roadmaps. The data stays in place for ../shared/bench/pagebench.py;
`--delete` removes it.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries, transaction
from django.db.models import ProtectedError
from django.db.utils import DatabaseError
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from config.logging import request_log_quieted
from progress import summaries
from progress.management.commands.seed_load import BATCH
from progress.models import (
    Enrolment,
    EnrolmentStatus,
    ItemProgress,
    ItemState,
    MetricEntry,
    PlannedBreak,
    StudyEntry,
)
from progress.schedule import local_today, week_start
from roadmaps.management.commands.bench_roadmap_page import Command as RoadmapBench
from roadmaps.models import Item, MetricDefinition, Roadmap

LEARNER_EMAIL = "bench-learner@bench.invalid"  # .invalid: never a real address (RFC 2606)
SMALL_EMAIL = "bench-learner-one@bench.invalid"
SLUG_PREFIX = "bench-dash-"
SMALL_SLUG = "bench-dash-one"
ROADMAPS = 3
PATH = "/dashboard/"


class Command(BaseCommand):
    help = "Create a bench learner on three 2,000-item roadmaps and time their dashboard (repeat views, after a write)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--items", type=int, default=2000, help="items per bench roadmap (default: 2000)")
        parser.add_argument("--steps", type=int, default=50, help="steps per bench roadmap (default: 50)")
        parser.add_argument("--rows", type=int, default=1500, help="item progress rows in all (default: 1500)")
        parser.add_argument("--study", type=int, default=500, help="study log entries in all (default: 500)")
        parser.add_argument("--runs", type=int, default=20, help="timed views of each kind (default: 20)")
        parser.add_argument("--seed", type=int, default=1, help="random seed, for repeatable data (default: 1)")
        parser.add_argument("--delete", action="store_true", help="only remove the bench learners and roadmaps")

    def execute(self, *args, **options):
        with request_log_quieted():  # one line per request would bury the figures
            return super().execute(*args, **options)

    def handle(self, *args, items: int, steps: int, rows: int, study: int, runs: int, seed: int, delete: bool,
               **options) -> None:
        if items < 1 or steps < 1 or rows < 0 or study < 0 or runs < 1:
            raise CommandError("Need at least one item, one step and one run, and no negative counts.")
        self._remove()
        if delete:
            self.stdout.write(f"Removed the bench learners and the {SLUG_PREFIX}* roadmaps (if they existed).")
            return

        started = time.perf_counter()
        learner, small = self._create(
            rng=random.Random(seed), items=items, steps=min(steps, items), rows=min(rows, ROADMAPS * items),
            study=study,
        )
        self.stdout.write(
            f"Created {LEARNER_EMAIL}: {ROADMAPS} roadmaps × {items:,} items, "
            f"{ItemProgress.objects.filter(enrolment__user=learner).count():,} progress rows, "
            f"{StudyEntry.objects.filter(user=learner).count():,} study entries, "
            f"{MetricEntry.objects.filter(enrolment__user=learner).count()} metric entries, "
            f"{PlannedBreak.objects.filter(user=learner).count()} planned breaks "
            f"in {time.perf_counter() - started:.1f} s."
        )

        with override_settings(ALLOWED_HOSTS=["testserver"]):
            big_client, small_client = Client(), Client()
            big_client.force_login(learner)
            small_client.force_login(small)
            process_first = self._view(small_client)[1]  # template compilation: paid once per process
            big = self._measure(big_client, learner, runs)
            one = self._measure(small_client, small, runs)
            big_client.logout()  # deletes the sessions force_login made
            small_client.logout()

        self.stdout.write(f"\nGET {PATH}  first request of the process: {process_first:.1f} ms (not counted below)")
        self._report(f"{LEARNER_EMAIL} ({ROADMAPS} × {items:,} items)", big, runs)
        self._report(f"{SMALL_EMAIL} (one item)", one, runs)
        self.stdout.write(
            "\nThe bench learners stay in the database (remove them with `manage.py bench_dashboard --delete`)."
            "\nTo compare with the fastest page of this stack, run from the project folder:"
            f"\n  .venv/bin/python ../shared/bench/pagebench.py --user {LEARNER_EMAIL} {PATH}"
        )

    # --- measuring -----------------------------------------------------------

    def _view(self, client: Client) -> tuple[int, float, int]:
        """One view: (queries, milliseconds, KiB of HTML)."""
        reset_queries()  # each request resets the connection's query log; start from an empty one
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            response = client.get(PATH)
            elapsed = (time.perf_counter() - begin) * 1000
        if response.status_code != 200:
            raise CommandError(f"{PATH} answered {response.status_code}.")
        return len(queries.captured_queries), elapsed, round(len(response.content) / 1024)

    def _write(self, client: Client, row: ItemProgress, state: str) -> None:
        """An item's state change, the learner's commonest write, as the
        roadmap page sends it (htmx: the answer is a fragment, no message is
        queued for the next page)."""
        url = reverse("progress:item_state", args=[row.enrolment_id, row.item_id])
        response = client.post(url, {"state": state}, headers={"HX-Request": "true"})
        if response.status_code != 200:
            raise CommandError(f"POST {url} answered {response.status_code}.")

    def _measure(self, client: Client, user: User, runs: int) -> dict:
        first = self._view(client)
        repeat = [self._view(client) for _ in range(runs)]
        # Back and forth between done and in progress: every POST changes
        # what the dashboard shows, and the data ends as it started.
        row = ItemProgress.objects.filter(enrolment__user=user, state=ItemState.IN_PROGRESS).order_by("pk").first()
        after_write = []
        for n in range(runs):
            if row is not None:
                self._write(client, row, ItemState.DONE if n % 2 == 0 else ItemState.IN_PROGRESS)
            after_write.append(self._view(client))
        if row is not None and runs % 2:
            self._write(client, row, ItemState.IN_PROGRESS)
        return {"first": first, "repeat": repeat, "after_write": after_write}

    def _report(self, label: str, figures: dict, runs: int) -> None:
        queries, first_ms, kib = figures["first"]
        self.stdout.write(f"\n{label}, {kib} KiB of HTML")
        self.stdout.write(f"  first view  : {queries} queries · {first_ms:.1f} ms")
        for name, caption in (("repeat", "repeat views"), ("after_write", "after write ")):
            views = figures[name]
            timings = [ms for _, ms, _ in views]
            self.stdout.write(
                f"  {caption}: {max(q for q, _, _ in views)} queries · mean {statistics.mean(timings):.1f} ms"
                f" · median {statistics.median(timings):.1f} ms · min {min(timings):.1f} ms"
                f" · max {max(timings):.1f} ms  over {runs} views"
            )

    # --- the bench data ------------------------------------------------------

    def _remove(self) -> None:
        """The bench learners first (their progress rows PROTECT the items),
        then the bench roadmaps. Someone else's enrolment on one (seed_load
        enrols its learners on every published roadmap) is never deleted."""
        others = Enrolment.objects.filter(roadmap__slug__startswith=SLUG_PREFIX).exclude(
            user__email__in=[LEARNER_EMAIL, SMALL_EMAIL]
        )
        if count := others.count():
            raise CommandError(
                f"{count} enrolments of other learners are on {SLUG_PREFIX}* roadmaps: the command deletes only"
                " its own rows, so remove those learners' enrolments first."
            )
        try:
            with transaction.atomic():
                User.objects.filter(email__in=[LEARNER_EMAIL, SMALL_EMAIL]).delete()
                Roadmap.objects.filter(slug__startswith=SLUG_PREFIX).delete()
        except (ProtectedError, DatabaseError) as error:
            raise CommandError(f"Could not remove the old {SLUG_PREFIX}* roadmaps: {error}") from None

    @transaction.atomic
    def _create(self, *, rng: random.Random, items: int, steps: int, rows: int, study: int) -> tuple[User, User]:
        now = timezone.now()
        today = local_today("UTC")
        learner = User.objects.create_user(
            LEARNER_EMAIL, display_name="Bench learner", time_zone="UTC", weekly_hours_goal=10
        )
        small = User.objects.create_user(SMALL_EMAIL, display_name="Bench learner (one item)", time_zone="UTC")
        roadmaps = [
            RoadmapBench.create_roadmap(slug=f"{SLUG_PREFIX}{n}", steps=steps, items=items)
            for n in range(1, ROADMAPS + 1)
        ]
        small_roadmap = RoadmapBench.create_roadmap(slug=SMALL_SLUG, steps=1, items=1)
        # The roadmaps were there before the learners enrolled (a year ago at
        # most): items made just now would all be marked "New" on their pages.
        Item.objects.filter(roadmap__in=[*roadmaps, small_roadmap]).update(created_at=now - timedelta(days=400))

        # Enrolled a year, eight months and four months ago.
        enrolments = Enrolment.objects.bulk_create([
            Enrolment(user=learner, roadmap=roadmap, start_date=today - timedelta(days=days),
                      hours_per_week=Decimal(hours), status=EnrolmentStatus.ACTIVE,
                      created_at=now - timedelta(days=days))
            for roadmap, days, hours in zip(roadmaps, (364, 240, 120), (6, 3, 2), strict=True)
        ])
        small_enrolment = Enrolment.objects.create(
            user=small, roadmap=small_roadmap, start_date=today - timedelta(days=7), hours_per_week=Decimal(5),
            created_at=now - timedelta(days=7),
        )

        progress, reached_items = [], {}
        for n, enrolment in enumerate(enrolments):
            # Like seed_load: the learner works through the roadmap in order,
            # most of it done, a few skipped, the last few in progress.
            share = rows // ROADMAPS + (1 if n < rows % ROADMAPS else 0)
            order = list(Item.objects.filter(roadmap=enrolment.roadmap).active().in_reading_order()
                         .values_list("pk", flat=True))[:share]
            reached_items[enrolment.pk] = order
            days = (today - enrolment.start_date).days
            in_progress = max(1, len(order) // 50)
            for index, item_id in enumerate(order):
                if index >= len(order) - in_progress:
                    state = ItemState.IN_PROGRESS
                else:
                    state = ItemState.SKIPPED if rng.random() < 0.05 else ItemState.DONE
                changed = now - timedelta(days=max(0, days - days * index // max(1, len(order))),
                                          hours=rng.randint(0, 23))
                done = state == ItemState.DONE
                progress.append(ItemProgress(
                    enrolment=enrolment, item_id=item_id, state=state, state_changed_at=changed,
                    started_at=changed, completed_at=changed if done else None,
                    # Some done items rated low (1–2): the revisit list is never empty.
                    confidence=rng.randint(1, 5) if done and rng.random() < 0.3 else None,
                    note="Went back over this twice." if rng.random() < 0.1 else "",
                ))
        progress.append(ItemProgress(
            enrolment=small_enrolment, item=small_roadmap.items.get(), state=ItemState.IN_PROGRESS,
            started_at=now - timedelta(days=2), state_changed_at=now - timedelta(days=2),
        ))
        ItemProgress.objects.bulk_create(progress, batch_size=BATCH)

        entries = []
        for _ in range(study):
            day = today - timedelta(days=rng.randint(0, 364))
            enrolment = rng.choice([e for e in enrolments if e.start_date <= day] or enrolments[:1])
            reached = reached_items[enrolment.pk]
            entries.append(StudyEntry(
                user=learner, enrolment=enrolment, date=day, minutes=rng.choice([20, 30, 45, 60, 90, 120]),
                item_id=rng.choice(reached) if reached and rng.random() < 0.6 else None,
                note="Good session." if rng.random() < 0.1 else "",
            ))
        entries.append(StudyEntry(user=small, enrolment=small_enrolment, date=today - timedelta(days=1), minutes=30))
        StudyEntry.objects.bulk_create(entries, batch_size=BATCH)

        # One break three weeks ago, one planned in a fortnight.
        PlannedBreak.objects.bulk_create(
            PlannedBreak(user=learner, week_start=week_start(today + timedelta(weeks=weeks))) for weeks in (-3, 2)
        )
        metrics = {m.roadmap_id: m for m in MetricDefinition.objects.filter(roadmap__in=roadmaps)}
        MetricEntry.objects.bulk_create(
            MetricEntry(enrolment=enrolment, metric=metrics[enrolment.roadmap_id], amount=rng.randint(1, 5),
                        date=today - timedelta(days=rng.randint(0, (today - enrolment.start_date).days)))
            for enrolment in enrolments for _ in range(4)
        )
        # What the write services keep as rows are written one by one.
        summaries.rebuild(enrolments=[*enrolments, small_enrolment])
        return learner, small
