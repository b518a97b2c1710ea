"""Plan arithmetic with reviews counted: due reviews take their minutes
out of the week they fall in (overdue ones out of this week), so the
weeks hold fewer item hours and the finish date moves out."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from progress import summaries
from progress.items.services import item_progress_set_state
from progress.schedule import PlanItem, plan_schedule
from progress.state import _advance, _around_blocks, _plan_steps, _reserved_blocks, load_state
from progress.summaries import StepFigures
from reviews.models import ReviewCard
from reviews.planning import reserved_hours
from roadmaps.models import ItemKind
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items

MONDAY = date(2026, 3, 2)


def _figures(hours) -> StepFigures:
    return StepFigures(item_count=1, total_hours=Decimal(hours))


def test_reserved_hours_push_the_finish_date_out():
    figures = {1: _figures(14)}
    plan = dict(order=[1], figures=figures, hours_per_week=Decimal(7), start_date=MONDAY, today=MONDAY,
                horizon_weeks=1)
    _, finish, _ = _plan_steps(**plan)
    assert finish == MONDAY + timedelta(days=13)  # 14 h at 1 h a day
    _, later, _ = _plan_steps(**plan, reserved={MONDAY + timedelta(weeks=1): Decimal(2)})
    assert later == finish + timedelta(days=2)


def test_overdue_reviews_count_in_this_week():
    figures = {1: _figures(7)}
    plan = dict(order=[1], figures=figures, hours_per_week=Decimal(7), start_date=MONDAY, today=MONDAY,
                horizon_weeks=1)
    _, finish, _ = _plan_steps(**plan, reserved={MONDAY - timedelta(weeks=3): Decimal(1)})
    assert finish == MONDAY + timedelta(days=7)  # one day later than 7 h alone


def test_a_week_cannot_hold_more_reviews_than_hours():
    blocks = _reserved_blocks({MONDAY: Decimal(50)}, first_monday=MONDAY, offset=Decimal(0),
                              hours_per_week=Decimal(7))
    assert blocks == [(Decimal(0), Decimal(7))]
    assert _advance(Decimal(0), Decimal(1), blocks) == Decimal(8)


def test_the_weeks_list_fewer_item_hours_when_reviews_are_due():
    items = [PlanItem(n, 1, Decimal(3)) for n in range(1, 5)]  # 12 h
    blocks = _reserved_blocks({MONDAY: Decimal(2)}, first_monday=MONDAY, offset=Decimal(0),
                              hours_per_week=Decimal(10))
    planned = plan_schedule(_around_blocks(items, blocks, Decimal(0)), hours_per_week=Decimal(10),
                            start_date=MONDAY, today=MONDAY)
    plain = plan_schedule(items, hours_per_week=Decimal(10), start_date=MONDAY, today=MONDAY)
    reviews_hours = sum(i.hours for i in planned.weeks[0].items if i.item_id == -1)
    assert reviews_hours == 2
    assert plain.weeks[0].hours == 10 and planned.weeks[1].hours == 4  # two item hours moved on
    assert plain.finish_date < planned.finish_date


@pytest.fixture
def learner_with_cards(learner):
    roadmap = make_roadmap(steps=2, items_per_step=8)
    enrolment = make_enrolment(learner, roadmap, hours_per_week=2)
    enrolment.user = learner
    topics = [item for item in roadmap_items(roadmap) if item.kind == ItemKind.TOPIC]
    for topic in topics:
        item_progress_set_state(enrolment=enrolment, item=topic, state="done")
    summaries.rebuild(enrolments=[enrolment])
    return enrolment, topics


def test_the_loader_counts_due_reviews_against_the_weeks(learner_with_cards):
    enrolment, topics = learner_with_cards
    # A Wednesday: late on a Sunday the reviews due take all that is left of
    # the week, and there is no "this week" to compare.
    today = MONDAY + timedelta(days=2)
    enrolment.start_date = today
    enrolment.reviews_on = False  # as if there were no reviews
    without = load_state(enrolment, today=today)
    enrolment.reviews_on = True
    ReviewCard.objects.update(due_on=today)  # every topic due today: 4 × 12 min
    time = reserved_hours([enrolment], today)[enrolment.pk]
    assert time.due_count == len(topics) == 4 and time.due_minutes == 48
    assert sum(time.weeks.values()) == Decimal("0.8")
    counted = load_state(enrolment, today=today)
    assert counted.reserved["reviews"].due_count == 4
    assert counted.schedule.finish_date > without.schedule.finish_date
    assert counted.this_week.hours < without.this_week.hours


def test_reviews_turned_off_take_no_hours(learner_with_cards):
    enrolment, _ = learner_with_cards
    ReviewCard.objects.update(due_on=date.today())
    enrolment.reviews_on = False
    enrolment.save()
    assert reserved_hours([enrolment], date.today()) == {}
    assert load_state(enrolment, today=date.today()).reserved == {}
