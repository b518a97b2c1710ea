"""The calendar feed against RFC 5545 itself, not only what icalendar
accepts: content lines (CRLF, folded at 75 octets), each component's
required properties and their cardinality, DTSTAMP in UTC, DTSTART and
DTEND of one value type with the end after the start, every TZID defined
by a VTIMEZONE, alarms complete — on a feed that holds every kind of event,
across a daylight-saving change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from progress import summaries
from progress.items.services import item_progress_set_state
from progress.sharing.calendar import calendar_ics, load_calendar
from reviews.models import ReviewCard
from roadmaps.models import ItemKind
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items

DST_MONDAY = date(2027, 3, 22)  # Europe's clocks go forward on Sunday the 28th
NOW = datetime(2027, 3, 22, 8, 0, tzinfo=UTC)


def full_feed(user) -> str:
    """Sessions every day, steps, checkpoints, the finish, review days and
    due retrospectives, in Berlin."""
    user.time_zone = "Europe/Berlin"
    user.save()
    roadmap = make_roadmap(steps=3, items_per_step=4, title="Backend basics", retrospective_interval_weeks=2)
    roadmap.items.filter(kind=ItemKind.CHECKPOINT).update(week=3)
    enrolment = make_enrolment(user, roadmap, start_date=DST_MONDAY - timedelta(weeks=2), study_days=0b1111111,
                               reminder_minutes=60)
    enrolment.user = user
    topic = next(item for item in roadmap_items(roadmap) if item.kind == ItemKind.TOPIC)
    item_progress_set_state(enrolment=enrolment, item=topic, state="done")
    ReviewCard.objects.update(due_on=DST_MONDAY + timedelta(days=5))
    enrolment.refresh_from_db()
    summaries.rebuild(enrolments=[enrolment])
    return calendar_ics(load_calendar(enrolment, today=DST_MONDAY), domain="waymark.test", now=NOW)


def count(component, name: str) -> int:
    value = component.get(name)
    if value is None:
        return 0
    return len(value) if isinstance(value, list) else 1


def test_content_lines_are_crlf_and_folded_at_75_octets(learner):
    raw = full_feed(learner).encode()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75


def test_every_component_has_its_required_properties_once(learner):
    feed = Calendar.from_ical(full_feed(learner))
    assert count(feed, "PRODID") == 1 and count(feed, "VERSION") == 1 and str(feed["VERSION"]) == "2.0"
    kinds = {str(event["UID"]).split("-", 2)[2].split("-")[0].split("@")[0] for event in feed.events}
    assert {"step", "checkpoint", "finish", "study", "reviews", "retrospective"} <= kinds
    zones = {str(tz["TZID"]) for tz in feed.walk("VTIMEZONE")}
    for event in feed.events:
        for name in ("UID", "DTSTAMP", "DTSTART"):  # DTSTART: required with METHOD (RFC 5546)
            assert count(event, name) == 1, (name, event)
        assert event["DTSTAMP"].dt.utcoffset() == timedelta(0)  # "MUST be specified in UTC"
        assert not ("DTEND" in event and "DURATION" in event)
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert type(start) is type(end) and end > start, event
        if isinstance(start, datetime):
            tzid = event["DTSTART"].params.get("TZID")
            assert tzid in zones or start.utcoffset() == timedelta(0)
        for alarm in event.walk("VALARM"):
            assert count(alarm, "ACTION") == 1 and count(alarm, "TRIGGER") == 1
            assert str(alarm["ACTION"]) == "DISPLAY" and count(alarm, "DESCRIPTION") == 1
    assert zones == {"Europe/Berlin"}
    for zone in feed.walk("VTIMEZONE"):
        rules = zone.walk("STANDARD") + zone.walk("DAYLIGHT")
        assert zone.walk("STANDARD") and zone.walk("DAYLIGHT")  # the feed spans a change
        for rule in rules:
            for name in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO"):
                assert count(rule, name) == 1, (name, rule)
    feed.validate()


def test_timed_sessions_name_their_zone_and_keep_local_time_over_the_change(learner):
    raw = full_feed(learner)
    assert "DTSTART;TZID=Europe/Berlin:20270327T190000" in raw
    assert "DTSTART;TZID=Europe/Berlin:20270329T190000" in raw
    assert "TRIGGER:-PT1H" in raw
