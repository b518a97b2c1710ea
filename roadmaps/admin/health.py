"""Roadmap health for editors: per step, how many learners reached it, the
median hours they logged against the estimate, the share who stalled there,
and the items most often skipped.

Every figure is an aggregate computed by the database, in a fixed number of
queries whatever the number of learners (the bench_roadmap_health command
measures it with 10,000). Learner rows are reached through the relations
learner state puts on content (`Item.learner_progress`, `Item.study_entries`,
`Roadmap.enrolments`), so content never imports the progress app; the state
names below are that app's stored values.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from statistics import median

from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext

from roadmaps.models import Item, Roadmap, Step

# progress.models.ItemState / EnrolmentStatus values (stored strings).
NOT_STARTED, SKIPPED = "not_started", "skipped"
CURRENT_STATUSES = ("active", "paused")
DEFAULT_STALL_WEEKS = 3
MOST_SKIPPED = 3


@dataclass
class StepHealth:
    step: Step | None  # None: the roadmap-wide items
    estimate: Decimal | None
    reached: int = 0
    median_hours: float | None = None
    logged_by: int = 0
    stalled: int = 0
    skipped: list[tuple[Item, int]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.step.title if self.step else gettext("Roadmap-wide items")

    @property
    def stalled_share(self) -> float | None:
        return self.stalled / self.reached if self.reached else None

    @property
    def ratio(self) -> float | None:
        """Median logged hours over the estimate: 1.0 is on estimate, 2.0 twice as long."""
        if self.median_hours is None or not self.estimate:
            return None
        return self.median_hours / float(self.estimate)


@dataclass
class RoadmapHealth:
    roadmap: Roadmap
    stall_weeks: int
    learners: int
    never_started: int
    steps: list[StepHealth]


def _estimates(roadmap: Roadmap, steps: list[Step]) -> dict[int | None, Decimal | None]:
    summed = dict(
        Item.objects.filter(roadmap=roadmap).active().order_by().values_list("step_id")
        .annotate(hours=Sum("estimated_hours"))
    )
    return {step.pk: step.estimated_hours or summed.get(step.pk) for step in steps} | {None: summed.get(None)}


def _progress_model():
    return Item._meta.get_field("learner_progress").related_model


def _study_model():
    return Item._meta.get_field("study_entries").related_model


def _medians(roadmap: Roadmap) -> dict[int | None, tuple[float, int]]:
    """step id → (median of each learner's hours logged on the step's items, learners who logged)."""
    per_learner = (
        _study_model().objects.filter(item__roadmap=roadmap, enrolment__isnull=False)
        .order_by()
        .values("item__step_id", "enrolment_id")
        .annotate(total=Sum("minutes"))
    )
    if connection.vendor == "postgresql":
        # The median in the database too: one row a step instead of one a learner and step.
        sql, params = per_learner.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT step_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY total), count(*) "
                f"FROM ({sql}) AS per_learner (step_id, enrolment_id, total) GROUP BY step_id",  # noqa: S608
                params,
            )
            return {step_id: (float(value) / 60, n) for step_id, value, n in cursor.fetchall()}
    minutes: dict[int | None, list[int]] = defaultdict(list)
    for step_id, _, total in per_learner.values_list("item__step_id", "enrolment_id", "total"):
        minutes[step_id].append(total)
    return {step_id: (median(values) / 60, len(values)) for step_id, values in minutes.items()}


def _reached(roadmap: Roadmap) -> dict[int | None, int]:
    """step id → enrolments that started, finished or skipped anything in it."""
    return dict(
        _progress_model().objects.filter(item__roadmap=roadmap).exclude(state=NOT_STARTED)
        .order_by().values_list("item__step_id")
        .annotate(n=Count("enrolment_id", distinct=True))
    )


def _stalled(roadmap: Roadmap, cutoff) -> tuple[dict[int | None, int], int, int]:
    """(step id → current learners whose last activity, on that step, is older
    than `cutoff`; learners; current learners who never started an item)."""
    latest = _progress_model().objects.filter(enrolment=OuterRef("pk")).exclude(state=NOT_STARTED).order_by(
        "-state_changed_at"
    )
    logged = _study_model().objects.filter(enrolment=OuterRef("pk")).order_by("-created_at")
    current = roadmap.enrolments.filter(status__in=CURRENT_STATUSES).annotate(
        last_step=Subquery(latest.values("item__step_id")[:1]),
        last_tick=Subquery(latest.values("state_changed_at")[:1]),
        last_log=Subquery(logged.values("created_at")[:1]),
    ).annotate(last_at=Greatest(Coalesce("last_tick", "last_log"), Coalesce("last_log", "last_tick")))
    counts = current.order_by().aggregate(
        learners=Count("pk"),
        never=Count("pk", filter=Q(last_tick__isnull=True)),
    )
    stalled = dict(
        current.filter(last_tick__isnull=False, last_at__lt=cutoff).order_by()
        .values_list("last_step").annotate(n=Count("pk"))
    )
    return stalled, counts["learners"], counts["never"]


def _skipped(roadmap: Roadmap) -> dict[int | None, list[tuple[Item, int]]]:
    rows = (
        Item.objects.filter(roadmap=roadmap).active()
        .annotate(skips=Count("learner_progress", filter=Q(learner_progress__state=SKIPPED)))
        .filter(skips__gt=0).order_by("-skips", "position", "pk")
    )
    found: dict[int | None, list[tuple[Item, int]]] = defaultdict(list)
    for item in rows:
        if len(found[item.step_id]) < MOST_SKIPPED:
            found[item.step_id].append((item, item.skips))
    return found


def roadmap_health(roadmap: Roadmap, *, stall_weeks: int = DEFAULT_STALL_WEEKS) -> RoadmapHealth:
    steps = list(Step.objects.filter(roadmap=roadmap).order_by("position"))
    estimates = _estimates(roadmap, steps)
    medians, reached, skipped = _medians(roadmap), _reached(roadmap), _skipped(roadmap)
    stalled, learners, never = _stalled(roadmap, timezone.now() - timedelta(weeks=stall_weeks))
    rows = []
    for step in [*steps, None]:
        step_id = step.pk if step else None
        if step is None and estimates[None] is None and not reached.get(None):
            continue  # no roadmap-wide items worth a row
        median_hours, logged_by = medians.get(step_id, (None, 0))
        rows.append(StepHealth(
            step=step, estimate=estimates[step_id], reached=reached.get(step_id, 0), median_hours=median_hours,
            logged_by=logged_by, stalled=stalled.get(step_id, 0), skipped=skipped.get(step_id, []),
        ))
    return RoadmapHealth(roadmap=roadmap, stall_weeks=stall_weeks, learners=learners, never_started=never,
                         steps=rows)
