"""The learner's plan as a live iCalendar feed, written with `icalendar`.

What it holds, for one enrolment:

- study sessions on the learner's study week (`study_week_of`: the days and
  time they chose on the plan page, else the roadmap's suggested week, else
  Monday, Wednesday and Friday at 19:00), from this week until the target
  finish date (at most SESSION_WEEKS ahead: calendar apps fetch the feed
  again every few hours), each as long as its share of the weekly hours,
  with a reminder (VALARM) the learner's chosen lead time before;
- each step's planned weeks, the checkpoints pinned to a week, the target
  finish date (all-day events);
- what other apps add (`extensions.calendar_events`): review days, due
  retrospectives.

UIDs are derived from the enrolment and what the event is (a step, a
checkpoint, a session's date), never random, so when the plan moves a
calendar app updates its events instead of adding copies. Sessions are in
the learner's zone with its VTIMEZONE, so 19:00 stays 19:00 across a
daylight-saving change; everything else is a date. The figures come from
the learner-state loader, so the feed says what the plan page says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import FilteredRelation, Q
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext, ngettext
from icalendar import Alarm, Calendar, Event

from progress import extensions
from progress.models import Enrolment, ItemState
from progress.schedule import week_start
from progress.state import LearnerState, load_state
from progress.wording import hours
from roadmaps.models import Guidance, GuidanceKind, Item, ItemKind, Step

SESSION_WEEKS = 12
DEFAULT_DAYS = (0, 2, 4)  # Monday, Wednesday, Friday
DEFAULT_TIME = time(19, 0)
MIN_SESSION = timedelta(minutes=15)
# The roadmap's suggested week names days, or groups of them.
SUGGESTED_DAYS = {
    "mon": (0,), "tue": (1,), "wed": (2,), "thu": (3,), "fri": (4,), "sat": (5,), "sun": (6,),
    "weekdays": (0, 1, 2, 3, 4), "weekend": (5, 6), "daily": (0, 1, 2, 3, 4, 5, 6),
}
# Django's own day names (WEEKDAYS, Monday 0), in the reader's language.
DAY_NAMES = tuple(WEEKDAYS[day] for day in range(7))


@dataclass(frozen=True)
class StudyWeek:
    days: tuple[int, ...]  # weekdays, Monday 0
    at: time
    reminder_minutes: int
    source: str  # "yours" | "suggested" (the roadmap's week) | "default"

    @property
    def day_names(self) -> list[str]:
        return [DAY_NAMES[day] for day in self.days]


def study_week_of(enrolment: Enrolment, *, suggested_days: Iterable[str] | None = None) -> StudyWeek:
    """The learner's study week on this roadmap. `suggested_days`: the day
    codes of the roadmap's suggested week, when the caller has its content
    already (the plan page); else one query reads them, if they are needed."""
    at = enrolment.study_time or DEFAULT_TIME
    if enrolment.study_days:
        days = tuple(day for day in range(7) if enrolment.study_days & (1 << day))
        return StudyWeek(days, at, enrolment.reminder_minutes, "yours")
    if suggested_days is None:
        suggested_days = Guidance.objects.filter(
            roadmap_id=enrolment.roadmap_id, kind=GuidanceKind.SCHEDULE, week__isnull=True
        ).values_list("day", flat=True)
    suggested = sorted({day for code in suggested_days for day in SUGGESTED_DAYS.get(code, ())})
    if suggested:
        return StudyWeek(tuple(suggested), at, enrolment.reminder_minutes, "suggested")
    return StudyWeek(DEFAULT_DAYS, at, enrolment.reminder_minutes, "default")


@dataclass
class Checkpoint:
    pk: int
    title: str
    week: int
    state: str


@dataclass(frozen=True)
class CalendarEvent:
    """One event of the feed. `key` names it within the enrolment (the UID
    is `enrolment-<pk>-<key>@<domain>`); dates make an all-day event,
    aware datetimes a timed one; `alarm_minutes` adds a reminder."""

    key: str
    summary: str
    start: date | datetime
    end: date | datetime
    description: str = ""
    alarm_minutes: int | None = None


@dataclass
class CalendarPlan:
    learner: LearnerState
    step_titles: dict[int, str]
    checkpoints: list[Checkpoint]  # the active checkpoints pinned to a week, with the learner's state
    today: date
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    week: StudyWeek | None = None

    @property
    def enrolment(self) -> Enrolment:
        return self.learner.enrolment

    @property
    def until(self) -> date:
        """The last day the feed plans anything for."""
        return self.today + timedelta(weeks=SESSION_WEEKS)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def load_calendar(enrolment: Enrolment, *, today: date) -> CalendarPlan:
    """The loader's queries (no front items: the feed lists no items), the
    step titles and the pinned checkpoints (the learner's state joined on):
    two more, and the suggested week's days unless the learner chose theirs.
    `enrolment.user` is loaded."""
    learner = load_state(enrolment, today=today, front_items=False)
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
    return CalendarPlan(learner, titles, checkpoints, today, _zone(enrolment.user.time_zone),
                        study_week_of(enrolment))


def _plan_events(plan: CalendarPlan) -> list[CalendarEvent]:
    """The steps' planned weeks (in the learner's order), the checkpoints
    and the target finish date."""
    learner = plan.learner
    enrolment = learner.enrolment
    roadmap = enrolment.roadmap
    events = []
    for step_id in learner.step_order:
        span = learner.schedule.step_weeks.get(step_id)
        if not span:
            continue
        title = plan.step_titles.get(step_id, "") if step_id else gettext("Roadmap-wide items")
        percent = learner.step_state(step_id).progress.shown_percent
        events.append(CalendarEvent(
            f"step-{step_id or 'roadmap'}",
            gettext("%(step)s (%(roadmap)s)") % {"step": title, "roadmap": roadmap.title},
            span[0], span[1] + timedelta(days=7),
            gettext("Planned at %(hours)s h a week. %(percent)s%% done so far.")
            % {"hours": hours(enrolment.hours_per_week), "percent": percent},
        ))
    first_monday = week_start(enrolment.start_date)
    for checkpoint in plan.checkpoints:
        monday = first_monday + timedelta(weeks=checkpoint.week - 1)
        where = {"week": checkpoint.week, "roadmap": roadmap.title}
        if checkpoint.state == ItemState.DONE:
            description = gettext("Week %(week)s of %(roadmap)s. Done.") % where
        else:
            description = gettext("Week %(week)s of %(roadmap)s.") % where
        events.append(CalendarEvent(
            f"checkpoint-{checkpoint.pk}", gettext("Checkpoint: %(title)s") % {"title": checkpoint.title},
            monday, monday + timedelta(days=7), description,
        ))
    if learner.schedule.finish_date:
        finish = learner.schedule.finish_date
        events.append(CalendarEvent(
            "finish", gettext("Target finish: %(roadmap)s") % {"roadmap": roadmap.title}, finish,
            finish + timedelta(days=1),
        ))
    return events


def session_length(hours_per_week: Decimal, days: int) -> timedelta:
    """Each session's share of the week's hours (a quarter-hour at least)."""
    minutes = int(Decimal(hours_per_week) * 60 / max(days, 1))
    return max(MIN_SESSION, timedelta(minutes=minutes))


def _step_of_week(learner: LearnerState, titles: dict[int, str], monday: date) -> list[str]:
    return [
        titles.get(step_id, "") if step_id else gettext("Roadmap-wide items")
        for step_id in learner.step_order
        if (span := learner.schedule.step_weeks.get(step_id)) and span[0] <= monday <= span[1]
    ]


def _sessions(plan: CalendarPlan) -> list[CalendarEvent]:
    """The study sessions from this week (or the start date) to the finish
    date or SESSION_WEEKS ahead, none while paused."""
    enrolment, week, learner = plan.enrolment, plan.week, plan.learner
    if week is None or not enrolment.is_active or learner.schedule.finish_date is None:
        return []
    first = max(week_start(plan.today), enrolment.start_date)
    last = min(learner.schedule.finish_date, plan.until)
    length = session_length(enrolment.hours_per_week, len(week.days))
    events = []
    day = first
    while day <= last:
        if day.weekday() in week.days:
            start = datetime.combine(day, week.at, tzinfo=plan.zone)
            steps = _step_of_week(learner, plan.step_titles, week_start(day))
            sessions = ngettext(
                "%(hours)s h a week over %(count)d session.", "%(hours)s h a week over %(count)d sessions.",
                len(week.days),
            ) % {"hours": hours(enrolment.hours_per_week), "count": len(week.days)}
            if steps:
                description = gettext("Planned: %(steps)s. %(sessions)s") % {
                    "steps": ", ".join(steps), "sessions": sessions}
            else:
                description = sessions
            events.append(CalendarEvent(
                f"study-{day:%Y%m%d}", gettext("Study: %(roadmap)s") % {"roadmap": enrolment.roadmap.title},
                start, start + length, description, alarm_minutes=week.reminder_minutes,
            ))
        day += timedelta(days=1)
    return events


def _vevent(event: CalendarEvent, *, uid: str, stamp: datetime) -> Event:
    vevent = Event()
    vevent.add("uid", uid)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.start)
    vevent.add("dtend", event.end)  # all day: exclusive, the day after the last
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.alarm_minutes is None:
        vevent.add("transp", "TRANSPARENT")  # an all-day marker does not make the learner busy
    else:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.summary)
        alarm.add("trigger", timedelta(minutes=-event.alarm_minutes))
        vevent.add_component(alarm)
    return vevent


def calendar_ics(plan: CalendarPlan, *, domain: str = "waymark", now: datetime | None = None) -> str:
    roadmap = plan.enrolment.roadmap
    stamp = (now or timezone.now()).astimezone(UTC)
    feed = Calendar()
    feed.add("prodid", "-//Waymark//Learning plan//EN")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", gettext("Waymark: %(roadmap)s") % {"roadmap": roadmap.title})
    feed.add("x-wr-timezone", str(plan.zone.key))
    events = [*_plan_events(plan), *_sessions(plan), *extensions.calendar_events(plan)]
    for event in events:
        feed.add_component(_vevent(event, uid=f"enrolment-{plan.enrolment.pk}-{event.key}@{domain}", stamp=stamp))
    # The zone's rules around the sessions only: a short VTIMEZONE.
    feed.add_missing_timezones(first_date=plan.today - timedelta(days=366), last_date=plan.until + timedelta(days=366))
    return feed.to_ical().decode("utf-8")
