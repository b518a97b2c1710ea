"""Reads of review cards shared by the dashboard, the plan and the calendar."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Ceil, Coalesce, Greatest, Least

from progress.schedule import DEFAULT_HOURS
from reviews.scheduling import REVIEW_MINUTES_MAX, REVIEW_MINUTES_MIN, REVIEW_SHARE

# `scheduling.review_minutes` in SQL, so that sums stay in the database.
# Only topics get cards: an un-estimated one counts as a topic's default hours.
_DECIMAL = DecimalField(max_digits=8, decimal_places=2)
MINUTES = Greatest(
    Least(
        Ceil(ExpressionWrapper(
            Coalesce(F("item__estimated_hours"), Value(DEFAULT_HOURS["topic"]), output_field=_DECIMAL)
            * Value(Decimal(60) * REVIEW_SHARE, output_field=_DECIMAL),
            output_field=_DECIMAL,
        ), output_field=_DECIMAL),
        Value(Decimal(REVIEW_MINUTES_MAX), output_field=_DECIMAL),
        output_field=_DECIMAL,
    ),
    Value(Decimal(REVIEW_MINUTES_MIN), output_field=_DECIMAL),
    output_field=_DECIMAL,
)


# The enrolments whose cards wait in the queue.
WAITING_STATUSES = ("active", "paused")


class ReviewCardQuerySet(models.QuerySet):
    def for_user(self, user) -> ReviewCardQuerySet:
        return self.filter(enrolment__user=user)

    def waiting(self) -> ReviewCardQuerySet:
        """Cards in the queue: the item done and on the roadmap, the learner
        wanting it reviewed, reviews on for the roadmap, the enrolment current."""
        return self.filter(
            suspended_at__isnull=True, opted_out_at__isnull=True, item__retired_at__isnull=True,
            enrolment__reviews_on=True, enrolment__status__in=WAITING_STATUSES,
        )

    def due_before(self, moment) -> ReviewCardQuerySet:
        return self.filter(Q(due__lt=moment))

    def with_minutes(self) -> ReviewCardQuerySet:
        return self.annotate(minutes=MINUTES)

    def due_summary(self, *, enrolment, today) -> tuple[int, int]:
        """(how many, about how many minutes) of the enrolment's reviews are
        due today or overdue: the dashboard's count, after an answer."""
        totals = self.waiting().filter(enrolment=enrolment, due_on__lte=today).aggregate(
            count=models.Count("pk"), minutes=models.Sum(MINUTES)
        )
        return totals["count"], int(totals["minutes"] or 0)
