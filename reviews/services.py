"""Writes of spaced review: a card when a topic is done, an answer, opting
out (one item, or every item of a roadmap), and the learner's study week.

Keyword-only and idempotent: a double tap or a second tab repeats the same
outcome. An answer applies only to a card that is due, so a second tap on
"Good" finds the card answered and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from progress.models import Enrolment, ItemProgress, ItemState
from progress.schedule import local_today
from reviews import scheduling
from reviews.models import ReviewCard, ReviewLog, ReviewSource
from roadmaps.models import ItemKind

# The kinds that get a card: what a learner learns (subtopics too, once the
# content has them), not resources read, projects built or checkpoints.
REVIEWED_KINDS = frozenset(kind for kind in ("topic", "subtopic") if kind in ItemKind.values)
CARD_FIELDS = ("state", "step", "stability", "difficulty", "due", "due_on", "last_review")


def _local_date(moment: datetime, user) -> date:
    return local_today(user.time_zone, now=moment)


def _apply(card: ReviewCard, scheduled, user) -> None:
    """Copy an fsrs Card's fields onto the row."""
    card.state = int(scheduled.state)
    card.step = scheduled.step
    card.stability = scheduled.stability
    card.difficulty = scheduled.difficulty
    card.due = scheduled.due
    card.due_on = _local_date(scheduled.due, user)
    card.last_review = scheduled.last_review


def card_for_state_change(*, enrolment: Enrolment, row: ItemProgress, item, before: str, now: datetime) -> None:
    """Called by the item-state service inside its transaction (registered in
    reviews/apps.py). A topic marked done gets its card, first answered with
    the confidence the learner gave (`scheduling.rating_for_confidence`);
    a topic that leaves "done" has its card suspended, its history kept.

    Done again after that, the card starts afresh from the confidence then
    (the learner studied it again), keeps its answers and any "I don't need
    to review this". Two queries (the card's upsert, the first answer) for a
    topic marked done, one when it leaves done, none for other kinds."""
    if item.kind not in REVIEWED_KINDS:
        return
    if row.state != ItemState.DONE:
        if before == ItemState.DONE:
            ReviewCard.objects.filter(enrolment=enrolment, item=item, suspended_at__isnull=True).update(
                suspended_at=now
            )
        return
    rating = scheduling.rating_for_confidence(row.confidence)
    card = ReviewCard(enrolment=enrolment, item=item, created_at=now)
    _apply(card, scheduling.review(None, rating, now), enrolment.user)
    # One statement whether the card is new or comes back (unique per item).
    [card] = ReviewCard.objects.bulk_create(
        [card], update_conflicts=True, unique_fields=["enrolment", "item"],
        update_fields=[*CARD_FIELDS, "suspended_at"],
    )
    ReviewLog.objects.create(
        card_id=card.pk, rating=int(rating), source=ReviewSource.DONE, reviewed_at=now, next_due=card.due
    )


@dataclass(frozen=True)
class Answer:
    card: ReviewCard
    applied: bool  # False: the card was not due (answered already, or out of the queue)


def review_answer(*, card: ReviewCard, rating: str, now: datetime | None = None) -> Answer:
    """Answer a due card (`rating`: again, hard, good or easy) and schedule
    its next review. `card` comes from `access.get_card_for_user`."""
    if rating not in scheduling.RATINGS:
        raise ValueError(f"Unknown rating {rating!r}")
    now = now or timezone.now()
    user = card.enrolment.user
    with transaction.atomic():
        locked = ReviewCard.objects.select_for_update().get(pk=card.pk)
        locked.enrolment, locked.item = card.enrolment, card.item
        if not locked.is_waiting or not card.enrolment.reviews_on or locked.due_on > _local_date(now, user):
            return Answer(locked, applied=False)
        scheduled = scheduling.review(scheduling.as_fsrs(locked), scheduling.RATINGS[rating], now)
        _apply(locked, scheduled, user)
        locked.save(update_fields=list(CARD_FIELDS))
        ReviewLog.objects.create(
            card=locked, rating=int(scheduling.RATINGS[rating]), source=ReviewSource.REVIEW, reviewed_at=now,
            next_due=locked.due,
        )
    return Answer(locked, applied=True)


def card_set_wanted(*, card: ReviewCard, wanted: bool, now: datetime | None = None) -> ReviewCard:
    """"I don't need to review this" (wanted=False), or back in the queue."""
    opted_out_at = None if wanted else (card.opted_out_at or now or timezone.now())
    if card.opted_out_at != opted_out_at:
        card.opted_out_at = opted_out_at
        card.save(update_fields=["opted_out_at"])
    return card


def enrolment_set_reviews(*, enrolment: Enrolment, on: bool) -> Enrolment:
    if enrolment.reviews_on != on:
        enrolment.reviews_on = on
        enrolment.save(update_fields=["reviews_on", "updated_at"])
    return enrolment


def enrolment_set_study_week(
    *, enrolment: Enrolment, days: int, at: time | None, reminder_minutes: int
) -> Enrolment:
    """The days (a bitmask, Monday = 1), time of day and reminder lead time
    of the learner's study sessions on this roadmap (the calendar feed)."""
    if not 0 <= days <= 127 or not 0 <= reminder_minutes <= 1440:
        raise ValueError("days is a 7-bit mask and the reminder at most a day ahead")
    enrolment.study_days, enrolment.study_time, enrolment.reminder_minutes = days, at, reminder_minutes
    enrolment.save(update_fields=["study_days", "study_time", "reminder_minutes", "updated_at"])
    return enrolment

