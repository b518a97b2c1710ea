"""The schedule as iCalendar, for the calendar feed.

The steps' planned weeks and the target finish date come from the
learner-state loader (`progress.state.load_state`), so the feed says what
the plan page says. The text is written with the standard library: RFC 5545
escaping, CRLF line endings and lines folded at 75 octets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import FilteredRelation, Q
from django.utils import timezone

from progress.models import Enrolment, ItemState
from progress.schedule import week_start
from progress.state import LearnerState, load_state
from roadmaps.models import Item, ItemKind, Step


@dataclass
class Checkpoint:
    pk: int
    title: str
    week: int
    state: str


@dataclass
class CalendarPlan:
    learner: LearnerState
    step_titles: dict[int, str]
    checkpoints: list[Checkpoint]  # the active checkpoints pinned to a week, with the learner's state


def load_calendar(enrolment: Enrolment, *, today: date) -> CalendarPlan:
    """The loader's queries, then the step titles and the pinned checkpoints
    (the learner's state joined on): two more, whatever the roadmap size."""
    learner = load_state(enrolment, today=today)
    titles = dict(Step.objects.filter(roadmap_id=enrolment.roadmap_id).order_by().values_list("pk", "title"))
    mine = FilteredRelation("learner_progress", condition=Q(learner_progress__enrolment=enrolment))
    checkpoints = [
        Checkpoint(pk, title, week, state or ItemState.NOT_STARTED)
        for pk, title, week, state in Item.objects.filter(
            roadmap_id=enrolment.roadmap_id, kind=ItemKind.CHECKPOINT, week__gte=1
        )
        .active()
        .annotate(mine=mine)
        .order_by("week", "step__position", "position", "pk")
        .values_list("pk", "title", "week", "mine__state")
    ]
    return CalendarPlan(learner, titles, checkpoints)


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


def calendar_ics(plan: CalendarPlan, *, domain: str = "waymark", now: datetime | None = None) -> str:
    """All-day events: each step's planned weeks (in the learner's order),
    each checkpoint pinned to a week of the roadmap, and the target finish date."""
    learner = plan.learner
    enrolment = learner.enrolment
    roadmap = enrolment.roadmap
    stamp = (now or timezone.now()).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Waymark//Learning plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ical_escape('Waymark: ' + roadmap.title)}",
    ]
    for step_id in learner.step_order:
        span = learner.schedule.step_weeks.get(step_id)
        if not span:
            continue
        title = plan.step_titles.get(step_id, "") if step_id else "Roadmap-wide items"
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
    for checkpoint in plan.checkpoints:
        monday = first_monday + timedelta(weeks=checkpoint.week - 1)
        lines += _event(
            f"enrolment-{enrolment.pk}-checkpoint-{checkpoint.pk}@{domain}",
            stamp,
            monday,
            monday + timedelta(days=7),
            f"Checkpoint: {checkpoint.title}",
            f"Week {checkpoint.week} of {roadmap.title}." + (" Done." if checkpoint.state == ItemState.DONE else ""),
        )
    if learner.schedule.finish_date:
        finish = learner.schedule.finish_date
        lines += _event(
            f"enrolment-{enrolment.pk}-finish@{domain}", stamp, finish, finish + timedelta(days=1),
            f"Target finish: {roadmap.title}",
        )
    lines.append("END:VCALENDAR")
    return "".join(ical_fold(line) + "\r\n" for line in lines)
