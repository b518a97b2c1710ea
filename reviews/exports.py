"""Review history in "download my data" (a section of its own) and in the
CSV/JSON progress exports (columns of each item's record, through
progress/extensions.py `item_exports`)."""

from __future__ import annotations

from collections import defaultdict

from reviews.models import ReviewCard, ReviewLog
from reviews.scheduling import RATING_LABELS

ITEM_COLUMNS = ("reviews", "last_reviewed_at", "next_review_on", "review_wanted")


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _answers(cards) -> dict[int, list[dict]]:
    answers: dict[int, list[dict]] = defaultdict(list)
    for log in ReviewLog.objects.filter(card__in=cards).order_by("card_id", "reviewed_at", "pk"):
        answers[log.card_id].append({
            "rating": RATING_LABELS[log.rating].lower(), "source": log.source,
            "reviewed_at": _iso(log.reviewed_at), "next_due": _iso(log.next_due),
        })
    return answers


def item_review_columns(enrolments) -> dict[tuple[int, int], dict]:
    """Per (enrolment, item) with a card: how many answers, the last, the
    next review's date and whether the learner wants it. Two queries."""
    cards = list(ReviewCard.objects.filter(enrolment__in=enrolments))
    if not cards:
        return {}
    answers = _answers(cards)
    return {
        (card.enrolment_id, card.item_id): {
            "reviews": len(answers[card.pk]),
            "last_reviewed_at": _iso(card.last_review),
            "next_review_on": _iso(card.due_on) if card.is_waiting else "",
            "review_wanted": card.opted_out_at is None,
        }
        for card in cards
    }


def export_reviews(user) -> list[dict]:
    """Every card of the learner and every answer on it."""
    cards = list(ReviewCard.objects.for_user(user).select_related("enrolment__roadmap", "item").order_by(
        "enrolment_id", "item_id"
    ))
    answers = _answers(cards)
    return [
        {
            "roadmap": card.enrolment.roadmap.title,
            "item": card.item.title,
            "due_on": _iso(card.due_on),
            "stability": card.stability,
            "difficulty": card.difficulty,
            "suspended_at": _iso(card.suspended_at),
            "opted_out_at": _iso(card.opted_out_at),
            "created_at": _iso(card.created_at),
            "answers": answers[card.pk],
        }
        for card in cards
    ]
