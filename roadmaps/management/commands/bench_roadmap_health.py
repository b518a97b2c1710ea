"""Benchmark the editors' roadmap health page's figures (not a test).

Builds, inside a transaction that is rolled back at the end (nothing stays in
the database), a roadmap of 10 steps × 10 items with 10,000 learners by
default: each has ticked, skipped and logged time on the items of the steps
they reached, some long ago. Then times `roadmap_health` and prints its query
count and the times, e.g.

    manage.py bench_roadmap_health
    DATABASE_URL=postgres://… manage.py bench_roadmap_health --learners 10000
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from roadmaps.admin import health as health_module
from roadmaps.admin.health import roadmap_health
from roadmaps.models import Item, ItemKind, Roadmap, Status, Step


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the roadmap health figures with many learners (built and rolled back)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--learners", type=int, default=10_000)
        parser.add_argument("--steps", type=int, default=10)
        parser.add_argument("--items", type=int, default=10, help="items per step")
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, learners: int, steps: int, items: int, runs: int, **options) -> None:
        if learners < 1 or steps < 1 or items < 1 or runs < 1:
            raise CommandError("Need at least one learner, step, item and run.")
        try:
            with transaction.atomic():
                self._bench(learners, steps, items, runs)
                raise _Rollback
        except _Rollback:
            self.stdout.write("Rolled back: nothing was kept.")

    def _bench(self, learners: int, steps: int, items: int, runs: int) -> None:
        started = time.perf_counter()
        roadmap = self._build(learners, steps, items)
        self.stdout.write(f"Built {learners:,} learners on {steps} × {items} items in "
                          f"{time.perf_counter() - started:.1f} s ({connection.vendor}).")
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                health = roadmap_health(roadmap)
                times.append((time.perf_counter() - began) * 1000)
        for name in ("_medians", "_reached", "_skipped"):
            began = time.perf_counter()
            getattr(health_module, name)(roadmap)
            self.stdout.write(f"  {name}: {(time.perf_counter() - began) * 1000:.0f} ms")
        began = time.perf_counter()
        health_module._stalled(roadmap, timezone.now() - timedelta(weeks=3))
        self.stdout.write(f"  _stalled: {(time.perf_counter() - began) * 1000:.0f} ms")
        self.stdout.write(
            f"roadmap_health: {len(queries.captured_queries)} queries; "
            f"median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, max {max(times):.0f} ms "
            f"over {runs} runs; {health.learners:,} current learners, "
            f"{sum(row.stalled for row in health.steps):,} stalled."
        )

    def _build(self, learners: int, steps: int, items: int) -> Roadmap:
        rng = random.Random(15)
        roadmap = Roadmap.objects.create(slug="bench-health", title="Bench health", summary="Bench.",
                                         status=Status.PUBLISHED)
        step_rows = Step.objects.bulk_create(
            Step(roadmap=roadmap, key=f"s{n}", position=n, title=f"Step {n}") for n in range(steps)
        )
        step_rows = list(Step.objects.filter(roadmap=roadmap).order_by("position"))
        Item.objects.bulk_create(
            Item(roadmap=roadmap, step=step, kind=ItemKind.TOPIC, key=f"s{step.position}-i{n}", position=n,
                 title=f"Item {step.position}.{n}", estimated_hours=Decimal(2))
            for step in step_rows for n in range(items)
        )
        by_step = [list(Item.objects.filter(step=step).order_by("position")) for step in step_rows]
        progress = Item._meta.get_field("learner_progress").related_model
        study = Item._meta.get_field("study_entries").related_model
        enrolment_model = roadmap._meta.get_field("enrolments").related_model
        User = get_user_model()
        users = User.objects.bulk_create(
            User(email=f"bench-health-{n}@example.invalid", password="!") for n in range(learners)
        )
        users = list(User.objects.filter(email__startswith="bench-health-").order_by("pk"))
        enrolment_model.objects.bulk_create(
            enrolment_model(user=user, roadmap=roadmap, hours_per_week=Decimal(10), start_date=date.today())
            for user in users
        )
        enrolments = list(enrolment_model.objects.filter(roadmap=roadmap).select_related("user"))
        now = timezone.now()
        ticks, logs = [], []
        for enrolment in enrolments:
            reached = rng.randint(0, steps - 1)
            when = now - timedelta(days=rng.randint(0, 60))
            for step_items in by_step[: reached + 1]:
                for item in step_items[: rng.randint(1, items)]:
                    state = "skipped" if rng.random() < 0.1 else "done"
                    ticks.append(progress(enrolment=enrolment, item=item, state=state, state_changed_at=when))
                    if rng.random() < 0.5:
                        logs.append(study(user=enrolment.user, enrolment=enrolment, item=item, date=when.date(),
                                          minutes=rng.randint(15, 240), created_at=when))
            if len(ticks) > 20_000:
                progress.objects.bulk_create(ticks, batch_size=2000)
                study.objects.bulk_create(logs, batch_size=2000)
                ticks, logs = [], []
        progress.objects.bulk_create(ticks, batch_size=2000)
        study.objects.bulk_create(logs, batch_size=2000)
        return roadmap
