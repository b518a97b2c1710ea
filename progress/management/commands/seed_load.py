"""Create many realistic learners with progress, for benchmarks.

    python manage.py seed_load --learners 1000 [--roadmap SLUG] [--seed 1]

Learners are load-0001@example.com…; running the command again deletes them
(and everything they own) and creates them afresh. Everything is written with
bulk_create, in one transaction.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from progress import summaries
from progress.models import (
    Enrolment,
    EnrolmentStatus,
    ItemProgress,
    ItemState,
    MetricEntry,
    StudyEntry,
)
from roadmaps.models import Item, MetricDefinition, Roadmap

EMAIL_PATTERN = "load-{:04d}@example.com"
EMAIL_PREFIX = "load-"
BATCH = 2000
FLUSH = 50_000


class Command(BaseCommand):
    help = "Create N load-test learners (load-NNNN@example.com) with enrolments, progress and study logs."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--learners", type=int, required=True)
        parser.add_argument("--roadmap", help="Enrol everyone in this roadmap only (slug).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed, for repeatable data.")

    def handle(self, *args, learners: int, roadmap: str | None, seed: int, **options) -> None:
        if learners < 1:
            raise CommandError("--learners must be at least 1.")
        roadmaps = list(Roadmap.objects.published().order_by("pk"))
        if roadmap:
            roadmaps = [r for r in roadmaps if r.slug == roadmap]
            if not roadmaps:
                raise CommandError(f"No published roadmap with the slug {roadmap!r}.")
        if not roadmaps:
            raise CommandError("There is no published roadmap: load the demo content first.")
        rng = random.Random(seed)
        items = {
            r.pk: list(Item.objects.filter(roadmap=r).active().in_reading_order().values_list("pk", flat=True))
            for r in roadmaps
        }
        metrics = {
            r.pk: list(MetricDefinition.objects.filter(roadmap=r).values_list("pk", flat=True)) for r in roadmaps
        }
        with transaction.atomic():
            deleted = User.objects.filter(email__startswith=EMAIL_PREFIX, email__endswith="@example.com").delete()[0]
            counts = self._create(rng, learners, roadmaps, items, metrics)
        self.stdout.write(
            f"Deleted {deleted} old rows; created {learners} learners, {counts['enrolments']} enrolments, "
            f"{counts['progress']} item progress rows, {counts['study']} study entries, "
            f"{counts['metrics']} metric entries."
        )

    def _create(self, rng, learners, roadmaps, items, metrics) -> dict[str, int]:
        password = make_password("load-test-password")  # hashed once, shared: creating 1,000 users stays fast
        zones = ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney"]
        User.objects.bulk_create(
            [
                User(email=EMAIL_PATTERN.format(n), password=password, display_name=f"Load learner {n}",
                     time_zone=rng.choice(zones), weekly_hours_goal=rng.choice([5, 8, 10, 15, 20]))
                for n in range(1, learners + 1)
            ],
            batch_size=BATCH,
        )
        users = list(User.objects.filter(email__startswith=EMAIL_PREFIX, email__endswith="@example.com"))
        now = timezone.now()
        today = now.date()
        enrolments = []
        for user in users:
            for roadmap in rng.sample(roadmaps, k=min(len(roadmaps), rng.choice([1, 1, 2, 3]))):
                start = today - timedelta(days=rng.randint(0, 200))
                enrolments.append(Enrolment(
                    user=user, roadmap=roadmap, start_date=start, hours_per_week=Decimal(rng.choice([5, 8, 10, 15])),
                    status=EnrolmentStatus.ACTIVE, created_at=now - timedelta(days=(today - start).days),
                ))
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
        enrolments = list(Enrolment.objects.filter(user__in=users).select_related("user"))

        progress, study, metric_entries = [], [], []
        written = 0
        for enrolment in enrolments:
            roadmap_items = items[enrolment.roadmap_id]
            days = (today - enrolment.start_date).days
            # Learners get through the roadmap in order, further the longer they have been at it.
            reached = min(len(roadmap_items), int(len(roadmap_items) * min(1.0, days / 200) * rng.uniform(0.3, 1.2)))
            for index, item_id in enumerate(roadmap_items[: reached + 2]):
                if index < reached:
                    state = ItemState.SKIPPED if rng.random() < 0.05 else ItemState.DONE
                else:
                    state = ItemState.IN_PROGRESS
                changed = now - timedelta(days=max(0, days - index), hours=rng.randint(0, 23))
                progress.append(ItemProgress(
                    enrolment=enrolment, item_id=item_id, state=state, state_changed_at=changed,
                    started_at=changed, completed_at=changed if state == ItemState.DONE else None,
                    confidence=rng.randint(1, 5) if state == ItemState.DONE and rng.random() < 0.3 else None,
                    note="Went back over this twice." if rng.random() < 0.1 else "",
                ))
                if len(progress) >= FLUSH:  # a million rows never sit in memory at once
                    ItemProgress.objects.bulk_create(progress, batch_size=BATCH)
                    written += len(progress)
                    progress = []
            for offset in range(min(days, 120)):
                if rng.random() < 0.45:
                    study.append(StudyEntry(
                        user=enrolment.user, enrolment=enrolment, date=today - timedelta(days=offset),
                        minutes=rng.choice([20, 30, 45, 60, 90, 120]),
                        item_id=rng.choice(roadmap_items[: reached + 1]) if roadmap_items and rng.random() < 0.6
                        else None,
                    ))
            for metric_id in metrics[enrolment.roadmap_id]:
                for _ in range(rng.randint(0, 6)):
                    metric_entries.append(MetricEntry(
                        enrolment=enrolment, metric_id=metric_id, date=today - timedelta(days=rng.randint(0, days)),
                        amount=rng.randint(1, 5),
                    ))
        ItemProgress.objects.bulk_create(progress, batch_size=BATCH)
        written += len(progress)
        StudyEntry.objects.bulk_create(study, batch_size=BATCH)
        MetricEntry.objects.bulk_create(metric_entries, batch_size=BATCH)
        # What the write services would have kept, row by row.
        summaries.rebuild(enrolments=enrolments)
        return {"enrolments": len(enrolments), "progress": written, "study": len(study),
                "metrics": len(metric_entries)}
