"""Due-period arithmetic for retrospectives: pure functions over dates.

A retrospective looks back over a *period* of N weeks (the roadmap's
`retrospective_interval_weeks`), counted from the enrolment's start date in
the learner's own calendar. Paused days do not count: a pause pushes every
later period back by its length, so a period always holds N × 7 days of
study time. A period falls due on its last day, and stays due (then overdue)
until it is written or skipped.

Pauses are half-open date ranges [started_on, ended_on): the day a learner
resumes is a study day again; `ended_on=None` means still paused. Everything
is date arithmetic (no datetimes, no UTC offsets), so a daylight-saving change
can neither lengthen nor shorten a period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext


@dataclass(frozen=True)
class Span:
    """A pause: [started_on, ended_on); ended_on None = still paused."""

    started_on: date
    ended_on: date | None = None


@dataclass(frozen=True)
class Period:
    index: int  # 0-based
    interval_weeks: int
    start: date  # the first study day of the period
    end: date  # its last study day: the day it falls due

    @property
    def first_week(self) -> int:
        return self.index * self.interval_weeks + 1

    @property
    def last_week(self) -> int:
        return (self.index + 1) * self.interval_weeks

    @property
    def label(self) -> str:
        """“Weeks 3–4” (study weeks since the start, pauses left out), or “Week 3”."""
        if self.interval_weeks == 1:
            return gettext("Week %(number)s") % {"number": self.first_week}
        return gettext("Weeks %(first)s–%(last)s") % {"first": self.first_week, "last": self.last_week}


def zone(time_zone: str) -> ZoneInfo:
    try:
        return ZoneInfo(time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def period_days(interval_weeks: int) -> int:
    if interval_weeks < 1:
        raise ValueError("interval_weeks must be at least 1")
    return interval_weeks * 7


def _normalised(pauses: Iterable[Span], start: date) -> list[Span]:
    """Pauses clipped to the enrolment (nothing before `start` counts),
    empty ones dropped, overlapping ones merged, in date order."""
    clipped = []
    for pause in pauses:
        begin = max(pause.started_on, start)
        if pause.ended_on is not None and pause.ended_on <= begin:
            continue
        clipped.append(Span(begin, pause.ended_on))
    clipped.sort(key=lambda span: span.started_on)
    merged: list[Span] = []
    for span in clipped:
        if merged and (merged[-1].ended_on is None or span.started_on <= merged[-1].ended_on):
            last = merged[-1]
            end = None if last.ended_on is None or span.ended_on is None else max(last.ended_on, span.ended_on)
            merged[-1] = Span(last.started_on, end)
        else:
            merged.append(span)
    return merged


def study_days_through(*, start: date, today: date, pauses: Iterable[Span] = ()) -> int:
    """Study days in [start, today], both included, paused days left out."""
    if today < start:
        return 0
    days = (today - start).days + 1
    for span in _normalised(pauses, start):
        if span.started_on > today:
            break
        stop = today + timedelta(days=1) if span.ended_on is None else min(span.ended_on, today + timedelta(days=1))
        days -= (stop - span.started_on).days
    return max(0, days)


def nth_study_day(*, start: date, n: int, pauses: Iterable[Span] = ()) -> date | None:
    """The date of study day number `n` (0 = the start date, if not paused),
    or None when it lies beyond a pause that has not ended."""
    day = start + timedelta(days=n)
    for span in _normalised(pauses, start):
        if span.started_on > day:
            break
        if span.ended_on is None:
            return None
        day += span.ended_on - span.started_on
    return day


def period(*, start: date, interval_weeks: int, index: int, pauses: Iterable[Span] = ()) -> Period | None:
    """Period `index`, or None when a pause that has not ended holds it back."""
    if index < 0:
        raise ValueError("index must be at least 0")
    pauses = list(pauses)
    size = period_days(interval_weeks)
    first = nth_study_day(start=start, n=index * size, pauses=pauses)
    last = nth_study_day(start=start, n=(index + 1) * size - 1, pauses=pauses)
    if first is None or last is None:
        return None
    return Period(index, interval_weeks, first, last)


def due_count(*, start: date, interval_weeks: int, today: date, pauses: Iterable[Span] = ()) -> int:
    """How many periods have fallen due by `today`: periods 0 … count-1."""
    return study_days_through(start=start, today=today, pauses=pauses) // period_days(interval_weeks)


def due_count_from_paused_days(*, start: date, interval_weeks: int, today: date, paused_days: int) -> int:
    """The same count from the number of paused days in [start, today]
    alone, for callers that have the total but not the pauses themselves
    (the dashboard: it knows the total without another query)."""
    if today < start:
        return 0
    return max(0, (today - start).days + 1 - paused_days) // period_days(interval_weeks)


def due_periods(*, start: date, interval_weeks: int, today: date, pauses: Iterable[Span] = ()) -> list[Period]:
    """Every period that has fallen due by `today`, oldest first."""
    pauses = list(pauses)
    count = due_count(start=start, interval_weeks=interval_weeks, today=today, pauses=pauses)
    found = [period(start=start, interval_weeks=interval_weeks, index=i, pauses=pauses) for i in range(count)]
    return [p for p in found if p is not None]


def is_overdue(index: int, due: int) -> bool:
    """Due periods other than the latest are overdue: a newer one ended since."""
    return 0 <= index < due - 1


def bounds_in_zone(p: Period, time_zone: str) -> tuple[datetime, datetime]:
    """[first instant, instant after the last) of the period in the learner's
    zone, as aware datetimes: for filtering timestamps (items completed).
    Midnights are taken from the calendar, so a DST change inside the period
    makes it an hour shorter or longer in real time, never a day."""
    tz = zone(time_zone)
    return (
        datetime.combine(p.start, time.min, tzinfo=tz),
        datetime.combine(p.end + timedelta(days=1), time.min, tzinfo=tz),
    )
