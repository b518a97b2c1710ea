"""Benchmark the roadmap page on a big roadmap (`make bench`; not a test).

Creates (or re-creates) a published roadmap with the slug `bench-2000` —
50 steps × 40 items by default — renders its page several times with
Django's test client as an anonymous visitor, and prints the SQL query count
and the render times. The roadmap is left in place so that
../shared/bench/pagebench.py can be pointed at it; `--delete` removes it.
"""

from __future__ import annotations

import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries, transaction
from django.db.models import ProtectedError
from django.db.utils import DatabaseError
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from config.logging import request_log_quieted
from roadmaps.models import (
    Guidance,
    GuidanceKind,
    Item,
    ItemKind,
    MetricDefinition,
    PacePlan,
    ResourceKind,
    Roadmap,
    Status,
    Step,
    Tag,
)

KINDS = [ItemKind.TOPIC, ItemKind.RESOURCE, ItemKind.PROJECT, ItemKind.CHECKPOINT]


class Command(BaseCommand):
    help = "Create a 2,000-item bench roadmap and time its page (queries, mean/median render time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", default="bench-2000", help="slug of the bench roadmap (default: bench-2000)")
        parser.add_argument("--steps", type=int, default=50, help="number of steps (default: 50)")
        parser.add_argument("--items", type=int, default=2000, help="total number of items (default: 2000)")
        parser.add_argument("--runs", type=int, default=20, help="timed renders (default: 20)")
        parser.add_argument("--delete", action="store_true", help="only remove the bench roadmap, then stop")

    def execute(self, *args, **options):
        with request_log_quieted():  # one line per request would bury the figures
            return super().execute(*args, **options)

    def handle(self, *args, slug: str, steps: int, items: int, runs: int, delete: bool, **options) -> None:
        if not slug.startswith("bench-"):
            raise CommandError("The bench roadmap's slug must start with 'bench-' so it is never a real roadmap.")
        if steps < 1 or items < steps or runs < 1:
            raise CommandError("Need at least one step, one item per step and one run.")
        existing = Roadmap.objects.filter(slug=slug).first()
        if existing is not None and not delete and existing.enrolments.exists():
            # `seed_load` enrols its load learners on it too: keep it (and them).
            roadmap = existing
            self.stdout.write(
                f"Reusing {slug}: {existing.enrolments.count()} learners follow it "
                f"(remove them, e.g. with seed_load, and pass --delete to rebuild it)."
            )
        else:
            self._remove(slug)
            if delete:
                self.stdout.write(f"Removed the bench roadmap {slug!r} (if it existed).")
                return
            started = time.perf_counter()
            roadmap = self.create_roadmap(slug=slug, steps=steps, items=items)
            self.stdout.write(
                f"Created {slug}: {steps} steps, {items} items in {time.perf_counter() - started:.1f} s."
            )

        path = roadmap.get_absolute_url()
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            client = Client()
            warm = client.get(path)  # fills template and Markdown caches
            if warm.status_code != 200:
                raise CommandError(f"{path} answered {warm.status_code}.")
            # Each request resets the connection's query log; start from an empty one.
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            timings = []
            for _ in range(runs):
                begin = time.perf_counter()
                client.get(path)
                timings.append((time.perf_counter() - begin) * 1000)

        self.stdout.write(f"\nGET {path}  ({len(warm.content) / 1024:.0f} KiB of HTML, anonymous visitor)")
        self.stdout.write(f"  queries : {len(queries.captured_queries)}")
        self.stdout.write(
            f"  render  : mean {statistics.mean(timings):.1f} ms · median {statistics.median(timings):.1f} ms"
            f" · min {min(timings):.1f} ms · max {max(timings):.1f} ms  over {runs} runs"
        )
        self.stdout.write(
            "\nThe bench roadmap stays in the database (remove it with `manage.py bench_roadmap_page --delete`)."
            "\nTo compare it with the fastest page of this stack, run from the project folder:"
            f"\n  .venv/bin/python ../shared/bench/pagebench.py --queries-only {path}"
            f"\n  .venv/bin/python ../shared/bench/pagebench.py {path}      # adds the load test (needs wrk)"
            f"\n  .venv/bin/python ../shared/bench/pagebench.py --user learner@example.com {path}"
        )

    def _remove(self, slug: str) -> None:
        try:
            Roadmap.objects.filter(slug=slug).delete()
        except ProtectedError as error:
            # Not the error itself: it lists every protected row, megabytes for load learners.
            raise CommandError(
                f"Could not remove the bench roadmap {slug!r}: {len(error.protected_objects)} learner rows "
                f"depend on it (seed_load's load learners?). Remove those learners first."
            ) from None
        except DatabaseError as error:
            raise CommandError(f"Could not remove the old bench roadmap {slug!r}: {error}") from None

    @staticmethod
    @transaction.atomic
    def create_roadmap(*, slug: str, steps: int, items: int) -> Roadmap:
        """The published bench roadmap (also built by progress's bench_dashboard)."""
        weeks_per_step = 2
        roadmap = Roadmap.objects.create(
            slug=slug,
            title=f"Bench roadmap ({items:,} item{'' if items == 1 else 's'})",
            summary="A generated roadmap for measuring the roadmap page. Not real content.",
            description="Generated by `manage.py bench_roadmap_page`. **Markdown** with a [link](https://example.org).",
            audience="Benchmarks.",
            prerequisites="None\nReally none",
            outcomes="Numbers\nMore numbers",
            duration_weeks=steps * weeks_per_step,
            weekly_hours=10,
            status=Status.PUBLISHED,
        )
        for name in ("Python", "SQL", "Benchmarks"):
            tag, _ = Tag.objects.get_or_create(slug=name.lower(), defaults={"name": name})
            roadmap.tags.add(tag)
        step_rows = Step.objects.bulk_create(
            Step(
                roadmap=roadmap, key=f"step-{s}", position=s, title=f"Step {s + 1}", duration_weeks=weeks_per_step,
                goal=f"Goal of step {s + 1}, with *emphasis*.", motto="Keep going",
                weekly_goals=f"{s * weeks_per_step + 1}: First week of step {s + 1}",
                success_metric="You can explain it to a friend.",
            )
            for s in range(steps)
        )
        # Spread the items over the steps; a few stay roadmap-wide.
        rows = []
        for n in range(items):
            step = step_rows[n % steps]
            index = n // steps
            kind = KINDS[index % 4]
            rows.append(
                Item(
                    roadmap=roadmap, step=step, kind=kind, key=f"i{n}", position=index, title=f"Item {n}",
                    body="Some body text with `code`." if n % 3 == 0 else "",
                    url=f"https://example.org/item/{n}" if kind in (ItemKind.TOPIC, ItemKind.RESOURCE) else "",
                    estimated_hours=Decimal("1.5"),
                    resource_kind=ResourceKind.ARTICLE if kind == ItemKind.RESOURCE else "",
                    why="Because it matters." if kind == ItemKind.RESOURCE else "",
                    skills="Python, SQL" if kind == ItemKind.PROJECT else "",
                    week=(step.position * weeks_per_step + 1) if kind == ItemKind.CHECKPOINT else None,
                )
            )
        Item.objects.bulk_create(rows, batch_size=500)
        PacePlan.objects.bulk_create(
            PacePlan(roadmap=roadmap, key=key, name=key.title(), position=p, hours_per_week=hours,
                     is_recommended=key == "balanced")
            for p, (key, hours) in enumerate([("intensive", 30), ("balanced", 15), ("casual", 6)])
        )
        Guidance.objects.bulk_create(
            [Guidance(roadmap=roadmap, kind=kind, position=p, title=f"{kind} {p}", body="Advice.")
             for kind in (GuidanceKind.TIP, GuidanceKind.MISTAKE, GuidanceKind.QUICK_WIN) for p in range(5)]
            + [Guidance(roadmap=roadmap, kind=GuidanceKind.SCHEDULE, position=p, day=day, hours=3, title="Study")
               for p, day in enumerate(["mon", "wed", "sat"])]
        )
        MetricDefinition.objects.create(roadmap=roadmap, key="katas", name="Katas", target=100, position=0)
        return roadmap
