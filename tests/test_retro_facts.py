"""Pre-filled facts of a retrospective, and retrospectives in "download my
data" and "delete my account"."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from progress.models import Enrolment, ItemProgress, StudyEntry
from progress.schedule import local_today
from retrospectives import periods
from retrospectives.facts import compute_facts
from retrospectives.models import Retrospective, RetrospectiveAnswer, RetrospectiveRevision
from roadmaps.models import ItemKind
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items

PASSWORD = "a-long-test-password"
ZONE = "Pacific/Auckland"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(day, hour=12):
    """An instant on `day` (a date in the learner's zone) at `hour` there."""
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(ZONE))


def test_it_computes_the_periods_facts(learner):
    learner.time_zone = ZONE
    learner.weekly_hours_goal = 1
    learner.save()
    roadmap = make_roadmap(steps=2, items_per_step=4)  # every step has a topic, resource, project, checkpoint
    today = local_today(ZONE)
    start = today - timedelta(weeks=4)  # periods 1 (weeks 1–2) and 2 (weeks 3–4) are due
    enrolment = make_enrolment(learner, roadmap, start_date=start, hours_per_week=5)
    period = periods.period(start=start, interval_weeks=2, index=1)
    items = roadmap_items(roadmap)
    topic, other_topic = [item for item in items if item.kind == ItemKind.TOPIC]
    project = next(item for item in items if item.kind == ItemKind.PROJECT)
    checkpoint = next(item for item in items if item.kind == ItemKind.CHECKPOINT)
    early = at(period.start, 0).replace(minute=30)

    StudyEntry.objects.bulk_create([
        StudyEntry(user=learner, enrolment=enrolment, date=period.start, minutes=90),
        StudyEntry(user=learner, enrolment=enrolment, date=period.end, minutes=45),
        StudyEntry(user=learner, enrolment=enrolment, date=period.start - timedelta(days=1), minutes=600),  # period 1
        StudyEntry(user=learner, enrolment=None, date=period.end - timedelta(days=1), minutes=30),  # not this roadmap
    ])
    ItemProgress.objects.bulk_create([
        # Done at 00:30 local on the period's first day: in the period, although
        # it is still the day before in UTC.
        ItemProgress(enrolment=enrolment, item=topic, state="done", completed_at=early),
        ItemProgress(enrolment=enrolment, item=project, state="done", completed_at=at(period.end, 23),
                     repo_url="https://example.org/repo"),
        ItemProgress(enrolment=enrolment, item=other_topic, state="done",
                     completed_at=at(period.start - timedelta(days=1))),
        ItemProgress(enrolment=enrolment, item=checkpoint, state="skipped", state_changed_at=at(period.start, 9)),
    ])
    enrolment = Enrolment.objects.select_related("roadmap", "user").get(pk=enrolment.pk)
    facts = compute_facts(enrolment=enrolment, period=period, today=today)
    assert facts["hours_logged"] == "2.3"  # 135 minutes
    assert facts["hours_planned"] == "10.0"
    assert facts["items_completed"] == 2 and facts["items_skipped"] == 1
    assert facts["projects"] == [{"title": project.title, "repo_url": "https://example.org/repo", "live_url": ""}]
    assert facts["daily_streak"] == 2  # period.end and the day before (any roadmap), as of the period's end
    assert facts["period"] == {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": "Weeks 3–4"}
    # 3 done items of 2 h against 4 weeks × 5 h = 20 h planned, capped at the
    # roadmap's 14 h (8 items of 2 h, one skipped): 8 h behind.
    assert facts["pace"]["status"] == "behind" and facts["pace"]["label"] == "Behind"
    assert Decimal(facts["pace"]["hours_off"]) == Decimal(14) - Decimal(6)
    json.dumps(facts)  # a plain JSON snapshot


def test_it_exports_retrospectives_with_answers_history_and_pace(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap, start_date=local_today("UTC") - timedelta(weeks=2))
    url = reverse("retrospectives:form", args=[enrolment.pk, 1])
    learner_client.post(url, {"answer_0": "First", "action": "submit"})
    learner_client.post(url, {"answer_0": "Second", "action": "submit"})
    learner_client.post(reverse("retrospectives:pace", args=[enrolment.pk, 1]), {"hours_per_week": "7"})
    response = learner_client.post(reverse("accounts:data_export_download"))
    data = json.loads(response.content)
    [retro] = data["retrospectives"]
    assert retro["roadmap"] == roadmap.slug and retro["period"] == 1 and retro["status"] == "submitted"
    assert retro["answers"][0]["text"] == "Second"
    assert retro["earlier_versions"][0]["answers"][0]["text"] == "First"
    assert retro["pace_change"]["old_hours_per_week"] == "10.0" and retro["pace_change"]["new_hours_per_week"] == "7.0"
    assert retro["facts"]["hours_planned"] == "20.0"


def test_it_removes_retrospectives_with_the_account(learner_client, learner, other_learner, roadmap):
    for user in (learner, other_learner):
        enrolment = make_enrolment(user, roadmap, start_date=local_today("UTC") - timedelta(weeks=2))
        retro = Retrospective.objects.create(
            enrolment=enrolment, cycle_start=enrolment.start_date, period_index=0, period_start=enrolment.start_date,
            period_end=enrolment.start_date + timedelta(days=13),
        )
        RetrospectiveAnswer.objects.create(retrospective=retro, position=0, question="Q?", text="A")
        RetrospectiveRevision.objects.create(retrospective=retro, answers=[])
    response = learner_client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert list(Retrospective.objects.values_list("enrolment__user", flat=True)) == [other_learner.pk]
    assert RetrospectiveAnswer.objects.count() == RetrospectiveRevision.objects.count() == 1
