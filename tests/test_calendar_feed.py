"""The calendar feed, parsed with icalendar: RFC 5545's required properties,
study sessions with reminders on the learner's week, stable UIDs across a
re-plan, the learner's time zone across a daylight-saving change, review
days and due retrospectives."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from progress import summaries
from progress.items.services import item_progress_set_state
from progress.sharing.calendar import calendar_ics, load_calendar
from progress.sharing.services import enrolment_rotate_calendar_token
from reviews.models import ReviewCard
from roadmaps.models import Guidance, GuidanceKind, ItemKind
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items

# The Monday before Europe's clocks go forward (Sunday 28 March 2027).
DST_MONDAY = date(2027, 3, 22)
NOW = datetime(2027, 3, 22, 8, 0, tzinfo=UTC)


def _feed(enrolment, today) -> Calendar:
    enrolment.refresh_from_db()
    summaries.rebuild(enrolments=[enrolment])
    text = calendar_ics(load_calendar(enrolment, today=today), domain="waymark.test", now=NOW)
    return Calendar.from_ical(text)


def _enrolment(user, *, zone="Europe/Berlin", start=DST_MONDAY, **fields):
    user.time_zone = zone
    user.save()
    roadmap = make_roadmap(steps=2, items_per_step=4, title="Backend basics", retrospective_interval_weeks=2)
    return make_enrolment(user, roadmap, start_date=start, **fields)


def _sessions(feed):
    return [event for event in feed.events if "-study-" in str(event["UID"])]


def test_every_event_has_rfc_5545s_required_properties(learner):
    feed = _feed(_enrolment(learner), DST_MONDAY)
    assert str(feed["VERSION"]) == "2.0" and str(feed["PRODID"])
    assert feed.events
    for event in feed.events:
        for name in ("UID", "DTSTAMP", "DTSTART"):
            assert name in event, (name, event)
        assert str(event["UID"]).endswith("@waymark.test")
    assert len({str(event["UID"]) for event in feed.events}) == len(feed.events)
    feed.validate()


def test_sessions_follow_the_default_week_with_a_reminder(learner):
    feed = _feed(_enrolment(learner, hours_per_week=6), DST_MONDAY)
    sessions = _sessions(feed)
    assert sessions and {event.start.weekday() for event in sessions} == {0, 2, 4}  # Mon, Wed, Fri
    first = sessions[0]
    assert first.start.time() == time(19, 0) and first.end - first.start == timedelta(hours=2)  # 6 h over 3
    [alarm] = first.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY" and alarm["TRIGGER"].dt == timedelta(minutes=-30)


def test_sessions_follow_the_roadmaps_suggested_week(learner):
    enrolment = _enrolment(learner)
    Guidance.objects.create(roadmap=enrolment.roadmap, kind=GuidanceKind.SCHEDULE, day="weekend", hours=3,
                            title="Build", position=5)
    assert {event.start.weekday() for event in _sessions(_feed(enrolment, DST_MONDAY))} == {5, 6}


def test_sessions_follow_the_learners_own_week_and_lead_time(learner):
    enrolment = _enrolment(learner, study_days=2 | 8, study_time=time(7, 15), reminder_minutes=1440)
    sessions = _sessions(_feed(enrolment, DST_MONDAY))
    assert {event.start.weekday() for event in sessions} == {1, 3}
    assert all(event.start.time() == time(7, 15) for event in sessions)
    assert sessions[0].walk("VALARM")[0]["TRIGGER"].dt == timedelta(days=-1)


def test_a_daylight_saving_change_keeps_the_local_time(learner):
    enrolment = _enrolment(learner, study_days=0b1111111)  # every day
    feed = _feed(enrolment, DST_MONDAY)
    by_day = {event.start.date(): event.start for event in _sessions(feed)}
    before, after = by_day[date(2027, 3, 27)], by_day[date(2027, 3, 29)]
    assert before.time() == after.time() == time(19, 0)
    assert str(before.tzinfo) == "Europe/Berlin"
    assert before.utcoffset() == timedelta(hours=1) and after.utcoffset() == timedelta(hours=2)
    assert [str(tz["TZID"]) for tz in feed.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_a_learner_in_utc_gets_utc_times(learner):
    sessions = _sessions(_feed(_enrolment(learner, zone="UTC"), DST_MONDAY))
    assert sessions[0].start.utcoffset() == timedelta(0)


def test_uids_stay_the_same_when_the_plan_moves(learner):
    enrolment = _enrolment(learner, hours_per_week=4)
    before = {str(event["UID"]): event for event in _feed(enrolment, DST_MONDAY).events}
    enrolment.hours_per_week = 8  # a faster pace: an earlier finish, fewer weeks
    enrolment.save()
    after = {str(event["UID"]): event for event in _feed(enrolment, DST_MONDAY).events}
    assert set(after) < set(before)  # nothing new, nothing duplicated: later sessions dropped
    finish = f"enrolment-{enrolment.pk}-finish@waymark.test"
    assert after[finish].start < before[finish].start
    session = next(uid for uid in after if "-study-" in uid)
    assert after[session].start == before[session].start and after[session].end > before[session].end


def test_review_days_and_due_retrospectives_are_in_the_feed(learner):
    enrolment = _enrolment(learner, start=DST_MONDAY - timedelta(weeks=2))
    enrolment.user = learner
    topic = next(item for item in roadmap_items(enrolment.roadmap) if item.kind == ItemKind.TOPIC)
    item_progress_set_state(enrolment=enrolment, item=topic, state="done")
    ReviewCard.objects.update(due_on=DST_MONDAY + timedelta(days=3))
    events = {str(event["UID"]).split("@")[0]: event for event in _feed(enrolment, DST_MONDAY).events}
    review = events[f"enrolment-{enrolment.pk}-reviews-20270325"]
    assert review.start == date(2027, 3, 25) and "Review 1 topic (about 12 min)" in str(review["SUMMARY"])
    retro = events[f"enrolment-{enrolment.pk}-retrospective-0"]
    assert retro.start == DST_MONDAY - timedelta(days=1)  # weeks 1–2 fall due on their last day
    assert f"enrolment-{enrolment.pk}-retrospective-1" in events


def test_the_feed_url_serves_text_calendar_that_parses(client, learner):
    enrolment = _enrolment(learner, start=date.today())
    enrolment_rotate_calendar_token(enrolment=enrolment)
    response = client.get(reverse("calendar_feed", args=[enrolment.calendar_token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    feed = Calendar.from_ical(response.content)
    assert _sessions(feed) and all(event.start.tzinfo == ZoneInfo("Europe/Berlin") for event in _sessions(feed))


@pytest.mark.parametrize("status", ["paused"])
def test_a_paused_enrolment_has_no_sessions(learner, status):
    enrolment = _enrolment(learner, status=status, paused_on=DST_MONDAY)
    assert _sessions(_feed(enrolment, DST_MONDAY)) == []
