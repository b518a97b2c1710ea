"""Everything the dashboard shows, loaded in a fixed number of queries.

However many enrolments, items, progress rows and log entries a learner has,
`load_dashboard` runs at most seven queries (fewer for a new learner): the
current enrolments, their roadmaps' active items (with the step's position),
their progress rows (which also give the revisit list), per-day study
minutes, planned breaks, metric totals and the latest log entries. The rest is one pass in Python
through progress-core's pure functions (`build_learner_state`, `forecast`)
and `stats`, so the figures agree with the plan page and the roadmap page.
Nothing is cached: every figure is current on every load.

Items and progress rows come as plain tuples into small slotted objects
(`DashItem`, `DashRow`) rather than model instances: a learner on a
2,000-item roadmap otherwise costs thousands of model instances and
timestamp parses per page view. Each row gets the item already loaded for
its roadmap, so the rows' query joins nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from django.db.models import Case, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from progress.learner import LearnerState, build_learner_state, reading_order
from progress.models import Enrolment, ItemProgress, ItemState, PlannedBreak, StudyEntry
from progress.schedule import Forecast, forecast, forecast_window, local_today
from progress.studylog import stats
from roadmaps.models import Item, ItemKind, MetricDefinition

THIS_WEEK_LIMIT = 8
UP_NEXT_LIMIT = 3
REVISIT_LIMIT = 8
RECENT_LIMIT = 8
ITEM_COLUMNS = (
    "id", "roadmap_id", "step_id", "kind", "position", "title", "estimated_hours", "step__position",
)
ROW_COLUMNS = ("id", "enrolment_id", "item_id", "state", "state_changed_at", "confidence", "repo_url", "live_url")
KIND_LABELS = dict(ItemKind.choices)


class DashItem:
    """The fields of an active Item the dashboard and `build_learner_state` read
    (not `created_at`: "items added since you enrolled" is not on the dashboard,
    and parsing 2,000 timestamps was a good part of a big learner's page)."""

    __slots__ = ("pk", "roadmap_id", "step_id", "kind", "position", "title", "estimated_hours")

    def __init__(self, pk, roadmap_id, step_id, kind, position, title, estimated_hours):
        self.pk = pk
        self.roadmap_id = roadmap_id
        self.step_id = step_id
        self.kind = kind
        self.position = position
        self.title = title
        self.estimated_hours = estimated_hours

    @property
    def id(self) -> int:
        return self.pk

    def get_kind_display(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    # Equal to the Item it stands for, as a model instance would be.
    def __eq__(self, other) -> bool:
        if isinstance(other, (DashItem, Item)):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.pk)


class DashRow:
    """An ItemProgress row of an active item, with that item and the enrolment attached."""

    __slots__ = ("pk", "enrolment_id", "item_id", "state", "state_changed_at", "confidence", "repo_url", "live_url",
                 "item", "enrolment")

    def __init__(self, pk, enrolment_id, item_id, state, state_changed_at, confidence, repo_url, live_url):
        self.pk = pk
        self.enrolment_id = enrolment_id
        self.item_id = item_id
        self.state = state
        self.state_changed_at = state_changed_at
        self.confidence = confidence
        self.repo_url = repo_url
        self.live_url = live_url
        self.item = None
        self.enrolment = None

    @property
    def id(self) -> int:
        return self.pk

    def __eq__(self, other) -> bool:
        if isinstance(other, (DashRow, ItemProgress)):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.pk)


@dataclass
class Card:
    """One enrolment on the dashboard."""

    enrolment: Enrolment
    learner: LearnerState
    forecast: Forecast
    this_week: list[DashItem]
    this_week_more: int
    up_next: list[DashItem]
    projects: list[DashRow]
    metrics: list[MetricDefinition] = field(default_factory=list)
    roadmap_url: str = ""  # reversed once per card, not once per listed item

    @property
    def roadmap(self):
        return self.enrolment.roadmap


@dataclass
class Activity:
    when: datetime | date
    kind: str  # "state" | "log"
    row: DashRow | None = None
    entry: StudyEntry | None = None
    url: str = ""  # the item on its roadmap page (state changes)


@dataclass
class Dashboard:
    today: date
    cards: list[Card]
    study: stats.StudySummary
    revisit: list[DashRow]
    recent: list[Activity]
    goal_hours: int

    minutes_by_day: dict[date, int] = field(default_factory=dict, repr=False)
    breaks: set[date] = field(default_factory=set, repr=False)

    @property
    def is_new(self) -> bool:
        return not self.cards and not self.study.total_minutes

    # The 12-week bar chart's data (progress.charts.weekly_bars draws it;
    # the 26-week heatmap is on the study log page).
    @cached_property
    def weeks(self) -> list[stats.WeekBar]:
        weeks = stats.minutes_by_week(self.minutes_by_day)
        return stats.last_weeks(weeks, today=self.today, breaks=self.breaks)


def _items_by_roadmap(roadmap_ids: list[int]) -> dict[int, list[DashItem]]:
    items = Item.objects.filter(roadmap_id__in=roadmap_ids).active().order_by().values_list(*ITEM_COLUMNS)
    grouped: dict[int, list[DashItem]] = defaultdict(list)
    positions: dict[int, int] = {}
    for *fields, step_position in items:
        item = DashItem(*fields)
        grouped[item.roadmap_id].append(item)
        if item.step_id:
            positions[item.step_id] = step_position
    return {roadmap_id: reading_order(found, positions) for roadmap_id, found in grouped.items()}


def _desc(moment: datetime) -> float:
    """A sort key that puts later moments first."""
    return -moment.timestamp()


def _card(enrolment, items, by_id, rows, minutes_by_enrolment_day, today) -> Card:
    learner = build_learner_state(enrolment=enrolment, items=items, rows=rows, today=today)
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
    week = learner.schedule.week_of(today) or (learner.schedule.weeks[0] if learner.schedule.weeks else None)
    planned = [by_id[p.item_id] for p in week.items] if week else []
    states = {item_id: row.state for item_id, row in learner.rows.items()}
    # `learner.items`, not `items`: up next follows the learner's own step order.
    started = [item for item in learner.items if states.get(item.pk) == ItemState.IN_PROGRESS]
    waiting = (
        item for item in learner.items if states.get(item.pk, ItemState.NOT_STARTED) == ItemState.NOT_STARTED
    )
    up_next = started[:UP_NEXT_LIMIT]
    for item in waiting:
        if len(up_next) >= UP_NEXT_LIMIT:
            break
        up_next.append(item)
    projects = [
        row for item_id, row in learner.rows.items()
        if (row.repo_url or row.live_url) and by_id[item_id].kind == ItemKind.PROJECT
    ]
    return Card(
        enrolment=enrolment,
        learner=learner,
        forecast=outlook,
        this_week=planned[:THIS_WEEK_LIMIT],
        this_week_more=max(0, len(planned) - THIS_WEEK_LIMIT),
        up_next=up_next,
        projects=projects,
    )


def load_dashboard(user, *, today: date | None = None) -> Dashboard:
    today = today or local_today(user.time_zone)
    enrolments = list(
        Enrolment.objects.for_user(user)
        .current()
        .select_related("roadmap", "pace_plan")
        .with_pause_time()
        .order_by(Case(When(status="active", then=Value(0)), default=Value(1), output_field=IntegerField()),
                  "-created_at", "pk")
    )
    cards: list[Card] = []
    revisit: list[DashRow] = []
    rows_by_enrolment: dict[int, list[DashRow]] = defaultdict(list)
    urls: dict[int, str] = {}

    # Study minutes per (day, enrolment), all time: the weekly streak may
    # reach far back, and a learner logs at most a few entries a day.
    minutes_by_day: dict[date, int] = defaultdict(int)
    minutes_by_enrolment_day: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    per_day = (
        StudyEntry.objects.for_user(user).order_by().values_list("date", "enrolment_id").annotate(total=Sum("minutes"))
    )
    for day, enrolment_id, total in per_day:
        minutes_by_day[day] += total
        if enrolment_id:
            minutes_by_enrolment_day[enrolment_id][day] += total
    breaks = set(PlannedBreak.objects.filter(user=user).values_list("week_start", flat=True))

    if enrolments:
        roadmap_ids = [enrolment.roadmap_id for enrolment in enrolments]
        items = _items_by_roadmap(roadmap_ids)
        item_by_id = {item.pk: item for found in items.values() for item in found}
        enrolment_by_id = {enrolment.pk: enrolment for enrolment in enrolments}
        rows = ItemProgress.objects.filter(enrolment__in=enrolments).order_by().values_list(*ROW_COLUMNS)
        for fields in rows:
            row = DashRow(*fields)
            item = item_by_id.get(row.item_id)
            if item is None:  # a retired item: the dashboard shows none of them
                continue
            row.item = item
            row.enrolment = enrolment_by_id[row.enrolment_id]
            rows_by_enrolment[row.enrolment_id].append(row)
        metrics = defaultdict(list)
        totals = MetricDefinition.objects.filter(roadmap_id__in=roadmap_ids).annotate(
            total=Coalesce(Sum("entries__amount", filter=Q(entries__enrolment__user=user)), 0)
        ).order_by("roadmap_id", "position")
        for metric in totals:
            metrics[metric.roadmap_id].append(metric)
        urls = {enrolment.roadmap_id: enrolment.roadmap.get_absolute_url() for enrolment in enrolments}
        for enrolment in enrolments:
            found = items.get(enrolment.roadmap_id, [])
            card = _card(
                enrolment, found, item_by_id, rows_by_enrolment[enrolment.pk], minutes_by_enrolment_day, today,
            )
            card.metrics = metrics.get(enrolment.roadmap_id, [])
            card.roadmap_url = urls[enrolment.roadmap_id]
            cards.append(card)
        # The revisit list (ItemProgressQuerySet.revisit_for) from the rows in
        # hand: done with confidence <= 2, on a current enrolment, most recent first.
        revisit = sorted(
            (row for found in rows_by_enrolment.values() for row in found
             if row.state == ItemState.DONE and row.confidence is not None and row.confidence <= 2),
            key=lambda row: (_desc(row.state_changed_at), row.pk),
        )[:REVISIT_LIMIT]

    recent_entries = []
    if minutes_by_day:  # no per-day totals: nothing logged, no query needed
        recent_entries = list(
            StudyEntry.objects.for_user(user).select_related("item", "enrolment__roadmap")
            .defer("item__body", "item__why", "item__skills", "enrolment__roadmap__description",
                   "enrolment__roadmap__audience")
            [:RECENT_LIMIT]
        )
    changes = sorted(
        (row for rows in rows_by_enrolment.values() for row in rows if row.state != ItemState.NOT_STARTED),
        key=lambda row: row.state_changed_at,
        reverse=True,
    )[:RECENT_LIMIT]
    activity = [
        Activity(row.state_changed_at, "state", row=row, url=f"{urls[row.enrolment.roadmap_id]}#item-{row.item_id}")
        for row in changes
    ] + [Activity(entry.created_at, "log", entry=entry) for entry in recent_entries]
    activity.sort(key=lambda a: a.when, reverse=True)

    goal = user.weekly_hours_goal
    return Dashboard(
        today=today,
        cards=cards,
        study=stats.summarise_study(minutes_by_day, goal_hours=goal, breaks=breaks, today=today),
        revisit=revisit,
        recent=activity[:RECENT_LIMIT],
        goal_hours=goal,
        minutes_by_day=dict(minutes_by_day),
        breaks=breaks,
    )

