"""Schedule, progress and forecast arithmetic: pure functions, no database.

Everything works on dates, never datetimes: a learner's "today" is computed
once in their time zone (`local_today`), and week arithmetic on dates cannot
be shifted by a daylight-saving change. Weeks start on Monday.

Hours are weighted by each item's estimate; an item without one counts as
DEFAULT_HOURS of its kind, so that un-estimated items still take room in the
plan and in the progress bars. Skipped items leave the plan and the
denominators entirely.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from roadmaps.hours import (  # noqa: F401  (one rule, re-exported)
    ALTERNATIVE,
    CONTAINER,
    CORE,
    DEFAULT_HOURS,
    FALLBACK_HOURS,
    OPTIONAL,
    item_hours,
)

# Within half a week's hours of the plan counts as on track: items are ticked
# off whole, so being a few hours "behind" mid-week is normal.
ON_TRACK_TOLERANCE_WEEKS = Decimal("0.5")
# The forecast uses the logged pace over this many days (four weeks).
FORECAST_WINDOW_DAYS = 28

NOT_STARTED, IN_PROGRESS, DONE, SKIPPED = "not_started", "in_progress", "done", "skipped"
FINISHED_STATES = (DONE, SKIPPED)
# Planned hours are hundredths and a week's hours tenths, so a true day count
# is never closer than 1/1680 to a whole day: a millionth is rounding noise.
DAY_PRECISION = Decimal("0.000001")


def local_today(time_zone: str, now: datetime | None = None) -> date:
    """Today's date where the learner lives (UTC if their zone is unknown)."""
    from django.utils import timezone

    try:
        zone = ZoneInfo(time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return (now or timezone.now()).astimezone(zone).date()


def week_start(day: date) -> date:
    """The Monday of the week that contains `day`."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class PlanItem:
    """What the schedule needs to know about one item and the learner's state."""

    item_id: int
    step_id: int | None
    hours: Decimal
    state: str = NOT_STARTED


# --- Progress bars -----------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Hours-weighted progress of a set of items. Skipped items are counted
    apart and leave the denominator."""

    done_hours: Decimal
    total_hours: Decimal
    done_count: int
    item_count: int
    skipped_count: int
    in_progress_count: int
    # Of the hours left, those of optional items taken up and not finished
    # (what the "skip the optional items" repair takes off). Kept by the step
    # summaries; not part of what the bars compare, so left out of equality.
    optional_open_count: int = field(default=0, compare=False)
    optional_open_hours: Decimal = field(default=Decimal(0), compare=False)

    @property
    def percent(self) -> int:
        if not self.total_hours:
            return 100 if self.item_count == 0 and self.skipped_count else 0
        share = self.done_hours * 100 / self.total_hours
        return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def shown_percent(self) -> str:
        """The percent as a sentence says it. Rounding alone would say "0%"
        beside "3 of 71 done" on a long roadmap, and "100%" with an item
        left, so those read "<1" and "99". (Bars take `percent`.)"""
        percent = self.percent
        if percent == 0 and self.done_count:
            return "<1"
        if percent == 100 and self.done_count < self.item_count:
            return "99"
        return str(percent)

    @property
    def remaining_hours(self) -> Decimal:
        return self.total_hours - self.done_hours

    @property
    def is_complete(self) -> bool:
        return self.item_count > 0 and self.done_count == self.item_count


def summarise(items: Iterable[PlanItem]) -> Progress:
    """The one place progress is computed: the roadmap page, the dashboard and
    the public page all call it, so their figures agree."""
    done_hours = total_hours = Decimal(0)
    done = counted = skipped = started = 0
    for item in items:
        if item.state == SKIPPED:
            skipped += 1
            continue
        counted += 1
        total_hours += item.hours
        if item.state == DONE:
            done += 1
            done_hours += item.hours
        elif item.state == IN_PROGRESS:
            started += 1
    return Progress(done_hours, total_hours, done, counted, skipped, started)


# States in which a learner has taken an optional item or an alternative up.
CHOSEN_STATES = (IN_PROGRESS, DONE)


def counted_states(entries: Iterable[tuple[int, str, object, str]]) -> dict[int, str]:
    """The items a learner's plan counts, and their states.

    `entries` are (item id, role, group, state) in reading order, a role from
    `roadmaps.hours.item_role` and the group of alternatives ((step id, name)
    for an alternative, else anything). Core items count as before (a skipped
    one leaves the plan, `summarise` counts it apart); optional ones once
    started or done (skipped: counted apart too); a topic with subtopics
    never. Of a group of alternatives, once any is started or done those
    count like optional items; until then its first member that is not
    skipped counts, not started (the editor's default pick)."""
    entries = list(entries)
    chosen = {group for _, role, group, state in entries if role == ALTERNATIVE and state in CHOSEN_STATES}
    defaults: set = set()
    counted: dict[int, str] = {}
    for pk, role, group, state in entries:
        if role == CORE:
            counted[pk] = state
        elif role == OPTIONAL or (role == ALTERNATIVE and group in chosen):
            if state != NOT_STARTED:
                counted[pk] = state
        elif role == ALTERNATIVE:
            if state == SKIPPED:
                counted[pk] = state
            elif group not in defaults:
                defaults.add(group)
                counted[pk] = state
    return counted


# --- Projected schedule ------------------------------------------------------


@dataclass
class Week:
    start: date
    items: list[PlanItem] = field(default_factory=list)
    hours: Decimal = Decimal(0)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)


@dataclass
class Schedule:
    weeks: list[Week]
    # step id (None for roadmap-wide items) → (first week's Monday, last week's Monday)
    step_weeks: dict[int | None, tuple[date, date]]
    finish_date: date | None

    def week_of(self, day: date) -> Week | None:
        monday = week_start(day)
        return next((week for week in self.weeks if week.start == monday), None)


def days_spanned(hours: Decimal, per_day: Decimal) -> int:
    """The days `hours` fill at `per_day` hours a day, counting the last one
    begun. A seventh of a week's hours is not exact in Decimal (5 h a week is
    0.714… h a day), so the quotient is rounded to a millionth first: a plan
    that ends exactly at the end of a day must not spill into the next one
    depending on the weekday it was planned from."""
    return math.ceil((hours / per_day).quantize(DAY_PRECISION))


def plan_schedule(
    items: Sequence[PlanItem], *, hours_per_week: Decimal, start_date: date, today: date
) -> Schedule:
    """Place the remaining items (not done, not skipped), in reading order,
    into calendar weeks from max(start date, today), `hours_per_week` a week.

    Re-planning is implicit: the plan always starts from today with what is
    left, so finishing or skipping items, or changing the pace, moves every
    later week. The first week only holds the share of the week that is left
    (planning on a Sunday puts one day's worth in it). An item longer than the
    room left in a week runs on into the next, and is listed in every week it
    spans. The finish date is the day the last hour is planned for.
    """
    hours_per_week = Decimal(hours_per_week)
    if hours_per_week <= 0:
        raise ValueError("hours_per_week must be positive")
    plan_from = max(start_date, today)
    first_monday = week_start(plan_from)
    per_day = hours_per_week / 7
    # Hours of the first week that are already behind us.
    offset = per_day * plan_from.weekday()

    weeks: dict[int, Week] = {}
    step_weeks: dict[int | None, tuple[date, date]] = {}
    cursor = offset
    for item in items:
        if item.state in FINISHED_STATES:
            continue
        begin = cursor
        cursor += item.hours
        first = int(begin // hours_per_week)
        # The hour that ends exactly on a week boundary belongs to the earlier week.
        last = max(first, math.ceil(cursor / hours_per_week) - 1)
        for index in range(first, last + 1):
            week = weeks.setdefault(index, Week(start=first_monday + timedelta(weeks=index)))
            week.items.append(item)
            week_from = max(begin, hours_per_week * index)
            week_to = min(cursor, hours_per_week * (index + 1))
            week.hours += week_to - week_from
        span = (first_monday + timedelta(weeks=first), first_monday + timedelta(weeks=last))
        if item.step_id in step_weeks:
            span = (step_weeks[item.step_id][0], span[1])
        step_weeks[item.step_id] = span

    finish = None
    if cursor > offset:
        days = days_spanned(cursor, per_day)  # days from Monday of the first week
        finish = first_monday + timedelta(days=days - 1)
    return Schedule(weeks=[weeks[i] for i in sorted(weeks)], step_weeks=step_weeks, finish_date=finish)


# --- On track, behind or ahead -------------------------------------------------


@dataclass(frozen=True)
class PaceStatus:
    planned_hours: Decimal  # by today, had the learner kept their pace
    done_hours: Decimal
    status: str  # "not_started" (start date ahead) | "on_track" | "behind" | "ahead"

    @property
    def difference(self) -> Decimal:
        """Hours ahead (positive) or behind (negative), rounded to a half hour."""
        return ((self.done_hours - self.planned_hours) * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2

    @property
    def hours_off(self) -> Decimal:
        return abs(self.difference)


def active_days(*, start_date: date, today: date, paused_days: int = 0) -> int:
    """Days of study time elapsed before today, not counting paused days."""
    return max(0, (today - start_date).days - paused_days)


def pace_status(
    progress: Progress, *, hours_per_week: Decimal, start_date: date, today: date, paused_days: int = 0,
    from_days: int = 0, from_hours: Decimal = Decimal(0),
) -> PaceStatus:
    """Compare the hours of done items with the hours the plan expected by
    today, capped at the roadmap's total.

    The plan expected `from_hours` by the `from_days`-th active day (when the
    current pace took effect: a pace change, a repair, a start date in the
    past) and the current pace since. So changing the pace never moves
    "behind" by itself: the weeks already past keep the pace they had."""
    hours_per_week = Decimal(hours_per_week)
    if today < start_date:
        return PaceStatus(Decimal(0), progress.done_hours, "not_started")
    days = active_days(start_date=start_date, today=today, paused_days=paused_days)
    expected = Decimal(from_hours) + hours_per_week * max(0, days - from_days) / 7
    planned = min(progress.total_hours, expected).quantize(Decimal("0.1"))
    difference = progress.done_hours - planned
    tolerance = hours_per_week * ON_TRACK_TOLERANCE_WEEKS
    if abs(difference) <= tolerance:
        status = "on_track"
    else:
        status = "ahead" if difference > 0 else "behind"
    return PaceStatus(planned, progress.done_hours, status)


# --- Forecast from the logged pace ----------------------------------------------


@dataclass(frozen=True)
class Forecast:
    """None-valued fields mean there is nothing to forecast from: no study
    time was logged in the window. Callers say so instead of guessing."""

    hours_per_week: Decimal | None
    finish_date: date | None
    window_days: int

    @property
    def has_data(self) -> bool:
        return self.hours_per_week is not None


def forecast_window(*, start_date: date, today: date) -> tuple[date, date]:
    """The dates whose logged minutes make up the pace: the last four weeks,
    or since the start date when that is more recent (at least a week)."""
    window = min(FORECAST_WINDOW_DAYS, max(7, (today - start_date).days + 1))
    return today - timedelta(days=window - 1), today


def forecast(
    *, logged_minutes: int, remaining_hours: Decimal, start_date: date, today: date
) -> Forecast:
    first, last = forecast_window(start_date=start_date, today=today)
    window = (last - first).days + 1
    if logged_minutes <= 0:
        return Forecast(None, None, window)
    pace = (Decimal(logged_minutes) / 60) * 7 / window
    if remaining_hours <= 0:
        return Forecast(pace.quantize(Decimal("0.1")), today, window)
    days = math.ceil(remaining_hours / pace * 7)
    return Forecast(pace.quantize(Decimal("0.1")), max(today, start_date) + timedelta(days=days - 1), window)
