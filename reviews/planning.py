"""The time due reviews take: the plan's hook (progress/extensions.py
`reserved_hours`), called by the learner-state loader for every page.

The simplest honest model: a review due in a week takes its estimated
minutes (`scheduling.review_minutes`) out of that week's study hours, and an
overdue review takes them out of this week. The plan fills what is left
with items, so the finish date counts the reviews. Only reviews already
scheduled are counted (each card's next one, within a year): the answers
that will schedule later ones are not known yet.

One query for all the enrolments, whatever the number of cards: a window
keeps each learner's first few cards in due order (the dashboard's list of
what is due today) and one row per week carrying that week's minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, F, IntegerField, Q, Sum, Value, When, Window
from django.db.models.functions import RowNumber, TruncWeek

from progress.schedule import week_start
from reviews.models import ReviewCard
from reviews.querysets import MINUTES

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
    wanted = [enrolment for enrolment in enrolments if enrolment.reviews_on]
    if not wanted:
        return {}
    due_now = Q(due_on__lte=today)
    by_enrolment = [F("enrolment_id")]
    by_week = [F("enrolment_id"), F("week")]
    rows = (
        ReviewCard.objects.waiting()
        .filter(enrolment__in=wanted, due_on__lt=today + timedelta(days=HORIZON_DAYS))
        .annotate(minutes=MINUTES, week=TruncWeek("due_on"))
        .annotate(
            rank=Window(RowNumber(), partition_by=by_enrolment, order_by=[F("due_on").asc(), F("pk").asc()]),
            week_rank=Window(RowNumber(), partition_by=by_week, order_by=[F("pk").asc()]),
            week_minutes=Window(Sum(MINUTES), partition_by=by_week),
            due_count=Window(
                Sum(Case(When(due_now, then=Value(1)), default=Value(0), output_field=IntegerField())),
                partition_by=by_enrolment,
            ),
            due_minutes=Window(
                Sum(Case(When(due_now, then=MINUTES), default=Value(Decimal(0)), output_field=MINUTES.output_field)),
                partition_by=by_enrolment,
            ),
        )
        .filter(Q(rank__lte=LIST_LIMIT) | Q(week_rank=1))
        .order_by("enrolment_id", "due_on", "pk")
        .values_list("pk", "enrolment_id", "item_id", "item__title", "minutes", "due_on", "week", "rank",
                     "week_rank", "week_minutes", "due_count", "due_minutes")
    )
    this_monday = week_start(today)
    found: dict[int, ReviewTime] = {}
    for pk, enrolment_id, item_id, title, minutes, due_on, week, rank, week_rank, week_minutes, count, total in rows:
        time = found.setdefault(enrolment_id, ReviewTime(due_count=int(count), due_minutes=int(total or 0)))
        if week_rank == 1:
            monday = max(_as_date(week), this_monday)
            time.weeks[monday] = time.weeks.get(monday, Decimal(0)) + Decimal(week_minutes) / 60
        if rank <= LIST_LIMIT and due_on <= today:
            time.due.append(DueReview(pk, enrolment_id, item_id, title, int(minutes), due_on))
    return found


def _as_date(value) -> date:
    # TruncWeek of a date column is a date on PostgreSQL and on SQLite.
    return value.date() if hasattr(value, "date") and callable(value.date) else value
