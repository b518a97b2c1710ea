"""The item-by-item definition of a learner's plan, and the orders it uses.

Pages read a learner's state from `progress.state` (the kept step
summaries). `build_learner_state` is the plain definition those summaries
must equal — every item walked, in the learner's order, through
`schedule.summarise` and `schedule.plan_schedule` — kept as the oracle the
tests hold the summaries and the loader to (tests/test_summaries.py). The
reading order, the learner's step order and paused days are shared by both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from progress.models import Enrolment, ItemProgress, ItemState, Milestone
from progress.schedule import (
    PaceStatus,
    PlanItem,
    Progress,
    Schedule,
    counted_states,
    item_hours,
    pace_status,
    plan_schedule,
    summarise,
)
from roadmaps.hours import roles_of
from roadmaps.models import KIND_ORDER


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


def pace_of(enrolment: Enrolment, progress, today: date):
    """On track, behind or ahead: the enrolment's pace since it took effect
    (its `pace_from_*` marks) and the plan's expectation before that."""
    return pace_status(
        progress, hours_per_week=enrolment.hours_per_week, start_date=enrolment.start_date, today=today,
        paused_days=paused_days(enrolment, today), from_days=enrolment.pace_from_days,
        from_hours=enrolment.pace_from_hours,
    )


def paused_days(enrolment: Enrolment, today: date) -> int:
    """Days paused since the start date: finished pauses (kept on the row)
    plus the running one."""
    days = enrolment.closed_pause_days
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
    """The items the plan counts (`schedule.counted_states`: not optional
    items the learner has not taken up, nor topics that have subtopics)."""
    roles = roles_of(items)
    counted = counted_states(
        (item.pk, roles[item.pk], (item.step_id, item.alternative_group), states.get(item.pk, "not_started"))
        for item in items
    )
    return [
        PlanItem(item.pk, item.step_id, item_hours(item.kind, item.estimated_hours), counted[item.pk])
        for item in items
        if item.pk in counted
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
    pace = pace_of(enrolment, progress, today)
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


def load_progress_rows(enrolment: Enrolment) -> list[ItemProgress]:
    # The item comes along for retired items (their title in "removed from the
    # roadmap"); its long text fields stay behind.
    return list(
        ItemProgress.objects.filter(enrolment=enrolment)
        .select_related("item")
        .defer("item__body", "item__why", "item__skills", "item__url")
    )
