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

Hours other apps take from the learner's weeks (due reviews: the reviews
app, through `extensions.reserved_hours`, one query) are left out of the
time the plan fills with items: the steps' weeks, the finish date and the
horizon's weeks all count them (`_reserved_blocks`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import FilteredRelation, Q

from progress import extensions
from progress.learner import StepState, learner_step_order, pace_of
from progress.models import Enrolment, EnrolmentStep, ItemState, Milestone
from progress.schedule import (
    FINISHED_STATES,
    PaceStatus,
    PlanItem,
    Progress,
    Schedule,
    Week,
    days_spanned,
    item_hours,
    plan_schedule,
    week_start,
)
from progress.summaries import FIGURES, StepFigures, compute, counted_entries, is_fresh
from roadmaps.models import KIND_ORDER, Item, ItemKind, Step

# How far ahead the front items reach: the plan page lists this many weeks
# (the dashboard shows the first), and "up next" needs a few not-started items.
DEFAULT_HORIZON_WEEKS = 1
UP_NEXT_LIMIT = 3
KIND_LABELS = dict(ItemKind.choices)
# The item id and step of the reserved hours placed among the plan's items.
RESERVED = -1
FRONT_COLUMNS = (
    "pk", "roadmap_id", "step_id", "kind", "position", "title", "estimated_hours", "status", "alternative_group",
    "parent_id", "mine__state",
)


class PlanEntry:
    """An active item as the plan lists it: the columns a plan shows and the
    learner's state. Slotted: a long week holds many."""

    __slots__ = ("pk", "roadmap_id", "step_id", "kind", "position", "title", "estimated_hours", "status",
                 "alternative_group", "parent_id", "state")

    def __init__(self, pk, roadmap_id, step_id, kind, position, title, estimated_hours, status, alternative_group,
                 parent_id, state):
        self.pk = pk
        self.roadmap_id = roadmap_id
        self.step_id = step_id
        self.kind = kind
        self.position = position
        self.title = title
        self.estimated_hours = estimated_hours
        # What the plan's rule needs (summaries.counted_entries): optional
        # items, alternatives and topics with subtopics.
        self.status = status
        self.alternative_group = alternative_group
        self.parent_id = parent_id
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
    # What other apps reserved of the learner's weeks, by the name they
    # registered (`extensions.reserved_hours`): the reviews app's due reviews.
    reserved: dict[str, object] = field(default_factory=dict, repr=False)

    def step_state(self, step_id: int | None) -> StepState:
        return self.steps.get(step_id) or StepState(progress=StepFigures().progress)

    @property
    def this_week(self) -> Week | None:
        return self.schedule.week_of(self.today) or (self.schedule.weeks[0] if self.schedule.weeks else None)


Block = tuple[Decimal, Decimal]  # [from, to) in plan hours since the first week's Monday


def _reserved_blocks(
    reserved: dict[date, Decimal], *, first_monday: date, offset: Decimal, hours_per_week: Decimal
) -> list[Block]:
    """The hours of the plan's timeline reserved for something else (due
    reviews), at the start of each week's hours: the first week's from
    today, anything due before it in the first week; never more than a week
    holds. Plan hours count from the first week's Monday, `hours_per_week`
    to a week, as in `schedule.plan_schedule`."""
    by_week: dict[int, Decimal] = defaultdict(Decimal)
    for monday, hours in reserved.items():
        by_week[max(0, (monday - first_monday).days // 7)] += Decimal(hours)
    blocks = []
    for index in sorted(by_week):
        begin = offset if index == 0 else hours_per_week * index
        end = min(begin + by_week[index], hours_per_week * (index + 1))
        if end > begin:
            blocks.append((begin, end))
    return blocks


def _advance(cursor: Decimal, hours: Decimal, blocks: Sequence[Block]) -> Decimal:
    """Where `hours` of items placed from `cursor` end, around the blocks
    (with `hours` 0: where the next item really begins)."""
    for begin, end in blocks:
        if end <= cursor:
            continue
        if cursor >= begin:
            cursor = end
            continue
        if hours <= begin - cursor:
            break
        hours -= begin - cursor
        cursor = end
    return cursor + hours


def _around_blocks(items: Sequence[PlanItem], blocks: Sequence[Block], offset: Decimal) -> list[PlanItem]:
    """`items` for `schedule.plan_schedule` with the blocks in between, as
    items of their own (RESERVED, dropped from the weeks afterwards); an
    item a block interrupts is split in two, one part each side."""
    placed: list[PlanItem] = []
    pending = list(blocks)
    cursor = offset
    for item in items:
        if item.state in FINISHED_STATES:
            continue
        left = item.hours
        while True:
            while pending and pending[0][0] <= cursor:
                begin, end = pending.pop(0)
                if end > cursor:
                    placed.append(PlanItem(RESERVED, RESERVED, end - cursor))
                    cursor = end
            if pending and cursor + left > pending[0][0]:
                part = pending[0][0] - cursor
                placed.append(replace(item, hours=part))
                cursor, left = cursor + part, left - part
                continue
            placed.append(replace(item, hours=left))
            cursor += left
            break
    return placed


def _plan_steps(
    order: Sequence[int | None], figures: dict[int | None, StepFigures], *, hours_per_week: Decimal,
    start_date: date, today: date, horizon_weeks: int, reserved: dict[date, Decimal] | None = None,
) -> tuple[dict[int | None, tuple[date, date]], date | None, list[int | None]]:
    """`schedule.plan_schedule` a step at a time: the steps' planned weeks,
    the finish date, and the steps that reach into the first `horizon_weeks`
    weeks (whose items the page lists). Equal to the item-by-item plan: a
    step's remaining items are contiguous in the learner's order. `reserved`
    (Monday → hours) is left out of those weeks' time."""
    hours_per_week = Decimal(hours_per_week)
    plan_from = max(start_date, today)
    first_monday = week_start(plan_from)
    per_day = hours_per_week / 7
    offset = per_day * plan_from.weekday()
    horizon = hours_per_week * horizon_weeks
    blocks = _reserved_blocks(reserved or {}, first_monday=first_monday, offset=offset,
                              hours_per_week=hours_per_week)
    cursor = offset
    spans: dict[int | None, tuple[date, date]] = {}
    front: list[int | None] = []
    for step_id in order:
        remaining = figures[step_id].remaining_hours if step_id in figures else Decimal(0)
        if remaining <= 0:
            continue
        begin = _advance(cursor, Decimal(0), blocks)
        cursor = _advance(begin, remaining, blocks)
        first = int(begin // hours_per_week)
        last = max(first, math.ceil(cursor / hours_per_week) - 1)
        spans[step_id] = (first_monday + timedelta(weeks=first), first_monday + timedelta(weeks=last))
        if begin < horizon:
            front.append(step_id)
    finish = None
    if cursor > offset:
        finish = first_monday + timedelta(days=days_spanned(cursor, per_day) - 1)
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

    The pace reads each enrolment's kept `closed_pause_days`. `horizon_weeks` is how
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
    reserved = extensions.reserved_hours(enrolments, today)

    states: dict[int, LearnerState] = {}
    fronts: dict[int, list[int | None]] = {}
    horizons: dict[int, set[int | None]] = {}
    started_steps: dict[int, list[int | None]] = {}
    for enrolment in enrolments:
        steps = figures.get(enrolment.pk, {})
        order = orders[enrolment.pk]
        taken = reserved.get(enrolment.pk, {})
        spans, finish, front = _plan_steps(
            order, steps, hours_per_week=enrolment.hours_per_week, start_date=enrolment.start_date,
            today=today, horizon_weeks=horizon_weeks, reserved=reserved_weeks(taken),
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
            reserved=taken,
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
        # Only what the plan counts (whole steps: the rule needs a step's
        # alternatives and subtopics together): an optional item not taken up,
        # an alternative not picked, a topic with subtopics are never "this
        # week" nor "up next".
        items = counted_entries(sorted(by_roadmap.get(enrolment.roadmap_id, []), key=key))
        horizon_steps = horizons[enrolment.pk]
        plan_items = [PlanItem(i.pk, i.step_id, i.hours, i.state) for i in items if i.step_id in horizon_steps]
        hours_per_week = Decimal(enrolment.hours_per_week)
        plan_from = max(enrolment.start_date, today)
        offset = hours_per_week / 7 * plan_from.weekday()
        blocks = _reserved_blocks(reserved_weeks(state.reserved), first_monday=week_start(plan_from),
                                  offset=offset, hours_per_week=hours_per_week)
        planned = plan_schedule(
            _around_blocks(plan_items, blocks, offset) if blocks else plan_items,
            hours_per_week=hours_per_week, start_date=enrolment.start_date, today=today,
        )
        state.schedule.weeks = _without_reserved(planned.weeks)
        state.entries = {item.pk: item for item in items}
        in_progress = sorted(started_by_roadmap.get(enrolment.roadmap_id, []), key=key)
        waiting = [item for item in items if item.state == ItemState.NOT_STARTED]
        state.up_next = (in_progress + waiting)[:UP_NEXT_LIMIT]


def reserved_weeks(reserved: dict[str, object]) -> dict[date, Decimal]:
    """Monday → hours, summed over what every app reserved."""
    weeks: dict[date, Decimal] = defaultdict(Decimal)
    for found in reserved.values():
        for monday, hours in found.weeks.items():
            weeks[monday] += Decimal(hours)
    return weeks


def _without_reserved(weeks: list[Week]) -> list[Week]:
    """The weeks as the plan lists them: items only, and their hours."""
    listed = []
    for week in weeks:
        kept = [item for item in week.items if item.item_id != RESERVED]
        if kept:
            week.hours -= sum((item.hours for item in week.items if item.item_id == RESERVED), Decimal(0))
            week.items = kept
            listed.append(week)
    return listed


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
