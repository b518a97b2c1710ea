"""FSRS, as Waymark uses it: pure functions, no database.

The `fsrs` package (the scheduler Anki uses) decides when a topic is due
again from the learner's answers. Waymark's settings:

- no learning steps (fsrs's default re-shows a card after 1 and 10 minutes):
  a topic is revised on a later day, so every answer schedules whole days;
- no fuzz: the same answer on the same day gives the same date, which a
  learner can predict and a test can check;
- at most a year between two reviews of a topic.

The first answer is the confidence the learner gave when they marked the
topic done (`rating_for_confidence`); every later one is a tap on the
dashboard (Again / Hard / Good / Easy).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from decimal import Decimal

from fsrs import Card, Rating, Scheduler, State

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), maximum_interval=365, enable_fuzzing=False)
RATINGS = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}
RATING_LABELS = {Rating.Again: "Again", Rating.Hard: "Hard", Rating.Good: "Good", Rating.Easy: "Easy"}
STATES = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}

# A review is a short revisit, not a re-study: a tenth of the item's hours,
# at least 2 and at most 15 minutes (a 1-hour topic: 6 minutes).
REVIEW_SHARE = Decimal("0.1")
REVIEW_MINUTES_MIN = 2
REVIEW_MINUTES_MAX = 15


def rating_for_confidence(confidence: int | None) -> Rating:
    """The first answer: confidence 1 → Again, 2 → Hard, 3 → Good, 4 or 5 →
    Easy; no confidence given → Good."""
    if confidence is None:
        return Rating.Good
    if confidence <= 1:
        return Rating.Again
    if confidence == 2:
        return Rating.Hard
    if confidence == 3:
        return Rating.Good
    return Rating.Easy


def review_minutes(hours: Decimal) -> int:
    """Estimated minutes of one review of an item of `hours` hours."""
    minutes = math.ceil(Decimal(hours) * 60 * REVIEW_SHARE)
    return max(REVIEW_MINUTES_MIN, min(REVIEW_MINUTES_MAX, minutes))


def _utc(moment: datetime) -> datetime:
    # fsrs accepts UTC only (it compares with `timezone.utc` by identity).
    return moment.astimezone(UTC)


def review(card: Card | None, rating: Rating, now: datetime) -> Card:
    """The card after an answer given at `now` (a new card when `card` is
    None): its next due date, stability, difficulty and state."""
    now = _utc(now)
    card = card or Card(card_id=0, due=now)
    reviewed, _log = SCHEDULER.review_card(card, rating, review_datetime=now)
    return reviewed


def as_fsrs(row) -> Card:
    """A ReviewCard row as the fsrs Card it stores."""
    return Card(
        card_id=row.pk or 0, state=State(row.state), step=row.step, stability=row.stability,
        difficulty=row.difficulty, due=_utc(row.due), last_review=_utc(row.last_review) if row.last_review else None,
    )
