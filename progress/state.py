"""The learner-state loader: one learner's state on one or many enrolments.

Every page that shows learner state — dashboard, plan, roadmap page, the
htmx answer to a tick, public pages, exports, calendar, retrospective facts —
gets it from `load_states`, so every figure agrees everywhere.

It reads the kept step summaries (`EnrolmentStep`, one row per step) rather
than walking every item: progress, pace, the steps' planned weeks and the
finish date are sums over those rows. Only the items of the *front* of the
plan — the steps that fall inside the weeks a page lists — are loaded, for
"this week", "up next" and "the weeks ahead". Whatever the number of
enrolments, items or rows, it runs the same two queries (three with the
milestones):

1. the step summaries of every enrolment (with each step's position);
2. the front items of every enrolment, and the items in progress of the
   first steps that hold some (they lead "up next"), with the learner's
   state joined on.

An enrolment whose summaries were built against another version of its
roadmap (`summaries.is_fresh`) is recomputed from the raw rows first.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import FilteredRelation, Q

from progress.learner import KIND_ORDER, StepState, learner_step_order, pace_of
from progress.models import Enrolment, EnrolmentStep, ItemState, Milestone
from progress.schedule import (
    PaceStatus,
    PlanItem,
    Progress,
    Schedule,
    Week,
    item_hours,
    plan_schedule,
    week_start,
)
from progress.summaries import FIGURES, StepFigures, compute, is_fresh
from roadmaps.models import Item, ItemKind, Step

# How far ahead the front items reach: the plan page lists this many weeks
# (the dashboard shows the first), and "up next" needs a few not-started items.
DEFAULT_HORIZON_WEEKS = 1
UP_NEXT_LIMIT = 3
KIND_LABELS = dict(ItemKind.choices)
FRONT_COLUMNS = ("pk", "roadmap_id", "step_id", "kind", "position", "title", "estimated_hours", "mine__state")


class PlanEntry:
    """An active item as the plan lists it: the columns a plan shows and the
    learner's state. Slotted: a long week holds many."""

    __slots__ = ("pk", "roadmap_id", "step_id", "kind", "position", "title", "estimated_hours", "state")

    def __init__(self, pk, roadmap_id, step_id, kind, position, title, estimated_hours, state):
        self.pk = pk
        self.roadmap_id = roadmap_id
        self.step_id = step_id
        self.kind = kind
        self.position = position
        self.title = title
        self.estimated_hours = estimated_hours
        self.state = state or ItemState.NOT_STARTED

    @property
    def id(self) -> int:
        return self.pk

    def get_kind_display(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def hours(self) -> Decimal:
        return item_hours(self.kind, self.estimated_hours)

    # Equal to the Item it stands for, as a model instance would be.
    def __eq__(self, other) -> bool:
        if isinstance(other, (PlanEntry, Item)):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.pk)


@dataclass
class LearnerState:
    enrolment: Enrolment
    today: date
    progress: Progress
    steps: dict[int | None, StepState]
    step_order: list[int | None]  # the learner's order of steps; None (roadmap-wide) last
    schedule: Schedule  # weeks: only the horizon's; step_weeks and finish_date: the whole plan
    pace: PaceStatus
    up_next: list[PlanEntry] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)  # not tied to a step
    entries: dict[int, PlanEntry] = field(default_factory=dict, repr=False)  # the front's items by pk

    def step_state(self, step_id: int | None) -> StepState:
        return self.steps.get(step_id) or StepState(progress=StepFigures().progress)

    @property
    def this_week(self) -> Week | None:
        return self.schedule.week_of(self.today) or (self.schedule.weeks[0] if self.schedule.weeks else None)


def _plan_steps(
    order: Sequence[int | None], figures: dict[int | None, StepFigures], *, hours_per_week: Decimal,
    start_date: date, today: date, horizon_weeks: int,
) -> tuple[dict[int | None, tuple[date, date]], date | None, list[int | None]]:
    """`schedule.plan_schedule` a step at a time: the steps' planned weeks,
    the finish date, and the steps that reach into the first `horizon_weeks`
    weeks (whose items the page lists). Equal to the item-by-item plan: a
    step's remaining items are contiguous in the learner's order."""
    hours_per_week = Decimal(hours_per_week)
    plan_from = max(start_date, today)
    first_monday = week_start(plan_from)
    per_day = hours_per_week / 7
    offset = per_day * plan_from.weekday()
    horizon = hours_per_week * horizon_weeks
    cursor = offset
    spans: dict[int | None, tuple[date, date]] = {}
    front: list[int | None] = []
    for step_id in order:
        remaining = figures[step_id].remaining_hours if step_id in figures else Decimal(0)
        if remaining <= 0:
            continue
        begin = cursor
        cursor += remaining
        first = int(begin // hours_per_week)
        last = max(first, math.ceil(cursor / hours_per_week) - 1)
        spans[step_id] = (first_monday + timedelta(weeks=first), first_monday + timedelta(weeks=last))
        if begin < horizon:
            front.append(step_id)
    finish = None
    if cursor > offset:
        finish = first_monday + timedelta(days=math.ceil(cursor / per_day) - 1)
    return spans, finish, front


def _first_steps_holding(order, steps: dict, count: str, *, already=()) -> list[int | None]:
    """The first steps in `order` whose `count` (a StepFigures field) adds up
    to UP_NEXT_LIMIT, counting the steps `already` taken first."""
    held = sum(getattr(steps[step_id], count) for step_id in already if step_id in steps)
    found = []
    for step_id in order:
        if held >= UP_NEXT_LIMIT:
            break
        if step_id in steps and step_id not in already and getattr(steps[step_id], count):
            found.append(step_id)
            held += getattr(steps[step_id], count)
    return found


def reading_key(rank: dict[int | None, int]):
    """Sort key of items in the learner's order: their steps' rank, then the
    roadmap page's order inside a step (topics, resources, projects, checkpoints)."""
    return lambda item: (rank.get(item.step_id, len(rank)), KIND_ORDER.get(item.kind, 9), item.position, item.pk)


def step_orders(enrolments: Sequence[Enrolment], step_positions: dict[int, dict[int, int]]) -> dict:
    """Each enrolment's order of steps: its learner's own, over its roadmap's
    (`step_positions`: roadmap → step → position, each step once)."""
    by_roadmap = {
        roadmap_id: [pk for pk, _ in sorted(steps.items(), key=lambda pair: (pair[1], pair[0]))]
        for roadmap_id, steps in step_positions.items()
    }
    return {
        enrolment.pk: [*learner_step_order(by_roadmap.get(enrolment.roadmap_id, []), enrolment.step_order), None]
        for enrolment in enrolments
    }


def load_states(
    enrolments: Sequence[Enrolment], *, today: date, horizon_weeks: int = DEFAULT_HORIZON_WEEKS,
    milestones: bool = False, front_items: bool = True,
) -> dict[int, LearnerState]:
    """The state of each enrolment (one learner's, or many learners' on a
    study group's roadmap), keyed by its pk.

    `enrolments` need `with_pause_time()` for the pace. `horizon_weeks` is how
    many weeks of the plan list their items (the dashboard: 1; the plan page:
    more); `milestones` loads the learner's milestones too (one more query);
    `front_items=False` skips the front's items (the roadmap page lists no weeks;
    many learners' enrolments on one roadmap must skip them: the front joins
    each item's row of the learner who follows its roadmap)."""
    enrolments = list(enrolments)
    if not enrolments:
        return {}
    rows = (
        EnrolmentStep.objects.filter(enrolment__in=enrolments)
        .order_by()
        .values_list("enrolment_id", "step_id", "step__position", *FIGURES)
    )
    figures: dict[int, dict[int | None, StepFigures]] = defaultdict(dict)
    # Once per roadmap, however many of the enrolments follow it (a study
    # group's page loads many learners on one roadmap).
    positions: dict[int, dict[int, int]] = defaultdict(dict)
    by_pk = {enrolment.pk: enrolment for enrolment in enrolments}
    for enrolment_id, step_id, step_position, *numbers in rows:
        figures[enrolment_id][step_id] = StepFigures(*numbers)
        if step_id is not None:
            positions[by_pk[enrolment_id].roadmap_id][step_id] = step_position
    stale = [enrolment for enrolment in enrolments if not is_fresh(enrolment, enrolment.roadmap)]
    if stale:
        # The content changed since the summaries were built: the raw rows
        # say what is true until the rebuild lands.
        figures.update(compute(stale))
        stale_roadmaps = {enrolment.roadmap_id for enrolment in stale}
        for roadmap_id in stale_roadmaps:
            positions.pop(roadmap_id, None)
        for pk, roadmap_id, position in Step.objects.filter(roadmap_id__in=stale_roadmaps).values_list(
            "pk", "roadmap_id", "position"
        ):
            positions[roadmap_id][pk] = position
    orders = step_orders(enrolments, positions)

    states: dict[int, LearnerState] = {}
    fronts: dict[int, list[int | None]] = {}
    horizons: dict[int, set[int | None]] = {}
    started_steps: dict[int, list[int | None]] = {}
    for enrolment in enrolments:
        steps = figures.get(enrolment.pk, {})
        order = orders[enrolment.pk]
        spans, finish, front = _plan_steps(
            order, steps, hours_per_week=enrolment.hours_per_week, start_date=enrolment.start_date,
            today=today, horizon_weeks=horizon_weeks,
        )
        horizons[enrolment.pk] = set(front)
        # "Up next" lists the items in progress first, then not-started ones,
        # from the first steps (in the learner's order) that hold enough of
        # each, as the summaries count them: those join the loaded items.
        fronts[enrolment.pk] = front + _first_steps_holding(order, steps, "not_started_count", already=front)
        started_steps[enrolment.pk] = _first_steps_holding(order, steps, "in_progress_count")
        progress = StepFigures.total(steps.values()).progress
        states[enrolment.pk] = LearnerState(
            enrolment=enrolment,
            today=today,
            progress=progress,
            steps={
                step_id: StepState(progress=step_figures.progress, planned=spans.get(step_id))
                for step_id, step_figures in steps.items()
            },
            step_order=order,
            schedule=Schedule(weeks=[], step_weeks=spans, finish_date=finish),
            pace=pace_of(enrolment, progress, today),
        )
    if front_items:
        _load_front(enrolments, states, fronts, horizons, started_steps, orders, today=today)
    if milestones:
        _attach_milestones(enrolments, states)
    return states


def _load_front(enrolments, states, fronts, horizons, started_steps, orders, *, today: date) -> None:
    """The front steps' items, placed into the horizon's weeks, and "up next"."""
    fronts_by_roadmap = {enrolment.roadmap_id: set(fronts[enrolment.pk]) for enrolment in enrolments}
    step_ids = {step_id for front in fronts.values() for step_id in front if step_id is not None}
    roadmap_wide = {by.roadmap_id for by in enrolments if None in fronts[by.pk]}
    started_ids = {step_id for found in started_steps.values() for step_id in found if step_id is not None}
    started_wide = {by.roadmap_id for by in enrolments if None in started_steps[by.pk]}
    # The front steps' items and the items in progress of the first steps
    # that have some (they lead "up next"): one query, the learner's state
    # joined on, bounded by those steps' sizes whatever the roadmap's.
    mine = FilteredRelation("learner_progress", condition=Q(learner_progress__enrolment__in=enrolments))
    found = (
        Item.objects.active()
        # The steps first, so that the database reads those steps' items by
        # their index, never every item of the roadmaps.
        .filter(Q(step_id__in=step_ids | started_ids) | Q(roadmap_id__in=roadmap_wide | started_wide,
                                                          step__isnull=True))
        .annotate(mine=mine)
        .filter(
            Q(step_id__in=step_ids)
            | Q(roadmap_id__in=roadmap_wide, step__isnull=True)
            | Q(mine__state=ItemState.IN_PROGRESS)
        )
        .order_by()
        .values_list(*FRONT_COLUMNS)
    )
    by_roadmap: dict[int, list[PlanEntry]] = defaultdict(list)
    started_by_roadmap: dict[int, list[PlanEntry]] = defaultdict(list)
    for values in found:
        entry = PlanEntry(*values)
        if entry.step_id in fronts_by_roadmap.get(entry.roadmap_id, ()):
            by_roadmap[entry.roadmap_id].append(entry)
        if entry.state == ItemState.IN_PROGRESS:
            started_by_roadmap[entry.roadmap_id].append(entry)
    for enrolment in enrolments:
        state = states[enrolment.pk]
        rank = {step_id: index for index, step_id in enumerate(orders[enrolment.pk])}
        key = reading_key(rank)
        items = sorted(by_roadmap.get(enrolment.roadmap_id, []), key=key)
        horizon_steps = horizons[enrolment.pk]
        planned = plan_schedule(
            [PlanItem(i.pk, i.step_id, i.hours, i.state) for i in items if i.step_id in horizon_steps],
            hours_per_week=enrolment.hours_per_week, start_date=enrolment.start_date, today=today,
        )
        state.schedule.weeks = planned.weeks
        state.entries = {item.pk: item for item in items}
        in_progress = sorted(started_by_roadmap.get(enrolment.roadmap_id, []), key=key)
        waiting = [item for item in items if item.state == ItemState.NOT_STARTED]
        state.up_next = (in_progress + waiting)[:UP_NEXT_LIMIT]


def _attach_milestones(enrolments, states) -> None:
    for milestone in Milestone.objects.filter(enrolment__in=enrolments).order_by("position", "pk"):
        state = states[milestone.enrolment_id]
        if milestone.step_id is None:
            state.milestones.append(milestone)
        elif milestone.step_id in state.steps:
            state.steps[milestone.step_id].milestones.append(milestone)
        else:
            # A step without active items still shows its milestones.
            state.steps[milestone.step_id] = StepState(progress=StepFigures().progress, milestones=[milestone])


def week_items(state: LearnerState, week: Week) -> list[PlanEntry]:
    """The items planned in `week`, as loaded with the front."""
    return [state.entries[plan_item.item_id] for plan_item in week.items if plan_item.item_id in state.entries]


def load_state(enrolment: Enrolment, *, today: date, **options) -> LearnerState:
    return load_states([enrolment], today=today, **options)[enrolment.pk]
