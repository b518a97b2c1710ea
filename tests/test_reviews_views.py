"""The review queue's views: answers, "I don't need to review this", the
roadmap's switch and the study week. Anonymous → sign in; another learner →
404; wrong method → 405; plain POST (no JavaScript) and htmx."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from progress.items.services import item_progress_set_state
from progress.models import Enrolment
from reviews.models import ReviewCard, ReviewLog
from roadmaps.models import ItemKind
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def enrolment(learner):
    enrolment = make_enrolment(learner, make_roadmap(steps=1, items_per_step=1, title="Backend basics"))
    enrolment.user = learner
    return enrolment


@pytest.fixture
def card(enrolment) -> ReviewCard:
    """A topic done some days ago, whose review is due today."""
    [topic] = roadmap_items(enrolment.roadmap)
    assert topic.kind == ItemKind.TOPIC
    item_progress_set_state(enrolment=enrolment, item=topic, state="done")
    card = ReviewCard.objects.get()
    ReviewCard.objects.filter(pk=card.pk).update(due=card.due - timedelta(days=2), due_on=date.today())
    card.refresh_from_db()
    return card


def _urls(card, enrolment) -> list[str]:
    return [
        reverse("reviews:answer", args=[card.pk]), reverse("reviews:wanted", args=[card.pk]),
        reverse("reviews:roadmap_reviews", args=[enrolment.pk]), reverse("reviews:study_week", args=[enrolment.pk]),
    ]


def test_it_sends_anonymous_visitors_to_sign_in(client, card, enrolment):
    for url in _urls(card, enrolment):
        response = client.post(url, {"rating": "good", "on": "0"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert ReviewLog.objects.count() == 1


def test_another_learner_gets_404_and_changes_nothing(client, other_learner, card, enrolment):
    client.force_login(other_learner)
    data = {"rating": "good", "on": "0", "days": ["0"], "reminder_minutes": "30"}
    for url in _urls(card, enrolment):
        assert client.post(url, data).status_code == 404
    assert client.get(reverse("reviews:study_week", args=[enrolment.pk])).status_code == 404
    card.refresh_from_db()
    assert card.is_waiting and ReviewLog.objects.count() == 1
    assert Enrolment.objects.get(pk=enrolment.pk).reviews_on


def test_writes_refuse_get(learner_client, card, enrolment):
    for url in _urls(card, enrolment)[:3]:
        assert learner_client.get(url).status_code == 405


def test_an_answer_without_javascript_schedules_and_returns_to_the_dashboard(learner_client, card):
    response = learner_client.post(reverse("reviews:answer", args=[card.pk]), {"rating": "good"})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard") + "#reviews"
    card.refresh_from_db()
    assert card.due_on > date.today()
    assert ReviewLog.objects.filter(source="review").get().rating == 3
    page = learner_client.get(response["Location"]).content.decode()
    assert "Reviewed “Item 0.0”: next on" in page


def test_an_answer_with_htmx_swaps_the_row_in_place(learner_client, card):
    response = learner_client.post(reverse("reviews:answer", args=[card.pk]), {"rating": "again"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    card.refresh_from_db()
    assert card.due_on == date.today() + timedelta(days=1)
    assert f'id="review-{card.pk}"' in body and 'id="live-status" data-hx-swap-oob' in body
    assert "next review" in body and "<html" not in body


def test_a_second_tap_changes_nothing(learner_client, card):
    url = reverse("reviews:answer", args=[card.pk])
    learner_client.post(url, {"rating": "good"})
    card.refresh_from_db()
    due = card.due
    response = learner_client.post(url, {"rating": "again"}, **HTMX)
    assert "is not due" in response.content.decode()
    card.refresh_from_db()
    assert card.due == due and ReviewLog.objects.count() == 2


def test_a_bad_answer_is_refused_with_a_message(learner_client, card):
    url = reverse("reviews:answer", args=[card.pk])
    assert learner_client.post(url, {"rating": "perfect"}, **HTMX).status_code == 400
    response = learner_client.post(url, {"rating": "perfect"}, follow=True)
    assert "That is not an answer a review can have." in response.content.decode()
    assert ReviewLog.objects.count() == 1


def test_i_dont_need_to_review_this_takes_it_out_of_the_queue(learner_client, card, enrolment):
    details = reverse("progress:item_details", args=[enrolment.pk, card.item_id])
    assert "I don't need to review this" in learner_client.get(details).content.decode()
    response = learner_client.post(reverse("reviews:wanted", args=[card.pk]), {"on": "0", "next": details})
    assert response.status_code == 302 and response["Location"] == details
    card.refresh_from_db()
    assert card.opted_out_at is not None and not ReviewCard.objects.waiting().exists()
    assert "Review it again" in learner_client.get(details).content.decode()
    learner_client.post(reverse("reviews:wanted", args=[card.pk]), {"on": "1"})
    card.refresh_from_db()
    assert card.opted_out_at is None


def test_the_plan_turns_reviews_off_and_on_for_a_roadmap(learner_client, card, enrolment):
    plan = reverse("progress:plan", args=[enrolment.pk])
    assert "Turn reviews off" in learner_client.get(plan).content.decode()
    response = learner_client.post(reverse("reviews:roadmap_reviews", args=[enrolment.pk]), {"on": "0"})
    assert response["Location"] == plan + "#reviews"
    assert not Enrolment.objects.get(pk=enrolment.pk).reviews_on
    assert not ReviewCard.objects.waiting().exists() and ReviewCard.objects.count() == 1  # kept
    assert "Turn reviews on" in learner_client.get(plan).content.decode()
    assert learner_client.post(reverse("reviews:roadmap_reviews", args=[enrolment.pk]), {"on": "x"}).status_code == 302
    assert not Enrolment.objects.get(pk=enrolment.pk).reviews_on


def test_the_plan_saves_the_study_week(learner_client, enrolment):
    plan = reverse("progress:plan", args=[enrolment.pk])
    assert "Until you choose, your calendar shows sessions on Monday, Wednesday, Friday at 19:00" in (
        learner_client.get(plan).content.decode()
    )
    url = reverse("reviews:study_week", args=[enrolment.pk])
    response = learner_client.post(url, {"days": ["1", "3"], "at": "07:30", "reminder_minutes": "60"})
    assert response.status_code == 302 and response["Location"] == plan + "#study-week"
    enrolment.refresh_from_db()
    assert (enrolment.study_days, enrolment.study_time, enrolment.reminder_minutes) == (2 | 8, time(7, 30), 60)
    assert "You study on Tuesday, Thursday at 07:30" in learner_client.get(plan).content.decode()


def test_a_study_week_without_days_says_so_and_changes_nothing(learner_client, enrolment):
    url = reverse("reviews:study_week", args=[enrolment.pk])
    response = learner_client.post(url, {"at": "25:00", "reminder_minutes": "7"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose at least one day." in body and 'id="id_at_error"' in body
    enrolment.refresh_from_db()
    assert (enrolment.study_days, enrolment.study_time, enrolment.reminder_minutes) == (0, None, 30)


def test_an_htmx_answer_updates_the_roadmaps_due_count(learner_client, learner):
    enrolment = make_enrolment(learner, make_roadmap(steps=2, items_per_step=1, title="Two topics"))
    for topic in roadmap_items(enrolment.roadmap):
        item_progress_set_state(enrolment=enrolment, item=topic, state="done")
    ReviewCard.objects.update(due_on=date.today())
    first, second = ReviewCard.objects.order_by("pk")
    count = f'id="reviews-due-{enrolment.pk}"'
    dashboard = learner_client.get(reverse("dashboard")).content.decode()
    assert f'<span class="muted" {count}>2 due · about 24 min</span>' in dashboard
    body = learner_client.post(reverse("reviews:answer", args=[first.pk]), {"rating": "good"}, **HTMX)
    assert f'{count} data-hx-swap-oob="outerHTML">1 due · about 12 min</span>' in body.content.decode()
    body = learner_client.post(reverse("reviews:wanted", args=[second.pk]), {"on": "0"}, **HTMX)
    assert f'{count} data-hx-swap-oob="outerHTML">all done for today</span>' in body.content.decode()
