"""The small bugs issue 13 lists, each pinned by a test."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.models import User
from progress.models import Milestone, PlannedBreak, StudyEntry
from progress.schedule import week_start
from roadmaps.models import Item
from tests.progress_helpers import make_enrolment


@pytest.fixture
def enrolment(learner, roadmap):
    return make_enrolment(learner, roadmap)


def test_a_milestone_without_a_step_shows_on_the_plan_and_the_roadmap_page(learner_client, enrolment, roadmap):
    Item.objects.create(roadmap=roadmap, step=None, kind="resource", key="wide", position=0, title="Roadmap-wide")
    response = learner_client.post(reverse("progress:milestone_add", args=[enrolment.pk]),
                                   {"title": "Ship my portfolio", "step": ""}, follow=True)
    assert "Milestone added." in response.content.decode()
    assert Milestone.objects.get().step_id is None
    assert "Ship my portfolio" in learner_client.get(reverse("progress:plan", args=[enrolment.pk])).content.decode()
    assert "Ship my portfolio" in learner_client.get(roadmap.get_absolute_url()).content.decode()


def test_the_milestone_form_says_optional_once(learner_client, enrolment):
    body = learner_client.get(reverse("progress:milestone_add", args=[enrolment.pk])).content.decode()
    assert "(optional) (optional)" not in body and "Step (optional)" not in body.replace(
        'Step <span class="field-optional">(optional)</span>', "")


def test_the_counters_page_never_says_1_plans(learner_client, enrolment, roadmap):
    metric = roadmap.metrics.get()
    metric.unit, metric.target = "plans", 20
    metric.save()
    learner_client.post(reverse("progress:metrics", args=[enrolment.pk]),
                        {"metric": metric.pk, "date": date.today().isoformat(), "amount": 1})
    body = learner_client.get(reverse("progress:metrics", args=[enrolment.pk])).content.decode()
    assert not re.search(r">\s*1 plans", body) and "(counted in plans)" in body
    assert re.search(r'<progress class="progress counter-bar" max="20" value="1"', body)


def test_a_counter_refuses_a_five_figure_amount(learner_client, enrolment, roadmap):
    metric = roadmap.metrics.get()
    response = learner_client.post(reverse("progress:metrics", args=[enrolment.pk]),
                                   {"metric": metric.pk, "date": date.today().isoformat(), "amount": 100000})
    assert "is there a typo?" in response.content.decode()
    assert not metric.entries.exists()


def test_showing_on_the_public_page_without_a_handle_says_what_is_missing(learner_client, learner, enrolment):
    assert not learner.handle
    response = learner_client.post(reverse("progress:sharing_public", args=[enrolment.pk]), {"public": "1"},
                                   follow=True)
    body = response.content.decode()
    assert "now shows on your public page" not in body and "once you choose a handle" in body
    User.objects.filter(pk=learner.pk).update(handle="lea")
    response = learner_client.post(reverse("progress:sharing_public", args=[enrolment.pk]), {"public": "1"},
                                   follow=True)
    assert "now shows on your public page" in response.content.decode()


@pytest.mark.parametrize("name", ["sharing_link", "sharing_calendar"])
def test_the_first_secret_address_does_not_say_an_old_one_stops(learner_client, enrolment, name):
    url = reverse(f"progress:{name}", args=[enrolment.pk])
    first = learner_client.post(url, {"action": "regenerate"}, follow=True).content.decode()
    assert "the old one stops working" not in first
    second = learner_client.post(url, {"action": "regenerate"}, follow=True).content.decode()
    assert "the old one stops working" in second


def test_recent_activity_follows_the_day_each_is_about(learner_client, learner, enrolment):
    today = date.today()
    StudyEntry.objects.create(user=learner, enrolment=enrolment, date=today, minutes=20, note="")
    # Written later, about a day before: it comes after today's entry.
    StudyEntry.objects.create(user=learner, enrolment=enrolment, date=today - timedelta(days=3), minutes=75)
    recent = learner_client.get("/dashboard/").context["dash"].recent
    assert [activity.entry.minutes for activity in recent] == [20, 75]


def test_dates_are_written_one_way(learner_client, learner, enrolment):
    response = learner_client.post(reverse("progress:log_add"), {"date": "2026-11-09", "minutes": 30}, follow=True)
    assert "Logged 30 minutes on 9 Nov 2026." in response.content.decode()


def test_past_planned_breaks_are_listed_and_can_be_undone(learner_client, learner):
    past = week_start(date.today()) - timedelta(weeks=3)
    PlannedBreak.objects.create(user=learner, week_start=past)
    body = learner_client.get(reverse("progress:log_list")).content.decode()
    assert "Past" in body and f'value="{past.isoformat()}"' in body
    learner_client.post(reverse("progress:planned_break"), {"week": past.isoformat(), "action": "unmark"})
    assert not PlannedBreak.objects.exists()


def test_the_plans_step_table_names_its_cells_for_a_phone(learner_client, enrolment):
    body = learner_client.get(reverse("progress:plan", args=[enrolment.pk])).content.decode()
    assert 'class="table table--stack"' in body and 'data-label="Planned weeks"' in body


def test_step_and_roadmap_hours_shown_are_what_the_items_add_up_to(client, roadmap):
    from decimal import Decimal

    from roadmaps.content import load_roadmap_content
    from roadmaps.hours import item_hours

    step = roadmap.steps.order_by("position").first()
    step.estimated_hours = Decimal(99)  # the editor's stated figure disagrees with the items
    step.save()
    content = load_roadmap_content(roadmap)
    first = content.steps[0]
    items_sum = sum(item_hours(i.kind, i.estimated_hours) for i in first.items.all)
    assert first.hours == items_sum != Decimal(99) and first.stated_hours_differ
    everything = sum(item_hours(i.kind, i.estimated_hours) for i in Item.objects.filter(roadmap=roadmap).active())
    assert content.total_hours == everything
