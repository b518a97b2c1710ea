"""The kept step summaries (`EnrolmentStep`) always say what the raw rows say.

Three independent accounts of a learner's figures are compared after every
write: the rows the app keeps (`apply_state_change`, `rebuild`), the same
figures recomputed from the raw rows (`summaries.compute`), and the old
item-by-item walk (`learner.build_learner_state`), which shares no code with
the other two beyond `schedule.item_hours`. The kept pause days
(`Enrolment.closed_pause_days`) are compared with the pause rows too.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from progress import summaries
from progress.enrolments import services as enrolment_services
from progress.enrolments.services import enrolment_start
from progress.items.services import item_progress_set_state
from progress.learner import build_learner_state, load_progress_rows, reading_order
from progress.models import Enrolment, EnrolmentPause, EnrolmentStep, ItemProgress, ItemState
from progress.schedule import Progress
from progress.state import load_states
from roadmaps.hours import OPTIONAL, item_hours, roles_of
from roadmaps.models import Item, ItemKind, Roadmap, Status, Step
from roadmaps.services import roadmap_touch
from tests.factories import make_roadmap, make_user

ZERO = Progress(Decimal(0), Decimal(0), 0, 0, 0, 0)
STATES = list(ItemState.values)
KINDS = list(ItemKind.values)
# None: no estimate, the kind's default applies (a project's 4 h, 1 h otherwise).
HOURS = [None, Decimal("0.5"), Decimal("1"), Decimal("1.5"), Decimal("2"), Decimal("4"), Decimal("7.5")]

_positions = count(1000)  # fresh positions never collide with the unique (step, kind, position)


# --- The three accounts ---------------------------------------------------------


def kept(enrolment) -> dict[int | None, Progress]:
    return {
        step_id: figures.progress
        for step_id, figures in summaries.figures_of(EnrolmentStep.objects.filter(enrolment=enrolment)).items()
    }


def computed(enrolment) -> dict[int | None, Progress]:
    return {step_id: figures.progress for step_id, figures in summaries.compute([enrolment])[enrolment.pk].items()}


def oracle(enrolment, today: date):
    """The old walk over every item: (per step, total)."""
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    positions = dict(Step.objects.filter(roadmap_id=enrolment.roadmap_id).values_list("pk", "position"))
    items = reading_order(Item.objects.filter(roadmap_id=enrolment.roadmap_id).active(), positions)
    state = build_learner_state(enrolment=enrolment, items=items, rows=load_progress_rows(enrolment), today=today)
    return {step_id: step.progress for step_id, step in state.steps.items()}, state.progress


def total(steps: dict[int | None, Progress]) -> Progress:
    figures = summaries.StepFigures()
    for progress in steps.values():
        figures.add(
            summaries.StepFigures(
                item_count=progress.item_count, done_count=progress.done_count,
                in_progress_count=progress.in_progress_count, skipped_count=progress.skipped_count,
                total_hours=progress.total_hours, done_hours=progress.done_hours,
            )
        )
    return figures.progress


def assert_same_steps(left: dict, right: dict, what: str) -> None:
    """Equal per step; a step missing on one side must have no items on the other."""
    for step_id in left.keys() | right.keys():
        if step_id not in left or step_id not in right:
            present = left.get(step_id) or right.get(step_id)
            assert present == ZERO, f"{what}: step {step_id} only on one side, with {present}"
        else:
            assert left[step_id] == right[step_id], f"{what}: step {step_id}: {left[step_id]} != {right[step_id]}"


def optional_open_oracle(enrolment) -> dict[int | None, tuple[int, Decimal]]:
    """The optional items in progress and their hours per step, walked item by
    item with the rule's own roles (what "skip the optional items" takes off)."""
    items = list(Item.objects.filter(roadmap_id=enrolment.roadmap_id).active())
    roles = roles_of(items)
    states = dict(ItemProgress.objects.filter(enrolment=enrolment).values_list("item_id", "state"))
    found: dict[int | None, tuple[int, Decimal]] = {}
    for item in items:
        if roles[item.pk] == OPTIONAL and states.get(item.pk) == ItemState.IN_PROGRESS:
            count, hours = found.get(item.step_id, (0, Decimal(0)))
            found[item.step_id] = (count + 1, hours + item_hours(item.kind, item.estimated_hours))
    return found


def optional_open(steps: dict) -> dict[int | None, tuple[int, Decimal]]:
    """The optional figures of `steps` (StepFigures or Progress), steps without any left out."""
    return {step_id: (figures.optional_open_count, Decimal(figures.optional_open_hours))
            for step_id, figures in steps.items() if figures.optional_open_count or figures.optional_open_hours}


def pause_days_oracle(enrolment) -> int:
    """The finished pauses that began on or after the start date, in days."""
    start = Enrolment.objects.get(pk=enrolment.pk).start_date
    return sum(
        (ended_on - started_on).days
        for started_on, ended_on in EnrolmentPause.objects.filter(enrolment=enrolment).values_list(
            "started_on", "ended_on")
        if ended_on is not None and started_on >= start
    )


def assert_consistent(enrolment, today: date, *, kept_fresh: bool = True) -> None:
    assert Enrolment.objects.get(pk=enrolment.pk).closed_pause_days == pause_days_oracle(enrolment), "pause days"
    oracle_steps, oracle_total = oracle(enrolment, today)
    raw = computed(enrolment)
    # Progress leaves the optional figures out of its equality: they are
    # compared here, against a walk of the items, and kept == recomputed as a whole.
    raw_figures = summaries.compute([enrolment])[enrolment.pk]
    assert optional_open(raw_figures) == optional_open_oracle(enrolment), "compute vs walk: optional in progress"
    if kept_fresh:
        kept_figures = summaries.figures_of(EnrolmentStep.objects.filter(enrolment=enrolment))
        for step_id in kept_figures.keys() | raw_figures.keys():
            assert kept_figures.get(step_id, summaries.StepFigures()) == raw_figures.get(
                step_id, summaries.StepFigures()), f"kept vs compute, every figure: step {step_id}"
    assert_same_steps(raw, oracle_steps, "compute vs oracle")
    assert total(raw) == oracle_total
    if kept_fresh:
        rows = kept(enrolment)
        assert_same_steps(rows, raw, "kept vs compute")
        assert_same_steps(rows, oracle_steps, "kept vs oracle")
        assert total(rows) == oracle_total
    # And the loader the pages use agrees, fresh or not.
    loaded = Enrolment.objects.filter(pk=enrolment.pk).select_related("roadmap").get()
    state = load_states([loaded], today=today)[enrolment.pk]
    assert state.progress == oracle_total
    assert optional_open({step_id: step.progress for step_id, step in state.steps.items()}) == optional_open_oracle(
        enrolment)
    total_open = sum((hours for _, hours in optional_open_oracle(enrolment).values()), Decimal(0))
    assert state.progress.optional_open_hours == total_open
    assert_same_steps({step_id: step.progress for step_id, step in state.steps.items()}, oracle_steps, "load_states")


# --- Building blocks -------------------------------------------------------------


def new_item(roadmap, step, kind, hours, n) -> Item:
    return Item.objects.create(
        roadmap=roadmap, step=step, kind=kind, key=f"item-{n}-{next(_positions)}", position=next(_positions),
        title=f"Item {n}", estimated_hours=hours,
    )


def enrol(user, roadmap) -> Enrolment:
    enrolment, created = enrolment_start(
        user=user, roadmap=roadmap, hours_per_week=Decimal(6), start_date=date.today()
    )
    assert created
    return enrolment


def after_content_edit(roadmap) -> None:
    """What the app does after an editor's edit: a new version, then the rebuild."""
    roadmap_touch(roadmap=roadmap)
    summaries.rebuild(roadmap_id=roadmap.pk)


def active_items(roadmap) -> list[Item]:
    return list(Item.objects.filter(roadmap=roadmap).active().order_by("pk"))


# --- The property ------------------------------------------------------------------

pick = st.integers(min_value=0, max_value=10_000)
item_spec = st.tuples(st.sampled_from(KINDS), st.sampled_from(HOURS))
learner_write = st.tuples(st.just("learn"), pick, st.sampled_from(STATES))
operation = st.one_of(
    learner_write,
    learner_write,  # twice: learners write more often than editors edit
    st.tuples(st.just("add"), pick, st.sampled_from(KINDS), st.sampled_from(HOURS)),
    st.tuples(st.just("retire"), pick),
    st.tuples(st.just("move"), pick, pick),
    st.tuples(st.just("rehour"), pick, st.sampled_from(HOURS)),
    st.tuples(st.just("rekind"), pick, st.sampled_from(KINDS)),
    st.tuples(st.just("swap_steps"), pick, pick),
    # Structure (issue 15): optional items, alternatives, subtopics and a topic's resources.
    st.tuples(st.just("status"), pick, st.sampled_from(["core", "optional", "alternative"]), st.sampled_from("ab")),
    st.tuples(st.just("status"), pick, st.just("alternative"), st.sampled_from("ab")),
    st.tuples(st.just("nest"), pick, pick),
    st.tuples(st.just("unnest"), pick),
    # The learner's pauses and start dates (the kept pause days), on a clock
    # that moves on by the first figure's days; the start moves to that many
    # days before (or, negative, after) the clock.
    st.tuples(st.just("pause"), st.integers(min_value=0, max_value=9)),
    st.tuples(st.just("resume"), st.integers(min_value=0, max_value=9)),
    st.tuples(st.just("leave"), st.integers(min_value=0, max_value=9)),
    st.tuples(st.just("change_start"), st.integers(min_value=0, max_value=3), st.integers(min_value=-5, max_value=40)),
    st.tuples(st.just("restart"), st.integers(min_value=0, max_value=3), st.integers(min_value=-5, max_value=40)),
)
PAUSE_WRITES = {"pause", "resume", "leave", "change_start", "restart"}


def apply_pause_write(operation, enrolment, clock: list[date]) -> None:
    """A learner's pause, resume, leave (and enrolling again), new start
    date or restart, `clock[0]` being the learner's today."""
    name, days, *rest = operation
    clock[0] += timedelta(days=days)
    today = clock[0]
    if name == "pause":
        enrolment_services.enrolment_pause(enrolment=enrolment, today=today)
    elif name == "resume":
        enrolment_services.enrolment_resume(enrolment=enrolment, today=today)
    elif name == "leave":
        enrolment_services.enrolment_leave(enrolment=enrolment, today=today)
        enrolment_start(user=enrolment.user, roadmap=enrolment.roadmap, hours_per_week=Decimal(6),
                        start_date=today - timedelta(days=days))
    elif name == "change_start":
        enrolment_services.enrolment_change_start(
            enrolment=enrolment, start_date=today - timedelta(days=rest[0]), today=today)
    else:
        enrolment_services.enrolment_restart(enrolment=enrolment, start_date=today - timedelta(days=rest[0]),
                                             today=today)


def apply(operation, roadmap, enrolment, steps: list[Step]) -> None:
    name, *args = operation
    items = active_items(roadmap)
    if name == "learn":
        if items:
            item_progress_set_state(enrolment=enrolment, item=items[args[0] % len(items)], state=args[1])
        return
    if name == "add":
        targets = [*steps, None]  # None: roadmap-wide
        new_item(roadmap, targets[args[0] % len(targets)], args[1], args[2], "added")
    elif name in ("status", "nest", "unnest"):
        if not items or not structure_edit(name, args, items):
            return
    elif name == "swap_steps":
        first, second = steps[args[0] % len(steps)], steps[args[1] % len(steps)]
        if first.pk != second.pk:
            a, b = (Step.objects.get(pk=step.pk).position for step in (first, second))
            Step.objects.filter(pk=first.pk).update(position=next(_positions))
            Step.objects.filter(pk=second.pk).update(position=a)
            Step.objects.filter(pk=first.pk).update(position=b)
    else:
        if not items:
            return
        item = items[args[0] % len(items)]
        changes: dict[str, object]
        if name == "retire":
            changes = {"retired_at": timezone.now()}
        elif name == "move":
            targets = [step.pk for step in steps if step.pk != item.step_id]
            if item.step_id is not None:
                targets.append(None)
            changes = {"step_id": targets[args[1] % len(targets)], "position": next(_positions)}
        elif name == "rehour":
            changes = {"estimated_hours": args[1]}
        else:  # rekind
            changes = {"kind": args[1], "position": next(_positions)}
            if args[1] not in ("topic", "resource"):
                changes["parent"] = None
            if args[1] != "topic" or item.parent_id:
                changes["heading"] = ""
            if args[1] != "topic":  # its subtopics stand alone again
                Item.objects.filter(parent=item).update(parent=None)
        if name == "move":  # a subtopic leaves its parent's step, and its own subtopics follow nothing
            changes["parent"] = None
            Item.objects.filter(parent=item).update(parent=None)
        Item.objects.filter(pk=item.pk).update(**changes)
    after_content_edit(roadmap)


def structure_edit(name: str, args, items: list[Item]) -> bool:
    """An editor's change of status or nesting, kept within what the
    database and the admin allow; False when it does not apply."""
    item = items[args[0] % len(items)]
    if name == "status":
        status, group = args[1], args[2]
        Item.objects.filter(pk=item.pk).update(
            status=status, alternative_group=f"group-{group}" if status == "alternative" else "")
        return True
    if name == "unnest":
        Item.objects.filter(pk=item.pk).update(parent=None)
        return True
    # nest: a topic or resource under a top-level topic of the same step (one level).
    if item.kind not in ("topic", "resource"):
        return False
    if item.kind == "topic" and Item.objects.filter(parent=item).exists():
        return False
    parents = [other for other in items if other.kind == "topic" and other.parent_id is None
               and other.step_id == item.step_id and other.pk != item.pk]
    if not parents:
        return False
    Item.objects.filter(pk=item.pk).update(parent=parents[args[1] % len(parents)], heading="")
    return True


@settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    shape=st.lists(st.lists(item_spec, min_size=1, max_size=4), min_size=2, max_size=4),
    roadmap_wide=st.lists(item_spec, max_size=3),
    operations=st.lists(operation, min_size=1, max_size=25),
)
def test_kept_summaries_equal_the_raw_rows_and_the_item_walk_after_every_write(db, shape, roadmap_wide, operations):
    today = date.today()
    # Each example in a savepoint of its own, rolled back: the `db` fixture's
    # transaction is shared by all examples of the test.
    with transaction.atomic():
        roadmap = Roadmap.objects.create(
            slug=f"prop-{next(_positions)}", title="Property roadmap", summary="Generated.", status=Status.PUBLISHED
        )
        steps = [
            Step.objects.create(roadmap=roadmap, key=f"s{s}", position=s, title=f"Step {s}")
            for s in range(len(shape))
        ]
        for step, specs in zip(steps, shape, strict=True):
            for n, (kind, hours) in enumerate(specs):
                new_item(roadmap, step, kind, hours, n)
        for n, (kind, hours) in enumerate(roadmap_wide):
            new_item(roadmap, None, kind, hours, f"w{n}")
        enrolment = enrol(make_user(), roadmap)
        clock = [today]
        assert_consistent(enrolment, today)
        for step_number, op in enumerate(operations):
            if op[0] in PAUSE_WRITES:
                apply_pause_write(op, enrolment, clock)
            else:
                apply(op, roadmap, enrolment, steps)
            enrolment.refresh_from_db()
            assert summaries.is_fresh(enrolment, Roadmap.objects.get(pk=roadmap.pk)), (step_number, op)
            assert_consistent(enrolment, today)
        transaction.set_rollback(True)


# --- apply_state_change, every before and after -----------------------------------------


def single(state: str, hours: Decimal) -> summaries.StepFigures:
    """One item's share of its step's figures, written out by hand."""
    if state == ItemState.SKIPPED:
        return summaries.StepFigures(skipped_count=1)
    return summaries.StepFigures(
        item_count=1, total_hours=hours,
        done_count=int(state == ItemState.DONE), done_hours=hours if state == ItemState.DONE else Decimal(0),
        in_progress_count=int(state == ItemState.IN_PROGRESS),
    )


@pytest.mark.parametrize("where", ["step", "roadmap-wide"])
@pytest.mark.parametrize("after", STATES)
@pytest.mark.parametrize("before", STATES)
def test_a_state_change_moves_its_step_row_by_exactly_its_difference(db, learner, before, after, where):
    today = date.today()
    roadmap = make_roadmap(steps=2, items_per_step=3)
    step = roadmap.steps.order_by("position").first()
    if where == "step":
        item = Item.objects.filter(step=step, kind=ItemKind.PROJECT).get()
        Item.objects.filter(pk=item.pk).update(estimated_hours=None)  # the project's default, 4 h
    else:
        item = new_item(roadmap, None, ItemKind.RESOURCE, Decimal("2.5"), "wide")
    item.refresh_from_db()
    enrolment = enrol(learner, roadmap)
    # Neighbours in other states, so the row is not only this item's.
    neighbours = Item.objects.filter(step=step).exclude(pk=item.pk).order_by("pk")
    for neighbour, state in zip(neighbours, [ItemState.DONE, ItemState.SKIPPED], strict=False):
        item_progress_set_state(enrolment=enrolment, item=neighbour, state=state)
    item_progress_set_state(enrolment=enrolment, item=item, state=before)
    assert_consistent(enrolment, today)

    stamp = Enrolment.objects.get(pk=enrolment.pk).summarised_at
    rows_before = {row.step_id: row for row in EnrolmentStep.objects.filter(enrolment=enrolment)}
    item_progress_set_state(enrolment=enrolment, item=item, state=after)
    rows_after = {row.step_id: row for row in EnrolmentStep.objects.filter(enrolment=enrolment)}

    assert_consistent(enrolment, today)
    # The fresh path updated the rows in place: no rebuild (it would delete
    # and recreate them, with new pks, and stamp the version again).
    assert {k: r.pk for k, r in rows_after.items()} == {k: r.pk for k, r in rows_before.items()}
    assert Enrolment.objects.get(pk=enrolment.pk).summarised_at == stamp
    hours = Decimal(4) if where == "step" else Decimal("2.5")
    old, new = single(before, hours), single(after, hours)
    for name in summaries.FIGURES:
        moved = getattr(rows_after[item.step_id], name) - getattr(rows_before[item.step_id], name)
        assert moved == getattr(new, name) - getattr(old, name), name
    for step_id, row in rows_before.items():
        if step_id != item.step_id:
            assert summaries.StepFigures.of(rows_after[step_id]) == summaries.StepFigures.of(row)


# --- Stale summaries and the rebuild ------------------------------------------------------


def test_roadmap_touch_rebuilds_the_summaries_of_the_roadmaps_learners(db, learner):
    today = date.today()
    roadmap = make_roadmap(steps=2, items_per_step=3)
    enrolment = enrol(learner, roadmap)
    items = active_items(roadmap)
    item_progress_set_state(enrolment=enrolment, item=items[0], state=ItemState.DONE)
    Item.objects.filter(pk=items[0].pk).update(estimated_hours=Decimal("7"))
    roadmap_touch(roadmap=roadmap)  # what every editor save ends with
    enrolment.refresh_from_db()
    assert summaries.is_fresh(enrolment, Roadmap.objects.get(pk=roadmap.pk))
    assert kept(enrolment) == computed(enrolment)
    assert_consistent(enrolment, today)


def test_after_a_content_edit_without_rebuild_the_loader_shows_the_true_figures(db, learner):
    today = date.today()
    roadmap = make_roadmap(steps=2, items_per_step=4)
    enrolment = enrol(learner, roadmap)
    items = active_items(roadmap)
    for item, state in zip(items, [ItemState.DONE, ItemState.DONE, ItemState.IN_PROGRESS, ItemState.SKIPPED],
                           strict=False):
        item_progress_set_state(enrolment=enrolment, item=item, state=state)
    assert_consistent(enrolment, today)

    # An editor's edits, the version moved, and no rebuild (yet).
    Item.objects.filter(pk=items[0].pk).update(retired_at=timezone.now())  # a done item leaves
    Item.objects.filter(pk=items[1].pk).update(estimated_hours=Decimal("9.5"))  # a done item re-houred
    Item.objects.filter(pk=items[4].pk).update(step=None, position=next(_positions))  # moved roadmap-wide
    new_item(roadmap, items[5].step, ItemKind.TOPIC, None, "new")
    # The version moved by hand, as code that edits content outside the admin
    # and the importer might: roadmap_touch would have rebuilt the summaries.
    Roadmap.objects.filter(pk=roadmap.pk).update(updated_at=timezone.now())

    enrolment.refresh_from_db()
    assert not summaries.is_fresh(enrolment, Roadmap.objects.get(pk=roadmap.pk))
    assert kept(enrolment) != computed(enrolment)  # the kept rows are out of date...
    assert_consistent(enrolment, today, kept_fresh=False)  # ...and the loader does not trust them

    # A learner's write on stale summaries rebuilds them instead of applying a difference.
    item_progress_set_state(enrolment=enrolment, item=items[6], state=ItemState.DONE)
    enrolment.refresh_from_db()
    assert summaries.is_fresh(enrolment, Roadmap.objects.get(pk=roadmap.pk))
    assert_consistent(enrolment, today)


def test_rebuild_is_idempotent(db, learner, other_learner):
    today = date.today()
    roadmap = make_roadmap(steps=3, items_per_step=4)
    elsewhere = make_roadmap(steps=1, items_per_step=2)
    enrolments = [enrol(learner, roadmap), enrol(other_learner, roadmap)]
    untouched = enrol(learner, elsewhere)
    for enrolment, states in zip(enrolments, [STATES, STATES[::-1]], strict=True):
        for item, state in zip(active_items(roadmap), states * 3, strict=False):
            item_progress_set_state(enrolment=enrolment, item=item, state=state)
    Item.objects.filter(pk=active_items(roadmap)[0].pk).update(retired_at=timezone.now())
    roadmap_touch(roadmap=roadmap)

    def snapshot():
        return (
            sorted(
                EnrolmentStep.objects.values_list("enrolment_id", "step_id", *summaries.FIGURES),
                key=lambda row: (row[0], row[1] or 0),
            ),
            dict(Enrolment.objects.values_list("pk", "summarised_at")),
        )

    untouched_rows = list(EnrolmentStep.objects.filter(enrolment=untouched).values_list("pk", flat=True))
    assert summaries.rebuild(roadmap_id=roadmap.pk) == 2
    first = snapshot()
    assert summaries.rebuild(roadmap_id=roadmap.pk) == 2
    assert snapshot() == first
    assert summaries.rebuild(enrolments=enrolments) == 2
    assert snapshot() == first
    # Another roadmap's learner is left alone.
    assert list(EnrolmentStep.objects.filter(enrolment=untouched).values_list("pk", flat=True)) == untouched_rows
    for enrolment in enrolments:
        assert_consistent(enrolment, today)
    assert summaries.rebuild(enrolments=[]) == 0


# --- Structure: optional items, alternatives, subtopics (issue 15) -----------------------

structured_spec = st.tuples(
    st.sampled_from(["topic", "topic", "resource", "project"]), st.sampled_from(HOURS),
    st.sampled_from(["core", "optional", "alternative", "alternative"]), st.sampled_from("ab"),
    st.integers(min_value=-1, max_value=3),  # the index of the topic it is under (-1: none)
)


@settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    shape=st.lists(st.lists(structured_spec, min_size=2, max_size=6), min_size=1, max_size=2),
    writes=st.lists(learner_write, min_size=1, max_size=20),
)
def test_kept_summaries_follow_optional_items_alternatives_and_subtopics(db, shape, writes):
    """Every learner write on a structured roadmap moves the kept rows to
    what the raw rows and the item walk say (the walk's rule: docs)."""
    today = date.today()
    with transaction.atomic():
        roadmap = Roadmap.objects.create(
            slug=f"struct-{next(_positions)}", title="Structured", summary="Generated.", status=Status.PUBLISHED
        )
        for s, specs in enumerate(shape):
            step = Step.objects.create(roadmap=roadmap, key=f"s{s}", position=s, title=f"Step {s}")
            topics: list[Item] = []
            for n, (kind, hours, status, group, under) in enumerate(specs):
                created = new_item(roadmap, step, kind, hours, n)
                parent = topics[under] if 0 <= under < len(topics) and kind in ("topic", "resource") else None
                if parent is not None and kind == "topic" and parent.status == "alternative":
                    parent = None  # a topic with subtopics is never an alternative (the importer's rule)
                Item.objects.filter(pk=created.pk).update(
                    status=status, alternative_group=f"group-{group}" if status == "alternative" else "",
                    parent=parent,
                )
                created.refresh_from_db()
                if kind == "topic" and parent is None:
                    topics.append(created)
        enrolment = enrol(make_user(), roadmap)
        assert_consistent(enrolment, today)
        items = active_items(roadmap)
        for _, which, state in writes:
            item_progress_set_state(enrolment=enrolment, item=items[which % len(items)], state=state)
            enrolment.refresh_from_db()
            assert_consistent(enrolment, today)
        transaction.set_rollback(True)


def structured_roadmap():
    """One step: a core topic (2 h), an optional one (3 h), alternatives A (4 h)
    and B (5 h), and a topic with two subtopics (1 h, 6 h) and a resource of its own."""
    roadmap = Roadmap.objects.create(slug=f"rules-{next(_positions)}", title="Rules", summary="S",
                                     status=Status.PUBLISHED)
    step = Step.objects.create(roadmap=roadmap, key="s", position=0, title="S")

    def add(key, hours, *, kind=ItemKind.TOPIC, **fields):
        return Item.objects.create(roadmap=roadmap, step=step, kind=kind, key=key, position=next(_positions),
                                   title=key, estimated_hours=Decimal(hours), **fields)

    made = {
        "core": add("core", 2),
        "optional": add("optional", 3, status="optional"),
        "alt-a": add("alt-a", 4, status="alternative", alternative_group="g"),
        "alt-b": add("alt-b", 5, status="alternative", alternative_group="g"),
        "parent": add("parent", 10),
    }
    made["sub-1"] = add("sub-1", 1, parent=made["parent"])
    made["sub-2"] = add("sub-2", 6, parent=made["parent"])
    made["reading"] = add("reading", 2, kind=ItemKind.RESOURCE, parent=made["optional"])
    return roadmap, step, made


def step_progress(enrolment, step) -> Progress:
    return kept(enrolment)[step.pk]


def test_optional_items_count_only_once_started_and_alternatives_once_chosen(db, learner):
    roadmap, step, made = structured_roadmap()
    enrolment = enrol(learner, roadmap)
    today = date.today()
    # core 2 + alt-a 4 (the default pick) + sub-1 1 + sub-2 6; not the optional topic, its
    # resource, alt-b or the parent's own 10 h.
    assert step_progress(enrolment, step) == Progress(Decimal(0), Decimal(13), 0, 4, 0, 0)
    item_progress_set_state(enrolment=enrolment, item=made["optional"], state=ItemState.IN_PROGRESS)
    assert step_progress(enrolment, step) == Progress(Decimal(0), Decimal(16), 0, 5, 0, 1)
    item_progress_set_state(enrolment=enrolment, item=made["alt-b"], state=ItemState.DONE)  # B chosen: A leaves
    assert step_progress(enrolment, step) == Progress(Decimal(5), Decimal(17), 1, 5, 0, 1)
    item_progress_set_state(enrolment=enrolment, item=made["alt-b"], state=ItemState.NOT_STARTED)  # A again
    assert step_progress(enrolment, step).total_hours == Decimal(16)
    item_progress_set_state(enrolment=enrolment, item=made["alt-a"], state=ItemState.SKIPPED)  # B is the pick now
    assert step_progress(enrolment, step) == Progress(Decimal(0), Decimal(17), 0, 5, 1, 1)
    assert_consistent(enrolment, today)


def test_a_topic_with_subtopics_is_never_counted_itself(db, learner):
    roadmap, step, made = structured_roadmap()
    enrolment = enrol(learner, roadmap)
    before = step_progress(enrolment, step)
    item_progress_set_state(enrolment=enrolment, item=made["parent"], state=ItemState.DONE)
    assert step_progress(enrolment, step) == before
    item_progress_set_state(enrolment=enrolment, item=made["sub-2"], state=ItemState.DONE)
    assert step_progress(enrolment, step).done_hours == Decimal(6)
    assert_consistent(enrolment, date.today())


def test_a_core_resource_under_an_optional_topic_is_optional_too(db, learner):
    roadmap, step, made = structured_roadmap()
    enrolment = enrol(learner, roadmap)
    item_progress_set_state(enrolment=enrolment, item=made["reading"], state=ItemState.DONE)
    assert step_progress(enrolment, step) == Progress(Decimal(2), Decimal(15), 1, 5, 0, 0)
    assert_consistent(enrolment, date.today())


def test_a_tick_costs_no_more_queries_on_a_structured_item(db, learner, django_assert_max_num_queries):
    roadmap, step, made = structured_roadmap()
    enrolment = enrol(learner, roadmap)
    core = Item.objects.get(pk=made["core"].pk)
    with CaptureQueriesContext(connection) as plain:
        item_progress_set_state(enrolment=enrolment, item=core, state=ItemState.DONE)
    for key in ("optional", "sub-1", "parent"):
        item = Item.objects.get(pk=made[key].pk)
        with django_assert_max_num_queries(len(plain)):
            item_progress_set_state(enrolment=enrolment, item=item, state=ItemState.DONE)


def test_counted_entries_keeps_what_the_plan_counts_for_the_loaders_weeks(db, learner):
    """The helper the loader's weeks and "up next" can filter their items
    with: the same items the step figures count, in the same order."""
    from types import SimpleNamespace

    roadmap, step, made = structured_roadmap()
    enrolment = enrol(learner, roadmap)
    item_progress_set_state(enrolment=enrolment, item=made["alt-b"], state=ItemState.IN_PROGRESS)
    states = dict(enrolment.item_progress.values_list("item_id", "state"))
    entries = [
        SimpleNamespace(pk=item.pk, kind=item.kind, step_id=item.step_id, status=item.status,
                        alternative_group=item.alternative_group, parent_id=item.parent_id,
                        state=states.get(item.pk))
        for item in reading_order(Item.objects.filter(roadmap=roadmap), {step.pk: 0})
    ]
    kept = [entry.pk for entry in summaries.counted_entries(entries)]
    assert kept == [made[key].pk for key in ("core", "alt-b", "sub-1", "sub-2")]
    assert len(kept) == kept_step_count(enrolment, step)


def kept_step_count(enrolment, step) -> int:
    progress = kept(enrolment)[step.pk]
    return progress.item_count + progress.skipped_count
