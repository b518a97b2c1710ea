"""The review queue on the dashboard: what is due today and overdue, with
its minutes and one-tap answers, in queries that do not grow with the
number of cards (one card or 2,000: the list is limited, the rest counted)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from progress import summaries
from progress.models import ItemProgress
from reviews.models import ReviewCard
from reviews.planning import LIST_LIMIT
from roadmaps.models import Item, ItemKind
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"
DASHBOARD_BOUND = 12


def _learner_with_cards(count: int, *, due_today: int):
    """A learner with `count` done topics, each with a card: `due_today` of
    them due today or overdue, the rest later."""
    user = make_user()
    roadmap = make_roadmap(steps=1, items_per_step=1)
    enrolment = make_enrolment(user, roadmap, start_date=date.today() - timedelta(days=30))
    step = roadmap.steps.get()
    topics = Item.objects.bulk_create([
        Item(roadmap=roadmap, step=step, kind=ItemKind.TOPIC, key=f"t{n}", position=10 + n, title=f"Topic {n}")
        for n in range(count)
    ])
    now = timezone.now()
    ItemProgress.objects.bulk_create([
        ItemProgress(enrolment=enrolment, item=topic, state="done", completed_at=now) for topic in topics
    ])
    today = date.today()
    ReviewCard.objects.bulk_create([
        ReviewCard(
            enrolment=enrolment, item=topic, state=2, stability=2.3, difficulty=5.0, due=now, last_review=now,
            due_on=today - timedelta(days=n % 3) if n < due_today else today + timedelta(days=1 + n % 300),
        )
        for n, topic in enumerate(topics)
    ])
    summaries.rebuild(enrolments=[enrolment])
    return user, enrolment


def test_it_lists_the_reviews_due_with_their_minutes_and_answers(client):
    user, enrolment = _learner_with_cards(3, due_today=2)
    client.force_login(user)
    page = client.get(DASHBOARD).content.decode()
    assert "Due for review" in page and "Worth revisiting" not in page
    body = page.split('id="reviews"')[1].split("</section>")[0]
    assert "Topic 0" in body and "Topic 1" in body and "Topic 2" not in body  # not due yet
    assert "about 6 min" in body and "2 due · about 12 min" in body
    assert "Overdue" in body
    card = ReviewCard.objects.get(item__title="Topic 0")
    assert f'action="{reverse("reviews:answer", args=[card.pk])}"' in body
    assert 'name="rating" value="good"' in body


def test_no_queue_when_nothing_is_due(client):
    user, _ = _learner_with_cards(2, due_today=0)
    client.force_login(user)
    assert "Due for review" not in client.get(DASHBOARD).content.decode()


@pytest.mark.parametrize("reviews_on", [True, False])
def test_reviews_off_for_the_roadmap_hide_the_queue(client, reviews_on):
    user, enrolment = _learner_with_cards(2, due_today=2)
    enrolment.reviews_on = reviews_on
    enrolment.save()
    client.force_login(user)
    assert ("Due for review" in client.get(DASHBOARD).content.decode()) is reviews_on


def test_the_dashboard_costs_the_same_queries_with_one_card_and_with_2000(client, django_assert_max_num_queries):
    counts = {}
    for count in (1, 2000):
        user, _ = _learner_with_cards(count, due_today=min(count, 1500))
        client.force_login(user)
        client.get(DASHBOARD)  # the shared content cache, as every reader after the first finds it
        with django_assert_max_num_queries(DASHBOARD_BOUND), CaptureQueriesContext(connection) as captured:
            response = client.get(DASHBOARD)
        counts[count] = len(captured)
        body = response.content.decode()
        assert body.count('name="rating" value="again"') == min(count, LIST_LIMIT)
    assert counts[1] == counts[2000]
    assert "And 1492 more after these." in body and "1500 due" in body
