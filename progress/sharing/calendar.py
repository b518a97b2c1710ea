"""The schedule as iCalendar, for the calendar feed.

The text is written with the standard library: RFC 5545 escaping, CRLF line
endings and lines folded at 75 octets.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from progress.schedule import week_start
from progress.sharing.exports import EnrolmentProgress
from roadmaps.models import ItemKind


def ical_escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def ical_fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1) without splitting a
    UTF-8 character; continuation lines begin with one space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, limit = [], 75
    while data:
        cut = min(limit, len(data))
        # Do not cut inside a multi-byte character (continuation bytes are 10xxxxxx).
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:
            cut -= 1
        parts.append(data[:cut].decode("utf-8"))
        data = data[cut:]
        limit = 74  # the leading space takes one octet
    return "\r\n ".join(parts)


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _event(uid: str, stamp: str, start: date, end: date, summary: str, description: str = "") -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date(start)}",
        f"DTEND;VALUE=DATE:{_date(end)}",  # exclusive: the day after the last
        f"SUMMARY:{ical_escape(summary)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{ical_escape(description)}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def calendar_ics(progress: EnrolmentProgress, *, domain: str = "waymark", now: datetime | None = None) -> str:
    """All-day events: each step's planned weeks, each checkpoint pinned to a
    week of the roadmap, and the target finish date."""
    enrolment, learner = progress.enrolment, progress.learner
    roadmap = enrolment.roadmap
    stamp = (now or timezone.now()).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    steps = {item.step_id: item.step for item in progress.items if item.step_id}
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Waymark//Learning plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ical_escape('Waymark: ' + roadmap.title)}",
    ]
    order = list(steps) + [None]
    for step_id in order:
        span = learner.schedule.step_weeks.get(step_id)
        if not span:
            continue
        title = steps[step_id].title if step_id else "Roadmap-wide items"
        step_progress = learner.step_state(step_id).progress
        lines += _event(
            f"enrolment-{enrolment.pk}-step-{step_id or 'roadmap'}@{domain}",
            stamp,
            span[0],
            span[1] + timedelta(days=7),
            f"{title} ({roadmap.title})",
            f"Planned at {enrolment.hours_per_week:g} h a week. {step_progress.percent}% done so far.",
        )
    first_monday = week_start(enrolment.start_date)
    for item in progress.items:
        if item.kind != ItemKind.CHECKPOINT or not item.week:
            continue
        monday = first_monday + timedelta(weeks=item.week - 1)
        state = learner.state_for(item)
        lines += _event(
            f"enrolment-{enrolment.pk}-checkpoint-{item.pk}@{domain}",
            stamp,
            monday,
            monday + timedelta(days=7),
            f"Checkpoint: {item.title}",
            f"Week {item.week} of {roadmap.title}." + (" Done." if state == "done" else ""),
        )
    if learner.schedule.finish_date:
        finish = learner.schedule.finish_date
        lines += _event(
            f"enrolment-{enrolment.pk}-finish@{domain}", stamp, finish, finish + timedelta(days=1),
            f"Target finish: {roadmap.title}",
        )
    lines.append("END:VCALENDAR")
    return "".join(ical_fold(line) + "\r\n" for line in lines)
