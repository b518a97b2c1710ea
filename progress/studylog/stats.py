"""Study-time statistics: pure functions over dates, no database.

Study entries carry the date *in the learner's time zone* (the form defaults
to the learner's local today), and "today" is computed once with
`schedule.local_today`. Everything below is date arithmetic, so a
daylight-saving change (a 23- or 25-hour day) cannot shift a day or a week.
Weeks start on Monday, as in the schedule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from progress.schedule import week_start

CHART_WEEKS = 12
HEATMAP_WEEKS = 26
# Heatmap shades: 0 = no study, then up to these many minutes in a day.
HEATMAP_LEVELS = (0, 30, 60, 120)


def local_date(moment: datetime, time_zone: str) -> date:
    """The calendar date of `moment` where the learner lives (UTC if the
    zone is unknown): 23:30 on Sunday in Auckland is Sunday there even though
    it is still Sunday morning in London, and Monday 00:30 there is in the
    next week."""
    try:
        zone = ZoneInfo(time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).date()


def minutes_by_day(entries: Iterable[tuple[date, int]]) -> dict[date, int]:
    """(date, minutes) pairs summed per day (several entries on a day add up)."""
    days: dict[date, int] = defaultdict(int)
    for day, minutes in entries:
        days[day] += minutes
    return dict(days)


def minutes_by_week(days: Mapping[date, int]) -> dict[date, int]:
    """Per-day minutes summed per week, keyed by the week's Monday."""
    weeks: dict[date, int] = defaultdict(int)
    for day, minutes in days.items():
        weeks[week_start(day)] += minutes
    return dict(weeks)


def daily_streak(days: Mapping[date, int], today: date) -> int:
    """Consecutive days with some study, ending today — or yesterday, so
    that the streak does not read 0 in the morning before the day's study."""
    cursor = today if days.get(today) else today - timedelta(days=1)
    streak = 0
    while days.get(cursor):
        streak += 1
        cursor -= timedelta(days=1)
    return streak


@dataclass(frozen=True)
class WeeklyStreak:
    weeks: int  # weeks in a row the target was met
    this_week_met: bool  # the current week already counts


def weekly_streak(
    weeks: Mapping[date, int], *, target_minutes: int, breaks: Iterable[date], today: date
) -> WeeklyStreak:
    """Consecutive weeks (Monday-start) in which the logged minutes reached
    the learner's target, counted back from the current week.

    The current week counts once it is met and does not break the streak
    while it is still in progress. A planned-break week neither counts nor
    breaks it: the walk steps over it. The first past week that is neither
    met nor a break ends the streak.
    """
    breaks = set(breaks)
    current = week_start(today)
    this_week_met = weeks.get(current, 0) >= target_minutes > 0
    streak = 1 if this_week_met else 0
    cursor = current - timedelta(weeks=1)
    # Breaks are finite, so the walk ends at the first unmet ordinary week.
    while True:
        if cursor in breaks:
            cursor -= timedelta(weeks=1)
            continue
        if target_minutes > 0 and weeks.get(cursor, 0) >= target_minutes:
            streak += 1
            cursor -= timedelta(weeks=1)
            continue
        break
    return WeeklyStreak(streak, this_week_met)


@dataclass(frozen=True)
class WeekBar:
    start: date
    minutes: int
    is_break: bool = False
    is_current: bool = False

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)


def last_weeks(
    weeks: Mapping[date, int], *, today: date, count: int = CHART_WEEKS, breaks: Iterable[date] = ()
) -> list[WeekBar]:
    """The last `count` weeks, oldest first, the current week last."""
    breaks = set(breaks)
    current = week_start(today)
    starts = [current - timedelta(weeks=n) for n in range(count - 1, -1, -1)]
    return [WeekBar(s, weeks.get(s, 0), s in breaks, s == current) for s in starts]


@dataclass(frozen=True)
class HeatDay:
    day: date
    minutes: int
    level: int  # 0..len(HEATMAP_LEVELS); 0 = no study
    is_future: bool = False


def heat_level(minutes: int) -> int:
    """0 for no study, then 1.. by the thresholds in HEATMAP_LEVELS."""
    if minutes <= 0:
        return 0
    return sum(1 for threshold in HEATMAP_LEVELS if minutes > threshold)


def heatmap(days: Mapping[date, int], *, today: date, weeks: int = HEATMAP_WEEKS) -> list[list[HeatDay]]:
    """`weeks` columns of seven days (Monday first), oldest week first, the
    current week last; days after today are marked `is_future`."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    columns = []
    for w in range(weeks):
        column = []
        for d in range(7):
            day = first + timedelta(weeks=w, days=d)
            minutes = days.get(day, 0)
            column.append(HeatDay(day, minutes, heat_level(minutes), day > today))
        columns.append(column)
    return columns


@dataclass(frozen=True)
class StudySummary:
    today: date
    week_minutes: int
    goal_minutes: int
    daily_streak: int
    weekly_streak: WeeklyStreak
    this_week_is_break: bool
    total_minutes: int
    study_days: int

    @property
    def week_hours(self) -> float:
        return round(self.week_minutes / 60, 1)

    @property
    def goal_hours(self) -> float:
        return round(self.goal_minutes / 60, 1)

    @property
    def week_percent(self) -> int:
        if not self.goal_minutes:
            return 0
        return min(100, round(self.week_minutes * 100 / self.goal_minutes))

    @property
    def goal_met(self) -> bool:
        return self.goal_minutes > 0 and self.week_minutes >= self.goal_minutes


def summarise_study(
    days: Mapping[date, int], *, goal_hours: float, breaks: Iterable[date], today: date
) -> StudySummary:
    """Everything the dashboard says about study time, from per-day minutes."""
    breaks = set(breaks)
    weeks = minutes_by_week(days)
    goal_minutes = round(goal_hours * 60)
    return StudySummary(
        today=today,
        week_minutes=weeks.get(week_start(today), 0),
        goal_minutes=goal_minutes,
        daily_streak=daily_streak(days, today),
        weekly_streak=weekly_streak(weeks, target_minutes=goal_minutes, breaks=breaks, today=today),
        this_week_is_break=week_start(today) in breaks,
        total_minutes=sum(days.values()),
        study_days=sum(1 for minutes in days.values() if minutes),
    )
