"""The time due reviews take: the plan's hook (progress/extensions.py
`reserved_hours`), called by the learner-state loader for every page.

The simplest honest model: a review due in a week takes its estimated
minutes (`scheduling.review_minutes`) out of that week's study hours, and an
overdue review takes them out of this week. The plan fills what is left
with items, so the finish date counts the reviews. Only reviews already
scheduled are counted (each card's next one, within a year): the answers
that will schedule later ones are not known yet.

Two queries for all the enrolments, whatever the number of cards (see
`reserved_hours`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from progress.schedule import DEFAULT_HOURS, week_start
from reviews.models import ReviewCard
from reviews.querysets import WAITING_STATUSES
from reviews.scheduling import review_minutes

LIST_LIMIT = 8  # due reviews listed by name; the rest are counted
HORIZON_DAYS = 366


@dataclass(frozen=True)
class DueReview:
    pk: int
    enrolment_id: int
    item_id: int
    title: str
    minutes: int
    due_on: date


@dataclass
class ReviewTime:
    """One enrolment's reviews: the hours they take from each week (Monday →
    hours; overdue ones in this week) and what is due today."""

    weeks: dict[date, Decimal] = field(default_factory=dict)
    due: list[DueReview] = field(default_factory=list)  # due today or overdue, the first LIST_LIMIT
    due_count: int = 0
    due_minutes: int = 0

    @property
    def more(self) -> int:
        return self.due_count - len(self.due)


def reserved_hours(enrolments: Sequence, today: date) -> dict[int, ReviewTime]:
    """Two plain queries (the second only when something is due): the waiting
    cards counted per enrolment, due day and item hours (a review's minutes
    follow from the hours, `scheduling.review_minutes`), then the first
    `LIST_LIMIT` due ones of each enrolment by name. Cheaper to build than
    one query with five windows, and the rows stay few: one per day and
    distinct estimate, never one per card."""
    # The queue's rule (`ReviewCardQuerySet.waiting`), its enrolment half
    # checked here on the rows at hand instead of joined.
    wanted = [e for e in enrolments if e.reviews_on and e.status in WAITING_STATUSES]
    if not wanted:
        return {}
    waiting = ReviewCard.objects.filter(
        enrolment__in=wanted, suspended_at__isnull=True, opted_out_at__isnull=True, item__retired_at__isnull=True,
    )
    per_day = (
        waiting.filter(due_on__lt=today + timedelta(days=HORIZON_DAYS))
        .order_by().values_list("enrolment_id", "due_on", "item__estimated_hours").annotate(count=Count("pk"))
    )
    this_monday = week_start(today)
    found: dict[int, ReviewTime] = {}
    for enrolment_id, due_on, hours, count in per_day:
        time = found.setdefault(enrolment_id, ReviewTime())
        minutes = review_minutes(DEFAULT_HOURS["topic"] if hours is None else hours) * count
        monday = max(week_start(due_on), this_monday)
        time.weeks[monday] = time.weeks.get(monday, Decimal(0)) + Decimal(minutes) / 60
        if due_on <= today:
            time.due_count += count
            time.due_minutes += minutes
    due_now = [pk for pk, time in found.items() if time.due_count]
    if due_now:
        first_due = (
            waiting.filter(enrolment_id__in=due_now, due_on__lte=today)
            .annotate(rank=Window(RowNumber(), partition_by=[F("enrolment_id")], order_by=[F("due_on"), F("pk")]))
            .filter(rank__lte=LIST_LIMIT)
            .order_by("enrolment_id", "due_on", "pk")
            .values_list("pk", "enrolment_id", "item_id", "item__title", "item__estimated_hours", "due_on")
        )
        for pk, enrolment_id, item_id, title, hours, due_on in first_due:
            minutes = review_minutes(DEFAULT_HOURS["topic"] if hours is None else hours)
            found[enrolment_id].due.append(DueReview(pk, enrolment_id, item_id, title, minutes, due_on))
    return found
