"""A learner's state on one roadmap, loaded in a fixed number of queries.

`load_learner_state` is what the roadmap page shows for an enrolled learner;
`build_learner_state` is the pure part, which the dashboard and the public
page can call with rows they loaded themselves, so that progress bars agree
everywhere (they all go through `schedule.summarise`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, F, Q, When

from progress.models import Enrolment, ItemProgress, ItemState, Milestone
from progress.schedule import (
    PaceStatus,
    PlanItem,
    Progress,
    Schedule,
    item_hours,
    local_today,
    pace_status,
    plan_schedule,
    summarise,
)

# Reading order of kinds inside a step, as the roadmap page lists them.
KIND_ORDER = {"topic": 0, "resource": 1, "project": 2, "checkpoint": 3}


def reading_order(items: Iterable, step_positions: dict[int, int]) -> list:
    """Items in the order the roadmap page shows them: steps in order, then
    roadmap-wide items; inside a step topics, resources, projects, checkpoints."""
    big = 1 << 30
    return sorted(
        items,
        key=lambda item: (
            step_positions.get(item.step_id, big) if item.step_id else big + 1,
            KIND_ORDER.get(item.kind, 9),
            item.position,
            item.pk,
        ),
    )


def learner_step_order(step_ids: Iterable[int], step_order: Sequence) -> list[int]:
    """The learner's order of a roadmap's steps. `step_ids` are the steps the
    roadmap has now, in its own order; `step_order` is `Enrolment.step_order`.
    The steps it lists come first, in its order; the others (added by an editor
    since, or all of them when there is no custom order) follow in the
    roadmap's order. Pks of steps the roadmap no longer has are ignored."""
    step_ids = list(step_ids)
    present = set(step_ids)
    listed = [pk for pk in dict.fromkeys(pk for pk in step_order if isinstance(pk, int)) if pk in present]
    seen = set(listed)
    return listed + [pk for pk in step_ids if pk not in seen]


def apply_step_order(items: Sequence, step_order: Sequence) -> Sequence:
    """`items` (in reading order) with their steps in the learner's order, by
    the rule of `learner_step_order`; roadmap-wide items stay last. The sort is
    stable, so items keep their reading order inside a step, and the steps the
    custom order does not list keep the roadmap's order among themselves."""
    rank = {pk: index for index, pk in enumerate(dict.fromkeys(pk for pk in step_order if isinstance(pk, int)))}
    if not rank:
        return items
    unlisted, roadmap_wide = len(rank), len(rank) + 1
    return sorted(
        items,
        key=lambda item: roadmap_wide if item.step_id is None else rank.get(item.step_id, unlisted),
    )


def paused_days(enrolment: Enrolment, today: date) -> int:
    """Days paused since the start date: finished pauses (annotated by
    `with_pause_time`) plus the running one."""
    closed = getattr(enrolment, "closed_pause_time", None)
    days = closed.days if closed else 0
    if enrolment.paused_on:
        days += max(0, (today - max(enrolment.paused_on, enrolment.start_date)).days)
    return days


@dataclass
class StepState:
    progress: Progress
    planned: tuple[date, date] | None = None
    milestones: list[Milestone] = field(default_factory=list)


@dataclass
class LearnerState:
    enrolment: Enrolment
    today: date
    rows: dict[int, ItemProgress]
    progress: Progress
    steps: dict[int | None, StepState]
    schedule: Schedule
    pace: PaceStatus
    skipped: list  # active items the learner skipped, in the learner's order
    removed: list[ItemProgress]  # rows of items an editor retired
    milestones: list[Milestone]
    items: Sequence = ()  # the active items the state was built from, in the learner's order

    @property
    def added_since(self) -> int:
        """Items added to the roadmap after the learner enrolled. Counted when
        asked for: the dashboard never shows it and loads no creation times."""
        created = self.enrolment.created_at
        return sum(1 for item in self.items if item.created_at > created)

    def row_for(self, item) -> ItemProgress | None:
        return self.rows.get(item.pk)

    def state_for(self, item) -> str:
        row = self.rows.get(item.pk)
        return row.state if row else ItemState.NOT_STARTED

    def step_state(self, step_id: int | None) -> StepState:
        return self.steps.get(step_id) or StepState(progress=summarise([]))


def plan_items(items: Sequence, states: dict[int, str]) -> list[PlanItem]:
    return [
        PlanItem(item.pk, item.step_id, item_hours(item.kind, item.estimated_hours), states.get(item.pk, "not_started"))
        for item in items
    ]


def build_learner_state(
    *,
    enrolment: Enrolment,
    items: Sequence,
    rows: Iterable[ItemProgress],
    milestones: Iterable[Milestone] = (),
    today: date,
) -> LearnerState:
    """`items` are the roadmap's active items in reading order; `rows` every
    ItemProgress row of the enrolment (rows of retired items included, with
    their item loaded).

    This is the one place the learner's own step order is applied: the
    schedule, the steps' planned weeks, `items` and `skipped` all follow it,
    so every page that shows a plan agrees on it."""
    items = apply_step_order(items, enrolment.step_order)
    active_ids = {item.pk for item in items}
    by_item: dict[int, ItemProgress] = {}
    removed: list[ItemProgress] = []
    for row in rows:
        if row.item_id in active_ids:
            by_item[row.item_id] = row
        else:
            removed.append(row)
    states = {item_id: row.state for item_id, row in by_item.items()}
    planned = plan_items(items, states)

    per_step: dict[int | None, list[PlanItem]] = defaultdict(list)
    for plan_item in planned:
        per_step[plan_item.step_id].append(plan_item)
    progress = summarise(planned)
    schedule = plan_schedule(
        planned, hours_per_week=enrolment.hours_per_week, start_date=enrolment.start_date, today=today
    )
    steps = {
        step_id: StepState(progress=summarise(step_items), planned=schedule.step_weeks.get(step_id))
        for step_id, step_items in per_step.items()
    }
    loose: list[Milestone] = []
    for milestone in milestones:
        if milestone.step_id in steps:
            steps[milestone.step_id].milestones.append(milestone)
        elif milestone.step_id is None:
            loose.append(milestone)
        else:  # a step without active items still shows its milestones
            steps[milestone.step_id] = StepState(progress=summarise([]), milestones=[milestone])
    pace = pace_status(
        progress,
        hours_per_week=enrolment.hours_per_week,
        start_date=enrolment.start_date,
        today=today,
        paused_days=paused_days(enrolment, today),
    )
    return LearnerState(
        enrolment=enrolment,
        today=today,
        rows=by_item,
        progress=progress,
        steps=steps,
        schedule=schedule,
        pace=pace,
        skipped=[item for item in items if states.get(item.pk) == ItemState.SKIPPED],
        removed=sorted(removed, key=lambda row: row.item.title.lower()),
        milestones=loose,
        items=items,
    )


def load_enrolment(user, roadmap) -> Enrolment | None:
    return (
        Enrolment.objects.filter(user=user, roadmap=roadmap)
        .select_related("pace_plan")
        .with_pause_time()
        .first()
    )


def load_progress_rows(enrolment: Enrolment) -> list[ItemProgress]:
    # The item comes along for retired items (their title in "removed from the
    # roadmap"); its long text fields stay behind.
    return list(
        ItemProgress.objects.filter(enrolment=enrolment)
        .select_related("item")
        .defer("item__body", "item__why", "item__skills", "item__url")
    )


class PageRow:
    """An ItemProgress row as the roadmap page reads it: the columns its item
    widget shows, and the item, attached from the content already loaded."""

    __slots__ = ("pk", "enrolment_id", "item_id", "state", "state_changed_at", "note", "evidence_url",
                 "confidence", "repo_url", "live_url", "item")

    def __init__(self, pk, enrolment_id, item_id, state, state_changed_at, note, evidence_url, confidence,
                 repo_url, live_url):
        self.pk = pk
        self.enrolment_id = enrolment_id
        self.item_id = item_id
        self.state = state
        self.state_changed_at = state_changed_at
        self.note = note
        self.evidence_url = evidence_url
        self.confidence = confidence
        self.repo_url = repo_url
        self.live_url = live_url
        self.item = None

    @property
    def id(self) -> int:
        return self.pk


PAGE_ROW_COLUMNS = (
    "id", "enrolment_id", "item_id", "state", "state_changed_at", "note", "evidence_url", "confidence",
    "repo_url", "live_url", "retired_title",
)


def load_page_rows(enrolment: Enrolment, items: Sequence) -> list[PageRow]:
    """The enrolment's rows for the roadmap page, in one query and without a
    model instance (nor a second copy of the item) per row: a learner on a
    2,000-item roadmap has 2,000 of them. Rows of items an editor retired get
    a stand-in item with the title, all that `build_learner_state` reads of it."""
    from roadmaps.models import Item

    by_id = {item.pk: item for item in items}
    found = (
        ItemProgress.objects.filter(enrolment=enrolment)
        .annotate(retired_title=Case(When(item__retired_at__isnull=False, then=F("item__title"))))
        .order_by()
        .values_list(*PAGE_ROW_COLUMNS)
    )
    rows = []
    for *fields, retired_title in found:
        row = PageRow(*fields)
        row.item = by_id.get(row.item_id) or Item(pk=row.item_id, title=retired_title or "")
        rows.append(row)
    return rows


def load_learner_state(user, roadmap, items: Sequence) -> LearnerState | None:
    """Three queries: the enrolment, its progress rows, its milestones."""
    enrolment = load_enrolment(user, roadmap)
    if enrolment is None:
        return None
    return learner_state_for(enrolment, user, items)


def learner_state_for(enrolment: Enrolment, user, items: Sequence) -> LearnerState:
    """The roadmap page's state of a loaded enrolment: two queries (rows, milestones)."""
    return build_learner_state(
        enrolment=enrolment,
        items=items,
        rows=load_page_rows(enrolment, items),
        milestones=Milestone.objects.filter(enrolment=enrolment).order_by("position", "pk"),
        today=local_today(user.time_zone),
    )


def step_and_roadmap_progress(enrolment: Enrolment, step_id: int | None) -> tuple[Progress, Progress]:
    """The bars an item's state change updates, in one query: every active
    item of the roadmap with this learner's state joined on."""
    from django.db.models import FilteredRelation

    from roadmaps.models import Item

    rows = (
        Item.objects.filter(roadmap_id=enrolment.roadmap_id)
        .active()
        .annotate(mine=FilteredRelation("learner_progress", condition=Q(learner_progress__enrolment=enrolment)))
        .order_by()
        .values_list("pk", "step_id", "kind", "estimated_hours", "mine__state")
    )
    planned = [
        PlanItem(pk, step_id, item_hours(kind, hours), state or "not_started")
        for pk, step_id, kind, hours, state in rows
    ]
    return summarise(p for p in planned if p.step_id == step_id), summarise(planned)


def total_hours(items: Sequence) -> Decimal:
    return sum((item_hours(item.kind, item.estimated_hours) for item in items), Decimal(0))
