"""An honest plan: a pace change applies from today, a start date in the past
opens without a deficit, the start date moves without losing progress, and a
learner who fell behind is offered one-step repairs that are recorded."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse

from progress import repairs
from progress.enrolments import services
from progress.items.services import item_progress_set_state
from progress.models import Enrolment, ItemProgress, PlanRepair, RepairKind
from progress.schedule import Progress, pace_status
from progress.state import load_state
from progress.summaries import rebuild
from retrospectives.facts import compute_facts
from retrospectives.periods import period
from tests.progress_helpers import make_enrolment, roadmap_items

MON = date(2026, 11, 2)  # a Monday


def progress(total, done):
    return Progress(item_count=10, done_count=1, in_progress_count=0, skipped_count=0,
                    total_hours=D(total), done_hours=D(done))


def state_of(enrolment, today):
    enrolment = Enrolment.objects.select_related("roadmap").get(pk=enrolment.pk)
    return load_state(enrolment, today=today, front_items=False)


# --- The arithmetic ---------------------------------------------------------------------


def test_the_hours_expected_before_the_mark_keep_their_pace():
    # 28 active days at 5 h a week expected 20 h; from then on, 15 h a week.
    after_a_week = pace_status(progress(500, 0), hours_per_week=D(15), start_date=MON, today=MON + timedelta(days=35),
                               from_days=28, from_hours=D(20))
    assert after_a_week.planned_hours == D(35)  # 20 + 15
    on_the_day = pace_status(progress(500, 0), hours_per_week=D(15), start_date=MON, today=MON + timedelta(days=28),
                             from_days=28, from_hours=D(20))
    assert on_the_day.planned_hours == D(20)


def test_without_a_mark_the_plan_expects_the_pace_since_the_start():
    status = pace_status(progress(500, 0), hours_per_week=D(7), start_date=MON, today=MON + timedelta(days=10))
    assert status.planned_hours == D(10)


# --- A pace change applies from today -----------------------------------------------------


@pytest.fixture
def behind(learner, roadmap):
    """Four weeks in at 5 h a week, nothing done: 20 h behind."""
    roadmap.items.update(estimated_hours=D(20))
    enrolment = make_enrolment(learner, roadmap, hours_per_week=5, start_date=MON)
    rebuild(enrolments=[enrolment])
    return enrolment


@pytest.mark.parametrize("new_pace", [15, 2])
def test_changing_pace_never_moves_behind_by_itself(behind, new_pace):
    today = MON + timedelta(days=28)
    assert state_of(behind, today).pace.difference == D(-20)
    services.enrolment_change_pace(enrolment=behind, hours_per_week=D(new_pace), today=today)
    assert state_of(behind, today).pace.difference == D(-20)
    # From then on the new pace counts: a week later, 20 + one week of it.
    assert state_of(behind, today + timedelta(days=7)).pace.difference == D(-20 - new_pace)


def test_a_change_on_the_last_day_of_a_week_counts_that_day_at_the_new_pace(behind):
    sunday = MON + timedelta(days=27)
    services.enrolment_change_pace(enrolment=behind, hours_per_week=D(14), today=sunday)
    # The 27 days before Sunday at 5 h a week (19.3 h), then Sunday at 14 h a week (2 h).
    assert state_of(behind, sunday).pace.planned_hours == D("19.3")
    assert state_of(behind, sunday + timedelta(days=1)).pace.planned_hours == D("21.3")


def test_the_pace_form_changes_the_pace_from_today(learner_client, behind):
    response = learner_client.post(reverse("progress:change_pace", args=[behind.pk]),
                                   {"pace": "own", "hours_per_week": "12"}, follow=True)
    assert "from today" in response.content.decode()
    behind.refresh_from_db()
    assert behind.hours_per_week == D(12) and behind.pace_from_days > 0


# --- A start date in the past; a new start date ----------------------------------------------


def test_enrolling_with_a_start_date_in_the_past_opens_on_track_with_a_kind_line(learner_client, learner, roadmap):
    start = date.today() - timedelta(weeks=6)
    response = learner_client.post(reverse("progress:enrol", args=[roadmap.slug]),
                                   {"pace": "own", "hours_per_week": "10", "start_date": start.isoformat()},
                                   follow=True)
    body = response.content.decode()
    assert response.context["learner"].pace.status == "on_track"
    assert "Behind" not in body
    assert "You began before you enrolled here" in body
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.start_date == start  # the weeks are planned from that date


def test_the_start_date_moves_without_losing_progress(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap, start_date=date.today() - timedelta(days=3))
    item = roadmap_items(roadmap)[0]
    item_progress_set_state(enrolment=enrolment, item=item, state="done")
    ItemProgress.objects.filter(enrolment=enrolment, item=item).update(note="Keep me")
    new_start = date.today() - timedelta(weeks=5)
    url = reverse("progress:change_start", args=[enrolment.pk])
    assert learner_client.get(url).status_code == 200
    response = learner_client.post(url, {"start_date": new_start.isoformat()}, follow=True)
    assert "your progress is as it was" in response.content.decode()
    enrolment.refresh_from_db()
    row = ItemProgress.objects.get(enrolment=enrolment, item=item)
    assert enrolment.start_date == new_start and (row.state, row.note) == ("done", "Keep me")
    # Being on track counts from where the learner stands today.
    assert state_of(enrolment, date.today()).pace.status == "on_track"


@pytest.mark.parametrize("value", ["", "yesterday", "1999-01-01", "2999-01-01"])
def test_a_bad_start_date_is_refused_and_changes_nothing(learner_client, learner, roadmap, value):
    enrolment = make_enrolment(learner, roadmap)
    response = learner_client.post(reverse("progress:change_start", args=[enrolment.pk]), {"start_date": value})
    assert response.status_code == 400
    assert Enrolment.objects.get(pk=enrolment.pk).start_date == enrolment.start_date


def test_the_start_date_page_is_the_learners_own(client, other_learner, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    url = reverse("progress:change_start", args=[enrolment.pk])
    assert client.get(url).status_code == 302  # anonymous: to sign in
    client.force_login(other_learner)
    assert client.get(url).status_code == 404
    assert client.post(url, {"start_date": date.today().isoformat()}).status_code == 404


# --- Repairs --------------------------------------------------------------------------------


def test_no_repair_is_offered_within_a_week_of_the_pace(learner, roadmap):
    roadmap.items.update(estimated_hours=D(20))
    enrolment = make_enrolment(learner, roadmap, hours_per_week=10, start_date=MON)
    rebuild(enrolments=[enrolment])
    today = MON + timedelta(days=7)  # 10 h behind: a week of pace, not more
    assert repairs.offers(state_of(enrolment, today), today=today) == []


def test_a_learner_behind_is_offered_two_repairs_with_their_finish_dates(behind):
    today = MON + timedelta(days=28)
    state = state_of(behind, today)
    move, raise_pace = repairs.offers(state, today=today)
    assert (move.kind, move.hours_per_week, move.finish_date) == ("move_date", D(5), state.schedule.finish_date)
    # The date the plan promised: 120 h total, 20 h expected by now, 100 h left at 5 h a week.
    assert raise_pace.finish_date == today + timedelta(days=140 - 1)
    assert raise_pace.kind == "raise_pace" and raise_pace.hours_per_week == D("6")  # 120 h over 20 weeks
    assert raise_pace.finish_date < move.finish_date


@pytest.mark.parametrize("kind", ["move_date", "raise_pace"])
def test_a_repair_puts_the_learner_on_track_and_is_recorded(learner_client, behind, kind):
    today = date.today()
    Enrolment.objects.filter(pk=behind.pk).update(start_date=today - timedelta(days=28))
    plan = reverse("progress:plan", args=[behind.pk])
    body = learner_client.get(plan).content.decode()
    assert f'name="kind" value="{kind}"' in body and "Repair the plan" in body
    response = learner_client.post(reverse("progress:plan_repair", args=[behind.pk]), {"kind": kind, "next": plan})
    assert response.status_code == 302 and response["Location"] == plan
    repair = PlanRepair.objects.get(enrolment=behind)
    assert repair.kind == kind and repair.made_on == today and repair.behind_hours == D(20)
    assert state_of(behind, today).pace.status == "on_track"
    # A second tap (a double-click, another tab) finds nothing to repair.
    learner_client.post(reverse("progress:plan_repair", args=[behind.pk]), {"kind": kind})
    assert PlanRepair.objects.count() == 1
    assert "Repair the plan" not in learner_client.get(plan).content.decode()


def test_the_dashboard_offers_the_repairs_too(learner_client, behind):
    Enrolment.objects.filter(pk=behind.pk).update(start_date=date.today() - timedelta(days=28))
    body = learner_client.get("/dashboard/").content.decode()
    assert reverse("progress:plan_repair", args=[behind.pk]) in body


def test_an_unknown_repair_changes_nothing(learner_client, behind):
    before = Enrolment.objects.get(pk=behind.pk)
    response = learner_client.post(reverse("progress:plan_repair", args=[behind.pk]), {"kind": "delete_all"},
                                   follow=True)
    assert "nothing was changed" in response.content.decode()
    after = Enrolment.objects.get(pk=behind.pk)
    assert (after.hours_per_week, after.pace_from_days) == (before.hours_per_week, before.pace_from_days)
    assert not PlanRepair.objects.exists()


def test_repairs_are_the_learners_own_and_post_only(client, learner_client, other_learner, behind):
    url = reverse("progress:plan_repair", args=[behind.pk])
    assert learner_client.get(url).status_code == 405
    client.force_login(other_learner)
    assert client.post(url, {"kind": "move_date"}).status_code == 404


def test_the_next_retrospective_lists_the_repair(behind):
    today = MON + timedelta(days=28)
    services.enrolment_repair(enrolment=behind, kind=RepairKind.MOVE_DATE, today=today)
    enrolment = Enrolment.objects.select_related("roadmap", "user").get(pk=behind.pk)
    facts = compute_facts(enrolment=enrolment, period=period(start=MON, interval_weeks=6, index=0), today=today)
    assert [(r["kind"], r["made_on"]) for r in facts["repairs"]] == [("move_date", today.isoformat())]
