"""The facts a retrospective form is pre-filled with, computed, never typed.

`compute_facts` reads what it needs in four queries (study minutes per day,
planned breaks, the roadmap's active items, the enrolment's progress rows)
and reuses progress's own arithmetic: `stats` for the streaks and
`learner.build_learner_state` → `schedule.pace_status` for on track / behind
/ ahead, so the figures agree with the dashboard. The result is plain JSON,
stored on the retrospective as the snapshot the learner saw.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum

from progress.learner import build_learner_state, load_progress_rows, reading_order
from progress.models import Enrolment, ItemState, PlannedBreak, StudyEntry
from progress.studylog import stats
from retrospectives.periods import Period, bounds_in_zone
from roadmaps.models import Item, ItemKind

PROJECTS_LISTED = 10
PACE_LABELS = {"on_track": "On track", "behind": "Behind", "ahead": "Ahead", "not_started": "Not started yet"}


def _hours(minutes: int) -> str:
    return str((Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def compute_facts(*, enrolment: Enrolment, period: Period, today: date) -> dict[str, Any]:
    """Facts for `period` of `enrolment` as of `today` (the learner's date).
    `enrolment` should come with `with_pause_time()` and its roadmap and user."""
    user = enrolment.user
    first, after = bounds_in_zone(period, user.time_zone)

    # Study minutes: this enrolment's within the period; all of the learner's
    # for the streaks (a streak is about the learner, as on the dashboard).
    days: dict[date, int] = defaultdict(int)
    logged = 0
    per_day = (
        StudyEntry.objects.for_user(user).order_by().values_list("date", "enrolment_id").annotate(total=Sum("minutes"))
    )
    for day, enrolment_id, total in per_day:
        days[day] += total
        if enrolment_id == enrolment.pk and period.start <= day <= period.end:
            logged += total
    breaks = set(PlannedBreak.objects.filter(user=user).values_list("week_start", flat=True))
    as_of = min(today, period.end)
    weekly = stats.weekly_streak(
        stats.minutes_by_week(days),
        target_minutes=round(user.weekly_hours_goal * 60),
        breaks=breaks,
        today=as_of,
    )

    items = list(Item.objects.filter(roadmap_id=enrolment.roadmap_id).active().select_related("step"))
    positions = {item.step_id: item.step.position for item in items if item.step_id}
    items = reading_order(items, positions)
    rows = load_progress_rows(enrolment)
    completed = skipped = 0
    projects = []
    for row in rows:
        if row.state == ItemState.DONE and row.completed_at and first <= row.completed_at < after:
            completed += 1
            if row.item.kind == ItemKind.PROJECT and (row.repo_url or row.live_url):
                projects.append({"title": row.item.title, "repo_url": row.repo_url, "live_url": row.live_url})
        elif row.state == ItemState.SKIPPED and first <= row.state_changed_at < after:
            skipped += 1
    learner = build_learner_state(enrolment=enrolment, items=items, rows=rows, today=today)
    pace = learner.pace
    planned = Decimal(enrolment.hours_per_week) * period.interval_weeks
    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label},
        "computed_on": today.isoformat(),
        "hours_logged": _hours(logged),
        "hours_planned": str(planned.quantize(Decimal("0.1"))),
        "hours_per_week": str(Decimal(enrolment.hours_per_week).quantize(Decimal("0.1"))),
        "items_completed": completed,
        "items_skipped": skipped,
        "projects": projects[:PROJECTS_LISTED],
        "projects_count": len(projects),
        "daily_streak": stats.daily_streak(days, as_of),
        "weekly_streak": weekly.weeks,
        "pace": {
            "status": pace.status,
            "label": PACE_LABELS.get(pace.status, pace.status),
            "hours_off": str(pace.hours_off),
            "progress_percent": learner.progress.percent,
        },
    }
