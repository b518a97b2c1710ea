"""Retrospective cards on the dashboard, and their queries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from progress import summaries
from progress.models import EnrolmentPause, StudyEntry
from progress.schedule import local_today
from retrospectives.models import Retrospective
from roadmaps.models import RetrospectivePrompt
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment

DASHBOARD = "/dashboard/"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def today():
    return local_today("UTC")


def cards(response) -> list:
    body = response.content.decode()
    return [line for line in body.splitlines() if 'class="card card--accent dashboard__card"' in line]


def test_it_shows_no_card_before_the_first_period_ends(learner_client, learner, roadmap):
    make_enrolment(learner, roadmap, start_date=today() - timedelta(days=12))
    response = learner_client.get(DASHBOARD)
    assert "Time to look back" not in response.content.decode()


def test_it_shows_a_short_card_that_links_to_the_form_with_the_prompts(learner_client, learner, roadmap):
    RetrospectivePrompt.objects.create(roadmap=roadmap, position=0, text="Which win surprised you?")
    enrolment = make_enrolment(learner, roadmap, start_date=today() - timedelta(days=13))
    body = learner_client.get(DASHBOARD).content.decode()
    assert "Time to look back" in body
    # The card says what is due; the questions wait on the form.
    assert "Which win surprised you?" not in body
    form = learner_client.get(reverse("retrospectives:form", args=[enrolment.pk, 1])).content.decode()
    assert "Which win surprised you?" in form
    assert reverse("retrospectives:form", args=[enrolment.pk, 1]) in body
    assert reverse("retrospectives:skip", args=[enrolment.pk, 1]) in body
    assert "Weeks 1–2" in body and ">Due<" in body


def test_its_form_asks_the_global_prompts_for_a_roadmap_without_its_own(learner_client, learner, roadmap):
    RetrospectivePrompt.objects.filter(roadmap__isnull=True).delete()
    RetrospectivePrompt.objects.create(roadmap=None, position=0, text="Global: what helped?")
    enrolment = make_enrolment(learner, roadmap, start_date=today() - timedelta(weeks=2))
    form = reverse("retrospectives:form", args=[enrolment.pk, 1])
    assert form in learner_client.get(DASHBOARD).content.decode()
    assert "Global: what helped?" in learner_client.get(form).content.decode()


def test_it_marks_older_unwritten_periods_overdue_and_caps_the_cards(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap, start_date=today() - timedelta(weeks=10))  # 5 periods due
    response = learner_client.get(DASHBOARD)
    assert len(cards(response)) == 1  # the latest period; the rest wait in the timeline
    body = response.content.decode()
    assert body.count(">Overdue<") == 0 and body.count(">Due<") == 1
    assert "4 older not written" in body
    assert reverse("retrospectives:timeline", args=[enrolment.pk]) in body
    assert reverse("retrospectives:form", args=[enrolment.pk, 5]) in body
    for number in (4, 3):
        assert reverse("retrospectives:form", args=[enrolment.pk, number]) not in body


def test_it_stops_asking_once_written_or_skipped(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap, start_date=today() - timedelta(weeks=4))  # 2 due
    learner_client.post(
        reverse("retrospectives:form", args=[enrolment.pk, 2]), {"answer_0": "Done", "action": "submit"}
    )
    learner_client.post(reverse("retrospectives:skip", args=[enrolment.pk, 1]))
    assert "Time to look back" not in learner_client.get(DASHBOARD).content.decode()


def test_it_says_when_a_draft_is_waiting(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap, start_date=today() - timedelta(weeks=2))
    learner_client.post(reverse("retrospectives:form", args=[enrolment.pk, 1]), {"answer_0": "Half", "action": "draft"})
    body = learner_client.get(DASHBOARD).content.decode()
    assert "Draft saved" in body and ">Continue" in body


def test_it_shows_no_card_for_paused_enrolments_and_shifts_by_pauses(learner_client, learner, roadmap):
    paused = make_enrolment(
        learner, roadmap, start_date=today() - timedelta(weeks=3), status="paused",
        paused_on=today() - timedelta(days=1),
    )
    EnrolmentPause.objects.create(enrolment=paused, started_on=today() - timedelta(days=1))
    assert "Time to look back" not in learner_client.get(DASHBOARD).content.decode()
    # Active again, but paused for 10 days in between: 16 study days, one period due.
    other = make_enrolment(learner, make_roadmap(), start_date=today() - timedelta(days=25))
    EnrolmentPause.objects.create(enrolment=other, started_on=today() - timedelta(days=20),
                                  ended_on=today() - timedelta(days=10))
    response = learner_client.get(DASHBOARD)
    assert len(cards(response)) == 1
    assert reverse("retrospectives:form", args=[other.pk, 1]) in response.content.decode()


def test_it_never_shows_another_learners_retrospectives(learner_client, other_learner, roadmap):
    make_enrolment(other_learner, roadmap, start_date=today() - timedelta(weeks=4))
    assert "Time to look back" not in learner_client.get(DASHBOARD).content.decode()


def test_it_costs_no_query_when_nothing_is_due(db, client, django_assert_num_queries):
    learner = make_user()
    summaries.rebuild(enrolments=[make_enrolment(learner, make_roadmap(), start_date=today())])
    client.force_login(learner)
    # session, user, enrolments, study days and breaks, step summaries, front items,
    # the hours due reviews take (with the first due reviews), metrics, project
    # links, latest state changes: no retrospective query
    with django_assert_num_queries(10):
        client.get(DASHBOARD)


def _learner_on_three_roadmaps(weeks_ago: int):
    """Three enrolments started `weeks_ago` (+0, 1, 2) weeks ago (0: all today), with drafts,
    a closed pause and study time."""
    learner = make_user()
    for n in range(3):
        enrolment = make_enrolment(learner, make_roadmap(steps=4, items_per_step=10),
                                   start_date=today() - timedelta(weeks=weeks_ago + n if weeks_ago else 0))
        summaries.rebuild(enrolments=[enrolment])
        Retrospective.objects.create(enrolment=enrolment, cycle_start=enrolment.start_date, period_index=0,
                                     period_start=enrolment.start_date,
                                     period_end=enrolment.start_date + timedelta(days=13), facts={"x": 1})
    EnrolmentPause.objects.create(enrolment=enrolment, started_on=enrolment.start_date + timedelta(days=3),
                                  ended_on=enrolment.start_date + timedelta(days=5))
    StudyEntry.objects.create(user=learner, enrolment=enrolment, date=today(), minutes=30)
    return learner


def test_it_adds_one_fixed_query_however_many_cards(db, django_assert_max_num_queries):
    """Cards on three roadmaps (four periods due on each) cost one query (the
    periods' retrospectives) over the same dashboard with nothing due, and
    stay within the dashboard's bound."""
    counts = {}
    for name, weeks_ago in (("nothing due", 0), ("three cards", 8)):
        client = Client()
        client.force_login(_learner_on_three_roadmaps(weeks_ago))
        with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as captured:
            response = client.get(DASHBOARD)
        counts[name] = len(captured.captured_queries)
        assert len(cards(response)) == (3 if weeks_ago else 0)
    assert response.content.decode().count("Draft saved") == 0  # period 1 is not the newest
    assert counts["three cards"] == counts["nothing due"] + 1


def test_it_places_dates_on_cards_without_pauses(learner_client, learner, roadmap):
    start = today() - timedelta(weeks=2)
    make_enrolment(learner, roadmap, start_date=start, hours_per_week=Decimal(5), created_at=timezone.now())
    body = learner_client.get(DASHBOARD).content.decode()
    assert f'datetime="{start.isoformat()}"' in body
    assert f'datetime="{(start + timedelta(days=13)).isoformat()}"' in body
