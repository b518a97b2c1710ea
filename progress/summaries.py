"""A learner's figures per step, kept where the write happens.

`EnrolmentStep` holds, for each enrolment and step (and the roadmap-wide
items), the counts and hours that the progress bars, the pace and the
finish date are made of. Reads take them as they are; writes keep them:

- a learner's item-state change applies its difference to one row, in the
  same transaction (`apply_state_change`, called by the item service);
- content edits (items added, retired, moved, re-houred, kinds changed) move
  the roadmap's `updated_at`; `rebuild` recomputes the rows of every learner
  of that roadmap from the raw rows, in two aggregate queries, and stamps
  `Enrolment.summarised_at` with the version it was built against.

`Enrolment.closed_pause_days` is kept the same way: every write that closes
a pause or moves the start date recounts it (`recount_pause_days`), and so
does `rebuild`.

A summary stamped with another version than the roadmap's is never trusted:
the loader recomputes that enrolment in memory (`compute`), so a content
edit that forgot to rebuild costs speed, never a wrong figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import models, transaction
from django.db.models import Case, Count, DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value, When

from progress.models import Enrolment, EnrolmentPause, EnrolmentStep, ItemProgress
from progress.schedule import (
    CONTAINER,
    CORE,
    DEFAULT_HOURS,
    DONE,
    FALLBACK_HOURS,
    IN_PROGRESS,
    NOT_STARTED,
    OPTIONAL,
    SKIPPED,
    Progress,
    counted_states,
    item_hours,
)
from roadmaps.hours import item_role, roles_of
from roadmaps.models import KIND_ORDER, Item, ItemKind, Roadmap

FIGURES = ("item_count", "done_count", "in_progress_count", "skipped_count", "total_hours", "done_hours",
           "optional_open_count", "optional_open_hours")


@dataclass
class StepFigures:
    item_count: int = 0
    done_count: int = 0
    in_progress_count: int = 0
    skipped_count: int = 0
    total_hours: Decimal = Decimal(0)
    done_hours: Decimal = Decimal(0)
    # Of the items in progress, the optional ones and their hours.
    optional_open_count: int = 0
    optional_open_hours: Decimal = Decimal(0)

    @classmethod
    def of(cls, row) -> StepFigures:
        return cls(**{name: getattr(row, name) for name in FIGURES})

    def add(self, other: StepFigures) -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @classmethod
    def total(cls, figures: Iterable[StepFigures]) -> StepFigures:
        """The roadmap's figures: its steps' summed."""
        total = cls()
        for step_figures in figures:
            total.add(step_figures)
        return total

    @property
    def progress(self) -> Progress:
        return Progress(
            done_hours=Decimal(self.done_hours),
            total_hours=Decimal(self.total_hours),
            done_count=self.done_count,
            item_count=self.item_count,
            skipped_count=self.skipped_count,
            in_progress_count=self.in_progress_count,
            optional_open_count=self.optional_open_count,
            optional_open_hours=Decimal(self.optional_open_hours),
        )

    @property
    def remaining_hours(self) -> Decimal:
        return Decimal(self.total_hours) - Decimal(self.done_hours)

    @property
    def not_started_count(self) -> int:
        return self.item_count - self.done_count - self.in_progress_count


def hours_expression(prefix: str = "") -> Case:
    """`schedule.item_hours` in SQL: the estimate, or the default of the kind."""
    estimate, kind = f"{prefix}estimated_hours", f"{prefix}kind"
    output = DecimalField(max_digits=10, decimal_places=2)
    return Case(
        When(**{f"{estimate}__gt": 0}, then=F(estimate)),
        *(When(**{kind: name}, then=Value(hours)) for name, hours in DEFAULT_HOURS.items()),
        default=Value(FALLBACK_HOURS),
        output_field=output,
    )


def _state_delta(state: str, hours: Decimal, sign: int, role: str = CORE) -> dict[str, object]:
    if state == SKIPPED:
        return {"skipped_count": sign}
    delta: dict[str, object] = {"item_count": sign, "total_hours": hours * sign}
    if state == DONE:
        delta.update(done_count=sign, done_hours=hours * sign)
    elif state == IN_PROGRESS:
        delta["in_progress_count"] = sign
        if role == OPTIONAL:
            delta.update(optional_open_count=sign, optional_open_hours=hours * sign)
    return delta


def plain_q(prefix: str = "") -> Q:
    """Items a plan counts exactly like any item (in SQL): core, not under an
    active optional or alternative topic, without subtopics. Everything else
    — optional items, alternatives, what is under them, topics with
    subtopics — is `structured` and counted item by item
    (`schedule.counted_states`)."""
    from roadmaps.querysets import plain_items_q

    return plain_items_q(prefix)


def _subtopics(parent) -> models.QuerySet:
    from roadmaps.querysets import active_subtopics

    return active_subtopics(parent)


def _structured(roadmap_ids) -> dict[int, list[tuple]]:
    """roadmap → (pk, step id, hours, role, group) of its structured active
    items, in reading order within each step (one query)."""
    found = (
        Item.objects.filter(roadmap_id__in=roadmap_ids)
        .active()
        .exclude(plain_q())
        .annotate(
            has_subtopics=Exists(_subtopics(OuterRef("pk"))),
            parent_status=Case(When(parent__retired_at__isnull=True, then=F("parent__status")), default=None),
        )
        .order_by("step_id", "kind", "position", "pk")
        .values_list("pk", "roadmap_id", "step_id", "kind", "estimated_hours", "status", "alternative_group",
                     "parent_status", "has_subtopics")
    )
    by_roadmap: dict[int, list[tuple]] = defaultdict(list)
    for pk, roadmap_id, step_id, kind, estimate, status, group, parent_status, has_subtopics in found:
        role = item_role(status, parent_status=parent_status, has_subtopics=has_subtopics)
        by_roadmap[roadmap_id].append((pk, step_id, kind, item_hours(kind, estimate), role, (step_id, group)))
    for entries in by_roadmap.values():
        entries.sort(key=lambda entry: KIND_ORDER.get(entry[2], 9))  # stable: positions stay in order
    return by_roadmap


def compute(enrolments: Sequence[Enrolment]) -> dict[int, dict[int | None, StepFigures]]:
    """Every enrolment's figures per step, from the raw rows: one aggregate
    query over the roadmaps' plain items, one over the learners' rows on
    them; the structured items (optional, alternatives, topics with
    subtopics: few) and the learners' rows on them item by item, two more."""
    result: dict[int, dict[int | None, StepFigures]] = {enrolment.pk: {} for enrolment in enrolments}
    if not enrolments:
        return result
    roadmap_ids = {enrolment.roadmap_id for enrolment in enrolments}
    # Plain and structured items counted apart, in one query: a roadmap
    # without structure needs no more than this and the learners' rows.
    content = (
        Item.objects.filter(roadmap_id__in=roadmap_ids)
        .active()
        .annotate(plain=Case(When(plain_q(), then=Value(True)), default=Value(False),
                             output_field=models.BooleanField()))
        .order_by()
        .values_list("roadmap_id", "step_id", "plain")
        .annotate(count=Count("pk"), hours=Sum(hours_expression()))
    )
    per_roadmap: dict[int, dict[int | None, tuple[int, Decimal]]] = defaultdict(dict)
    has_structure = set()
    for roadmap_id, step_id, plain, count, hours in content:
        if plain:
            per_roadmap[roadmap_id][step_id] = (count, Decimal(hours))
        else:
            has_structure.add(roadmap_id)
    for enrolment in enrolments:
        for step_id, (count, hours) in per_roadmap[enrolment.roadmap_id].items():
            result[enrolment.pk][step_id] = StepFigures(item_count=count, total_hours=hours)
    enrolment_ids = [enrolment.pk for enrolment in enrolments]
    learner = (
        ItemProgress.objects.filter(enrolment__in=enrolment_ids)
        .filter(item__retired_at__isnull=True)
        .filter(plain_q("item__"))
        .exclude(state="not_started")
        .order_by()
        .values_list("enrolment_id", "item__step_id", "state")
        .annotate(count=Count("pk"), hours=Sum(hours_expression("item__")))
    )
    for enrolment_id, step_id, state, count, hours in learner:
        figures = result[enrolment_id].setdefault(step_id, StepFigures())
        hours = Decimal(hours)
        if state == SKIPPED:
            figures.skipped_count += count
            figures.item_count -= count
            figures.total_hours -= hours
        elif state == DONE:
            figures.done_count += count
            figures.done_hours += hours
        elif state == IN_PROGRESS:
            figures.in_progress_count += count

    if not has_structure:
        return result
    structured = _structured(has_structure)
    structured_ids = [entry[0] for entries in structured.values() for entry in entries]
    states: dict[int, dict[int, str]] = defaultdict(dict)
    for start in range(0, len(structured_ids), 500):
        for enrolment_id, item_id, state in ItemProgress.objects.filter(
            enrolment__in=enrolment_ids, item_id__in=structured_ids[start:start + 500]
        ).exclude(state="not_started").order_by().values_list("enrolment_id", "item_id", "state"):
            states[enrolment_id][item_id] = state
    for enrolment in enrolments:
        entries = structured.get(enrolment.roadmap_id, [])
        mine = states.get(enrolment.pk, {})
        counted = counted_states((pk, role, group, mine.get(pk, NOT_STARTED)) for pk, _, _, _, role, group in entries)
        for pk, step_id, _, hours, role, _ in entries:
            if pk in counted:
                figures = result[enrolment.pk].setdefault(step_id, StepFigures())
                for name, value in _state_delta(counted[pk], hours, 1, role).items():
                    setattr(figures, name, getattr(figures, name) + value)
    return result


@transaction.atomic
def rebuild(*, enrolments: Iterable[Enrolment] | None = None, roadmap_id: int | None = None) -> int:
    """Recompute the step rows and the pause days of `enrolments` (or of every
    enrolment on the roadmap) from the raw rows. Returns how many enrolments
    were rebuilt."""
    found = Enrolment.objects.select_for_update(of=("self",)).order_by("pk")
    if enrolments is not None:
        found = found.filter(pk__in=[enrolment.pk for enrolment in enrolments])
    if roadmap_id is not None:
        found = found.filter(roadmap_id=roadmap_id)
    found = list(found.only("pk", "roadmap_id"))
    if not found:
        return 0
    # The version read before the rows: an edit landing meanwhile moves
    # `updated_at` past this stamp, and the summaries read as stale again.
    versions = dict(Roadmap.objects.filter(pk__in={e.roadmap_id for e in found}).values_list("pk", "updated_at"))
    figures = compute(found)
    EnrolmentStep.objects.filter(enrolment__in=found).delete()
    EnrolmentStep.objects.bulk_create(
        [
            EnrolmentStep(enrolment_id=enrolment_id, step_id=step_id, **vars(step_figures))
            for enrolment_id, steps in figures.items()
            for step_id, step_figures in steps.items()
        ],
        batch_size=500,
    )
    for roadmap, version in versions.items():
        Enrolment.objects.filter(pk__in=[e.pk for e in found if e.roadmap_id == roadmap]).update(
            summarised_at=version
        )
    recount_pause_days(found)
    return len(found)


def recount_pause_days(enrolments: Sequence[Enrolment]) -> None:
    """Set `closed_pause_days` of `enrolments` from their pause rows: the
    finished pauses that began on or after the start date, as saved. Call it
    in the write's transaction, after saving the pause or the start date;
    the instances get the new figure too."""
    days: dict[int, int] = dict.fromkeys((enrolment.pk for enrolment in enrolments), 0)
    finished = EnrolmentPause.objects.filter(
        enrolment__in=list(days), ended_on__isnull=False, started_on__gte=F("enrolment__start_date")
    ).values_list("enrolment_id", "started_on", "ended_on")
    for enrolment_id, started_on, ended_on in finished:
        days[enrolment_id] += (ended_on - started_on).days
    # One UPDATE per distinct figure: a roadmap's learners are mostly at 0.
    by_figure: dict[int, list[int]] = defaultdict(list)
    for enrolment_id, figure in days.items():
        by_figure[figure].append(enrolment_id)
    for figure, enrolment_ids in by_figure.items():
        Enrolment.objects.filter(pk__in=enrolment_ids).update(closed_pause_days=figure)
    for enrolment in enrolments:
        enrolment.closed_pause_days = days[enrolment.pk]


def apply_state_change(*, enrolment: Enrolment, item, before: str, after: str, fresh: bool,
                       role: str = CORE) -> None:
    """Move the item's step row from `before` to `after`, inside the caller's
    transaction (which holds the enrolment's lock). When the summaries are
    stale (`fresh` is false: the content changed since the last rebuild) or
    the row is missing, rebuild this enrolment instead: the raw rows
    already hold the change.

    `role` is the item's `roadmaps.hours.item_role`: an optional item moves
    the row only between "outside the plan" (not started) and its other
    states; a topic with subtopics never moves it; an alternative's change
    may change which of its group count, so its enrolment is rebuilt."""
    if before == after or role == CONTAINER:
        return
    if fresh and role in (CORE, OPTIONAL):
        hours = item_hours(item.kind, item.estimated_hours)
        delta: dict[str, object] = defaultdict(int)
        for state, sign in ((before, -1), (after, 1)):
            if role == OPTIONAL and state == NOT_STARTED:
                continue  # not taken up: outside the plan
            for name, value in _state_delta(state, hours, sign, role).items():
                delta[name] += value
        changes = {name: F(name) + value for name, value in delta.items() if value}
        if not changes or EnrolmentStep.objects.filter(enrolment=enrolment, step_id=item.step_id).update(**changes):
            return
    rebuild(enrolments=[enrolment])


def optional_open_items(enrolment: Enrolment) -> list[Item]:
    """The optional items (`roadmaps.hours.OPTIONAL`) the learner has in
    progress: what the step rows count as `optional_open_*`, item by item,
    for the repair that skips them. One query over the learner's rows in
    progress (few, whatever the roadmap's size), the rule applied here."""
    found = (
        Item.objects.active()
        .filter(learner_progress__enrolment=enrolment, learner_progress__state=IN_PROGRESS)
        .exclude(plain_q())
        .annotate(
            has_subtopics=Exists(_subtopics(OuterRef("pk"))),
            parent_status=Case(When(parent__retired_at__isnull=True, then=F("parent__status")), default=None),
        )
        .order_by("step_id", "kind", "position", "pk")
    )
    return [
        item for item in found
        if item_role(item.status, parent_status=item.parent_status, has_subtopics=item.has_subtopics) == OPTIONAL
    ]


def role_columns(item) -> dict[str, object]:
    """Annotations that read what `item_role` needs of `item` in the
    service's first query: no query of its own on a tick."""
    parent_status = Subquery(
        Item.objects.filter(pk=item.parent_id, retired_at__isnull=True).values("status")[:1]
    ) if item.parent_id else Value(None, output_field=models.CharField())
    if item.kind == ItemKind.TOPIC and item.parent_id is None:
        has_subtopics = Exists(_subtopics(item.pk))
    else:
        has_subtopics = Value(False)
    return {"item_parent_status": parent_status, "item_has_subtopics": has_subtopics}


def is_fresh(enrolment: Enrolment, roadmap: Roadmap) -> bool:
    return enrolment.summarised_at is not None and enrolment.summarised_at == roadmap.updated_at


def figures_of(rows: Iterable[EnrolmentStep]) -> dict[int | None, StepFigures]:
    return {row.step_id: StepFigures.of(row) for row in rows}



def counted_entries(entries: Sequence) -> list:
    """Of `entries` — items of whole steps in the learner's reading order,
    each with pk, kind, step_id, status, alternative_group, parent_id and the
    learner's state — the ones the learner's plan counts (the rule of
    `schedule.counted_states`): for the weeks and "up next" the loader lists,
    so that they hold what the step figures count. An optional item not
    taken up, an alternative of a group chosen otherwise (or not the group's
    default pick) and a topic with subtopics are left out."""
    entries = list(entries)
    roles = roles_of(entries)
    counted = counted_states(
        (entry.pk, roles[entry.pk], (entry.step_id, entry.alternative_group), entry.state or NOT_STARTED)
        for entry in entries
    )
    return [entry for entry in entries if entry.pk in counted]
