"""The facts a retrospective form is pre-filled with, computed, never typed.

`compute_facts` reads what it needs in a fixed number of queries (study
minutes per day, planned breaks, the rows the learner completed or skipped in
the period, the plan repairs they chose, and the learner-state loader's) and reuses progress's own
arithmetic: `stats` for the streaks and `progress.state.load_state` for the
progress and on track / behind / ahead, so the figures agree with the
dashboard and the plan. The result is plain JSON, stored on the retrospective
as the snapshot the learner saw.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext_noop

from progress.models import Enrolment, ItemProgress, ItemState, PlannedBreak, PlanRepair, StudyEntry
from progress.state import load_state
from progress.studylog import stats
from retrospectives.periods import Period, bounds_in_zone
from roadmaps.models import ItemKind

PROJECTS_LISTED = 10
# Kept in English in the facts snapshot; templates translate them on display.
PACE_LABELS = {"on_track": gettext_noop("On track"), "behind": gettext_noop("Behind"), "ahead": gettext_noop("Ahead"),
               "not_started": gettext_noop("Not started yet")}


def _hours(minutes: int) -> str:
    return str((Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def compute_facts(*, enrolment: Enrolment, period: Period, today: date) -> dict[str, Any]:
    """Facts for `period` of `enrolment` as of `today` (the learner's date).
    `enrolment` should come with its roadmap and user."""
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

    # The rows the period's counts are made of (items an editor retired since
    # included: the learner did complete them), not every row.
    rows = (
        ItemProgress.objects.filter(enrolment=enrolment)
        .filter(
            Q(state=ItemState.DONE, completed_at__gte=first, completed_at__lt=after)
            | Q(state=ItemState.SKIPPED, state_changed_at__gte=first, state_changed_at__lt=after)
        )
        .select_related("item")
        .only("state", "item", "repo_url", "live_url", "item__title", "item__kind")
        .order_by("pk")
    )
    completed = skipped = 0
    projects = []
    for row in rows:
        if row.state == ItemState.DONE:
            completed += 1
            if row.item.kind == ItemKind.PROJECT and (row.repo_url or row.live_url):
                projects.append({"title": row.item.title, "repo_url": row.repo_url, "live_url": row.live_url})
        else:
            skipped += 1
    learner = load_state(enrolment, today=today)
    pace = learner.pace
    # The plan repairs chosen in the period (progress.repairs): what they did.
    repairs = [
        {"kind": repair.kind, "label": repair.get_kind_display(), "made_on": repair.made_on.isoformat(),
         "hours_per_week": str(repair.hours_per_week_after),
         "finish": repair.finish_after.isoformat() if repair.finish_after else None}
        for repair in PlanRepair.objects.filter(
            enrolment=enrolment, made_on__gte=period.start, made_on__lte=period.end
        ).order_by("made_on", "pk")
    ]
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
        "repairs": repairs,
    }
