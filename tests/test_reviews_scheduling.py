"""FSRS as Waymark uses it: the first answer from the confidence given at
"done", and later answers scheduled with a frozen clock (`now` passed in)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import Rating

from progress.items.services import item_progress_save_details, item_progress_set_state
from reviews import scheduling, services
from reviews.models import ReviewCard, ReviewLog, ReviewSource
from roadmaps.models import ItemKind
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items

NOW = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)  # a Monday


@pytest.mark.parametrize(
    ("confidence", "rating"),
    [(None, Rating.Good), (1, Rating.Again), (2, Rating.Hard), (3, Rating.Good), (4, Rating.Easy), (5, Rating.Easy)],
)
def test_it_maps_the_confidence_to_the_first_rating(confidence, rating):
    assert scheduling.rating_for_confidence(confidence) is rating


def test_a_surer_first_answer_schedules_the_first_review_later():
    due = [scheduling.review(None, rating, NOW).due for rating in (Rating.Again, Rating.Good, Rating.Easy)]
    assert due[0] < due[1] < due[2]
    assert due[0] - NOW >= timedelta(days=1)  # whole days: no minute-long learning steps


def test_good_moves_the_next_review_out_and_again_brings_it_back():
    card = scheduling.review(None, Rating.Good, NOW)
    first_gap = card.due - NOW
    good = scheduling.review(card, Rating.Good, card.due)
    again = scheduling.review(card, Rating.Again, card.due)
    assert good.due - card.due > first_gap
    assert again.due - card.due < first_gap
    assert again.due - card.due == timedelta(days=1)


def test_the_same_answer_gives_the_same_date():
    assert scheduling.review(None, Rating.Good, NOW).due == scheduling.review(None, Rating.Good, NOW).due


@pytest.mark.parametrize(("hours", "minutes"), [("0.1", 2), ("1", 6), ("2", 12), ("2.5", 15), ("40", 15)])
def test_it_estimates_a_review_as_a_tenth_of_the_hours_within_bounds(hours, minutes):
    from decimal import Decimal

    assert scheduling.review_minutes(Decimal(hours)) == minutes


# --- Cards made where the state changes --------------------------------------------


@pytest.fixture
def topic_and_project(learner):
    roadmap = make_roadmap(steps=1, items_per_step=3)
    enrolment = make_enrolment(learner, roadmap)
    enrolment.user = learner
    items = roadmap_items(roadmap)
    topic = next(item for item in items if item.kind == ItemKind.TOPIC)
    project = next(item for item in items if item.kind == ItemKind.PROJECT)
    return enrolment, topic, project


def test_a_topic_marked_done_gets_a_card_rated_by_its_confidence(topic_and_project):
    enrolment, topic, project = topic_and_project
    item_progress_save_details(enrolment=enrolment, item=topic, confidence=5)
    item_progress_set_state(enrolment=enrolment, item=topic, state="done")
    item_progress_set_state(enrolment=enrolment, item=project, state="done")
    card = ReviewCard.objects.get()
    assert card.item == topic and card.is_waiting  # projects get none
    [log] = ReviewLog.objects.all()
    assert (log.rating, log.source) == (Rating.Easy, ReviewSource.DONE)
    assert card.due_on > date.today() + timedelta(days=3)  # Easy: a week or so


def test_without_a_confidence_the_first_rating_is_good(topic_and_project):
    enrolment, topic, _ = topic_and_project
    item_progress_set_state(enrolment=enrolment, item=topic, state="done")
    assert ReviewLog.objects.get().rating == Rating.Good


def test_undoing_done_suspends_the_card_and_done_again_resumes_it(topic_and_project):
    enrolment, topic, _ = topic_and_project
    item_progress_set_state(enrolment=enrolment, item=topic, state="done")
    item_progress_set_state(enrolment=enrolment, item=topic, state="in_progress")
    card = ReviewCard.objects.get()
    assert card.suspended_at is not None and not card.is_waiting
    assert ReviewCard.objects.waiting().count() == 0
    item_progress_set_state(enrolment=enrolment, item=topic, state="done")
    card.refresh_from_db()
    assert card.is_waiting and ReviewCard.objects.count() == 1
    assert ReviewLog.objects.filter(card=card).count() == 2  # the history is kept


def test_marking_done_twice_makes_one_card_and_one_answer(topic_and_project):
    enrolment, topic, _ = topic_and_project
    item_progress_set_state(enrolment=enrolment, item=topic, state="done")
    item_progress_set_state(enrolment=enrolment, item=topic, state="done")
    assert (ReviewCard.objects.count(), ReviewLog.objects.count()) == (1, 1)


def _due_card(enrolment, topic) -> ReviewCard:
    item_progress_set_state(enrolment=enrolment, item=topic, state="done")
    card = ReviewCard.objects.select_related("enrolment", "item").get()
    card.enrolment.user = enrolment.user
    return card


def test_an_answer_on_a_due_card_schedules_the_next_review(topic_and_project):
    enrolment, topic, _ = topic_and_project
    card = _due_card(enrolment, topic)
    on_the_day = card.due + timedelta(hours=1)
    good = services.review_answer(card=card, rating="good", now=on_the_day)
    assert good.applied and good.card.due - on_the_day > timedelta(days=3)
    assert ReviewLog.objects.filter(source=ReviewSource.REVIEW).get().rating == Rating.Good


def test_an_answer_before_the_card_is_due_changes_nothing(topic_and_project):
    enrolment, topic, _ = topic_and_project
    card = _due_card(enrolment, topic)
    before = (card.due, card.stability)
    outcome = services.review_answer(card=card, rating="again", now=card.due - timedelta(days=1, hours=1))
    assert not outcome.applied
    card.refresh_from_db()
    assert (card.due, card.stability) == before and ReviewLog.objects.count() == 1


def test_again_brings_the_review_back_tomorrow(topic_and_project):
    enrolment, topic, _ = topic_and_project
    card = _due_card(enrolment, topic)
    outcome = services.review_answer(card=card, rating="again", now=card.due)
    assert outcome.card.due - card.due == timedelta(days=1)


def test_an_unknown_rating_is_refused(topic_and_project):
    enrolment, topic, _ = topic_and_project
    with pytest.raises(ValueError):
        services.review_answer(card=_due_card(enrolment, topic), rating="perfect")
