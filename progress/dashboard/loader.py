"""Everything the dashboard shows, in a fixed number of queries.

The learner's state on each current enrolment comes from the one loader
(`progress.state.load_states`: step summaries and the front of the plan),
so its figures agree with the plan and the roadmap page. Around it: per-day
study minutes and planned breaks (one round trip), metric totals, the
projects with a link, the latest state changes and the latest log entries.
The reviews due today ride along with the loader's state (the reviews
app's `reserved_hours`, drawn by its own partial). However many items,
rows and entries the learner has, the count stays the same; nothing walks
a roadmap's items. Nothing is cached: every figure is current on every load.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from types import SimpleNamespace

from django.db.models import FilteredRelation, Q, Sum, Value
from django.db.models.functions import Coalesce

from progress import repairs
from progress.changes import ChangeCounts, count_changes
from progress.enrolments.goal import as_goal
from progress.models import Enrolment, ItemProgress, ItemState, PlannedBreak, StudyEntry
from progress.schedule import Forecast, forecast, forecast_window, local_today
from progress.state import FRONT_COLUMNS, LearnerState, PlanEntry, load_states, week_items
from progress.studylog import stats
from roadmaps.models import Item, ItemKind, MetricDefinition

ITEMS_LIMIT = 8
SETTLED = (ItemState.DONE, ItemState.SKIPPED)
RECENT_LIMIT = 8
# Planned breaks ride along with the per-day minutes (one round trip): a
# break is a row with this marker in the enrolment column.
BREAK_MARKER = -1


@dataclass
class Card:
    """One enrolment on the dashboard."""

    enrolment: Enrolment
    learner: LearnerState
    forecast: Forecast
    # The one-tap list: what is in progress, then this week's planned items,
    # then the next ones waiting, each listed once.
    items: list[PlanEntry]
    items_more: int  # further planned items of this week, on the plan page
    week_planned: int  # items still planned for this week (the plan starts from today)
    projects: list[NotedRow]
    offers: list[repairs.RepairOffer] = field(default_factory=list)  # behind: one-step repairs
    changes: ChangeCounts | None = None  # what editors changed since the learner looked
    metrics: list[MetricDefinition] = field(default_factory=list)
    roadmap_url: str = ""  # reversed once per card, not once per listed item

    @property
    def roadmap(self):
        return self.enrolment.roadmap


@dataclass
class Activity:
    day: date  # the day it is about: a tick's local day, a log entry's study day
    when: datetime  # when it was written: the order within a day
    kind: str  # "state" | "log"
    row: NotedRow | None = None
    entry: LoggedRow | None = None
    url: str = ""  # the item on its roadmap page (state changes)


@dataclass
class Dashboard:
    today: date
    cards: list[Card]
    study: stats.StudySummary
    recent: list[Activity]
    goal_hours: int

    minutes_by_day: dict[date, int] = field(default_factory=dict, repr=False)
    breaks: set[date] = field(default_factory=set, repr=False)

    @property
    def planned_hours(self) -> Decimal:
        """What the active roadmaps plan a week: the goal follows it until the
        learner sets one of their own (progress.enrolments.goal)."""
        return sum((card.enrolment.hours_per_week for card in self.cards if card.enrolment.is_active), Decimal(0))

    @property
    def goal_differs(self) -> bool:
        return bool(self.planned_hours) and as_goal(self.planned_hours) != self.goal_hours

    @property
    def planned_goal(self) -> int:
        return as_goal(self.planned_hours)

    @property
    def is_new(self) -> bool:
        return not self.cards and not self.study.total_minutes

    # The 12-week bar chart's data (progress.charts.weekly_bars draws it;
    # the 26-week heatmap is on the study log page).
    @cached_property
    def weeks(self) -> list[stats.WeekBar]:
        weeks = stats.minutes_by_week(self.minutes_by_day)
        return stats.last_weeks(weeks, today=self.today, breaks=self.breaks)


class NotedRow:
    """An ItemProgress row the dashboard lists by name (a project with
    links, a recent state change): the columns it shows, no model instance
    (building instances with select_related cost several times the query)."""

    COLUMNS = ("pk", "enrolment_id", "item_id", "state", "state_changed_at", "confidence", "repo_url", "live_url",
               "item__title", "item__kind")

    __slots__ = ("pk", "enrolment_id", "item_id", "state", "state_changed_at", "confidence", "repo_url", "live_url",
                 "item_title", "item_kind", "item", "enrolment")

    def __init__(self, pk, enrolment_id, item_id, state, state_changed_at, confidence, repo_url, live_url,
                 item_title, item_kind):
        self.pk, self.enrolment_id, self.item_id, self.state = pk, enrolment_id, item_id, state
        self.state_changed_at, self.confidence, self.repo_url, self.live_url = (
            state_changed_at, confidence, repo_url, live_url
        )
        self.item_title, self.item_kind = item_title, item_kind
        self.item = SimpleNamespace(pk=item_id, title=item_title, kind=item_kind)
        self.enrolment = None

    @property
    def is_linked_project(self) -> bool:
        return self.item_kind == ItemKind.PROJECT and bool(self.repo_url or self.live_url)


class LoggedRow:
    """A study log entry in the recent activity: the columns it shows."""

    COLUMNS = ("pk", "minutes", "date", "created_at", "item__title", "enrolment__roadmap__title")
    __slots__ = ("pk", "minutes", "date", "created_at", "item_title", "roadmap_title")

    def __init__(self, pk, minutes, date, created_at, item_title, roadmap_title):
        self.pk, self.minutes, self.date, self.created_at = pk, minutes, date, created_at
        self.item_title, self.roadmap_title = item_title, roadmap_title


def _ticked_entry(enrolments: list[Enrolment], item_id: int) -> PlanEntry | None:
    """The tapped item with the learner's state, if it is on one of their roadmaps."""
    mine = FilteredRelation("learner_progress", condition=Q(learner_progress__enrolment__in=enrolments))
    values = (
        Item.objects.active().filter(pk=item_id, roadmap_id__in=[e.roadmap_id for e in enrolments])
        .annotate(mine=mine).values_list(*FRONT_COLUMNS).first()
    )
    return PlanEntry(*values) if values else None


def _card(enrolment, learner: LearnerState, minutes_by_enrolment_day, today, *, ticked=None, **parts) -> Card:
    first, last = forecast_window(start_date=enrolment.start_date, today=today)
    logged = sum(
        minutes for day, minutes in minutes_by_enrolment_day.get(enrolment.pk, {}).items() if first <= day <= last
    )
    outlook = forecast(
        logged_minutes=logged,
        remaining_hours=learner.progress.remaining_hours,
        start_date=enrolment.start_date,
        today=today,
    )
    week = learner.this_week
    planned = week_items(learner, week) if week else []
    listed = _one_tap_items(learner.up_next, planned)
    if ticked is not None and ticked not in listed:
        listed.insert(_first_settled(listed, limit=ITEMS_LIMIT - 1), ticked)
    return Card(
        enrolment=enrolment,
        learner=learner,
        forecast=outlook,
        items=listed[:ITEMS_LIMIT],
        items_more=max(0, len(listed) - ITEMS_LIMIT),
        week_planned=len(planned),
        offers=repairs.offers(learner, today=today),
        **parts,
    )


def _first_settled(listed: list[PlanEntry], *, limit: int) -> int:
    """Where a just-settled item goes: after the open ones, inside the limit."""
    open_count = sum(1 for entry in listed if entry.state not in SETTLED)
    return min(open_count, limit)


def _one_tap_items(up_next: list[PlanEntry], planned: list[PlanEntry]) -> list[PlanEntry]:
    """Open items first — in progress (they lead "up next"), then this week's
    plan in its order, then what waits after it — and this week's settled
    items last, so a tick can be undone in place: no item twice."""
    started = [entry for entry in up_next if entry.state == ItemState.IN_PROGRESS]
    waiting = [entry for entry in [*planned, *up_next] if entry.state not in SETTLED]
    settled = [entry for entry in planned if entry.state in SETTLED]
    seen: set[int] = set()
    listed = []
    for entry in [*started, *waiting, *settled]:
        if entry.pk not in seen:
            seen.add(entry.pk)
            listed.append(entry)
    return listed


def _study_days(user) -> tuple[dict[date, int], dict[int, dict[date, int]], set[date]]:
    """Study minutes per day (all enrolments, and per enrolment) and the
    planned breaks, in one query. All time: the weekly streak may reach far
    back, and a learner logs at most a few entries a day."""
    per_day = (
        StudyEntry.objects.for_user(user).order_by().values_list("date", "enrolment_id").annotate(total=Sum("minutes"))
    )
    breaks = PlannedBreak.objects.filter(user=user).order_by().values_list(
        "week_start", Value(BREAK_MARKER), Value(0)
    )
    minutes_by_day: dict[date, int] = defaultdict(int)
    minutes_by_enrolment_day: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    planned_breaks: set[date] = set()
    for day, enrolment_id, total in per_day.union(breaks, all=True):
        if enrolment_id == BREAK_MARKER:
            planned_breaks.add(day)
            continue
        minutes_by_day[day] += total
        if enrolment_id:
            minutes_by_enrolment_day[enrolment_id][day] += total
    return minutes_by_day, minutes_by_enrolment_day, planned_breaks


def load_dashboard(user, *, today: date | None = None, ticked: int | None = None) -> Dashboard:
    """`ticked`: an item the learner just tapped. It stays listed on its card
    (done or skipped items otherwise leave the list), so the tick can be
    undone in place; one more query."""
    today = today or local_today(user.time_zone)
    # Active ones first, then the newest: sorted here, a handful of rows (a
    # CASE in the ORDER BY cost more to build than the query itself).
    enrolments = sorted(
        Enrolment.objects.for_user(user).current().select_related("roadmap", "pace_plan"),
        key=lambda enrolment: (not enrolment.is_active, -enrolment.created_at.timestamp(), enrolment.pk),
    )
    minutes_by_day, minutes_by_enrolment_day, breaks = _study_days(user)
    cards: list[Card] = []
    changes: list[ItemProgress] = []
    urls: dict[int, str] = {}

    if enrolments:
        states = load_states(enrolments, today=today)
        roadmap_ids = [enrolment.roadmap_id for enrolment in enrolments]
        metrics = defaultdict(list)
        # The learner's entries only, in the join: summing everyone's and
        # filtering inside the sum grew with the whole table.
        totals = (
            MetricDefinition.objects.filter(roadmap_id__in=roadmap_ids)
            .annotate(mine=FilteredRelation("entries", condition=Q(entries__enrolment__in=enrolments)))
            .annotate(total=Coalesce(Sum("mine__amount"), 0))
            .order_by("roadmap_id", "position")
        )
        for metric in totals:
            metrics[metric.roadmap_id].append(metric)
        urls = {enrolment.roadmap_id: enrolment.roadmap.get_absolute_url() for enrolment in enrolments}
        by_pk = {enrolment.pk: enrolment for enrolment in enrolments}
        # Projects with a link (topics to revisit are the reviews app's queue).
        linked_project = Q(item__kind=ItemKind.PROJECT) & (~Q(repo_url="") | ~Q(live_url=""))
        noted = [
            NotedRow(*values)
            for values in ItemProgress.objects.filter(enrolment__in=enrolments, item__retired_at__isnull=True)
            .filter(linked_project)
            .order_by("-state_changed_at", "pk")
            .values_list(*NotedRow.COLUMNS)
        ]
        changes = [
            NotedRow(*values)
            for values in ItemProgress.objects.filter(enrolment__in=enrolments, item__retired_at__isnull=True)
            .exclude(state=ItemState.NOT_STARTED)
            .order_by("-state_changed_at", "-pk")
            .values_list(*NotedRow.COLUMNS)[:RECENT_LIMIT]
        ]
        for row in [*noted, *changes]:
            row.enrolment = by_pk[row.enrolment_id]
        just_ticked = _ticked_entry(enrolments, ticked) if ticked else None
        changed = count_changes(enrolments)
        for enrolment in enrolments:
            cards.append(_card(
                enrolment, states[enrolment.pk], minutes_by_enrolment_day, today,
                metrics=metrics.get(enrolment.roadmap_id, []),
                roadmap_url=urls[enrolment.roadmap_id],
                projects=[row for row in noted if row.enrolment_id == enrolment.pk and row.is_linked_project],
                ticked=just_ticked if just_ticked and just_ticked.roadmap_id == enrolment.roadmap_id else None,
                changes=changed.get(enrolment.pk),
            ))

    recent_entries = []
    if minutes_by_day:  # no per-day totals: nothing logged, no query needed
        recent_entries = [
            LoggedRow(*values)
            for values in StudyEntry.objects.for_user(user).values_list(*LoggedRow.COLUMNS)[:RECENT_LIMIT]
        ]
    # By the day each is about (an entry logged today for yesterday belongs
    # to yesterday), then by when it was written.
    activity = [
        Activity(local_today(user.time_zone, now=row.state_changed_at), row.state_changed_at, "state", row=row,
                 url=f"{urls[row.enrolment.roadmap_id]}#item-{row.item_id}")
        for row in changes
    ] + [Activity(entry.date, entry.created_at, "log", entry=entry) for entry in recent_entries]
    activity.sort(key=lambda a: (a.day, a.when), reverse=True)

    goal = user.weekly_hours_goal
    return Dashboard(
        today=today,
        cards=cards,
        study=stats.summarise_study(minutes_by_day, goal_hours=goal, breaks=breaks, today=today),
        recent=activity[:RECENT_LIMIT],
        goal_hours=goal,
        minutes_by_day=dict(minutes_by_day),
        breaks=breaks,
    )
