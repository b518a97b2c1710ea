"""One idea of "hours a week": the weekly goal follows the learner's active
paces until they set their own, and the dashboard says where they differ."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.models import User
from progress.enrolments import services
from tests.factories import make_roadmap


def goal(user) -> int:
    return User.objects.get(pk=user.pk).weekly_hours_goal


@pytest.fixture
def two_roadmaps(db):
    return make_roadmap(), make_roadmap()


def test_the_goal_follows_the_paces_while_it_matches_them(learner, two_roadmaps):
    first, second = two_roadmaps
    assert goal(learner) == 10  # the sign-up default, nothing planned yet
    a, _ = services.enrolment_start(user=learner, roadmap=first, hours_per_week=D(6), start_date=date.today())
    assert goal(learner) == 6
    services.enrolment_start(user=learner, roadmap=second, hours_per_week=D("4.5"), start_date=date.today())
    assert goal(learner) == 11  # 10.5, rounded
    services.enrolment_change_pace(enrolment=a, hours_per_week=D(9))
    assert goal(learner) == 14  # 13.5
    services.enrolment_pause(enrolment=a, today=date.today())
    assert goal(learner) == 5  # 4.5: a paused roadmap plans nothing


def test_a_goal_of_the_learners_own_is_kept_and_the_dashboard_offers_to_align(learner_client, learner, two_roadmaps):
    first, _ = two_roadmaps
    services.enrolment_start(user=learner, roadmap=first, hours_per_week=D(6), start_date=date.today())
    User.objects.filter(pk=learner.pk).update(weekly_hours_goal=3)  # set in the account settings
    learner.refresh_from_db()
    enrolment = learner.enrolments.get()
    services.enrolment_change_pace(enrolment=enrolment, hours_per_week=D(8))
    assert goal(learner) == 3
    body = learner_client.get("/dashboard/").content.decode()
    assert "Your roadmaps plan 8 h a week; your goal is 3 h." in body
    response = learner_client.post(reverse("progress:goal_from_paces"), follow=True)
    assert goal(learner) == 8 and "Your weekly goal is now 8 h" in response.content.decode()
    assert "Your roadmaps plan" not in learner_client.get("/dashboard/").content.decode()


def test_aligning_the_goal_is_post_only_and_needs_a_sign_in(client, learner):
    url = reverse("progress:goal_from_paces")
    assert client.post(url).status_code == 302 and goal(learner) == 10  # anonymous: to sign in
    client.force_login(learner)
    assert client.get(url).status_code == 405
    # Nothing active plans any hours: the goal stays.
    assert "nothing changed" in client.post(url, follow=True).content.decode() and goal(learner) == 10
