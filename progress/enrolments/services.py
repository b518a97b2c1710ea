"""Writes to enrolments and personal milestones. Keyword-only, inside transactions, idempotent:
a double-click or a second open tab repeats the same outcome instead of
creating a duplicate row or failing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from progress import repairs, summaries
from progress.enrolments import goal
from progress.items.services import item_progress_set_state
from progress.learner import learner_step_order, paused_days
from progress.models import (
    Enrolment,
    EnrolmentPause,
    EnrolmentStatus,
    ItemState,
    Milestone,
    PlanRepair,
    RepairKind,
)
from progress.schedule import active_days, local_today
from progress.state import load_state
from progress.studylog.services import DUPLICATE_WINDOW
from roadmaps.models import Step


@transaction.atomic
def _enrolment_start(
    *, user, roadmap, pace_plan=None, hours_per_week: Decimal, start_date: date
) -> tuple[Enrolment, bool]:
    """Enrol, or come back. Returns (enrolment, changed).

    An enrolment the learner follows already is left as it is (a repeated
    submit changes nothing). One they left or completed is reactivated with
    the new pace and start date, and keeps its item progress and notes: to
    begin again from scratch there is "restart".
    """
    existing = Enrolment.objects.select_for_update().filter(user=user, roadmap=roadmap).first()
    if existing is None:
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    user=user,
                    roadmap=roadmap,
                    pace_plan=pace_plan,
                    hours_per_week=hours_per_week,
                    start_date=start_date,
                )
                summaries.rebuild(enrolments=[enrolment])
                _open_on_track(enrolment)
            return enrolment, True
        except IntegrityError:
            # The other tab won the race: theirs is the enrolment.
            return Enrolment.objects.get(user=user, roadmap=roadmap), False
    if existing.is_current:
        return existing, False
    existing.status = EnrolmentStatus.ACTIVE
    existing.left_at = None
    existing.completed_at = None
    existing.pace_plan = pace_plan
    existing.hours_per_week = hours_per_week
    existing.start_date = start_date
    existing.save(
        update_fields=["status", "left_at", "completed_at", "pace_plan", "hours_per_week", "start_date", "updated_at"]
    )
    # The roadmap may have changed while they were away, and the new start
    # date counts other pauses: the rebuild recounts both.
    summaries.rebuild(enrolments=[existing])
    _open_on_track(existing)
    return existing, True


def _open_on_track(enrolment: Enrolment) -> None:
    """A start date in the past plans the weeks from that date, but the pace
    counts from today: nobody is behind on the day they enrol."""
    enrolment = _locked_with_roadmap(enrolment)
    _mark_on_track_from_today(enrolment, _today(enrolment))
    enrolment.save(update_fields=PACE_MARK_FIELDS)


@transaction.atomic
def _locked_with_roadmap(enrolment: Enrolment) -> Enrolment:
    return (
        Enrolment.objects.select_for_update(of=("self",)).select_related("roadmap").get(pk=enrolment.pk)
    )


def _today(enrolment: Enrolment) -> date:
    return local_today(enrolment.user.time_zone)


def _mark_where_the_plan_stands(enrolment: Enrolment, today: date) -> None:
    """The new pace applies from today: by today the plan expected what the
    old pace expected, so weeks already past keep the pace they had."""
    if today <= enrolment.start_date:
        enrolment.pace_from_days, enrolment.pace_from_hours = 0, Decimal(0)
        return
    state = load_state(enrolment, today=today, front_items=False)
    enrolment.pace_from_days = active_days(
        start_date=enrolment.start_date, today=today, paused_days=paused_days(enrolment, today)
    )
    enrolment.pace_from_hours = state.pace.planned_hours


def _mark_on_track_from_today(enrolment: Enrolment, today: date) -> None:
    """The plan counts from where the learner stands today: what they have
    done is what it expected (a start date in the past, a new start date, a
    moved finish date). No deficit is made up out of days before."""
    if today <= enrolment.start_date:
        enrolment.pace_from_days, enrolment.pace_from_hours = 0, Decimal(0)
        return
    state = load_state(enrolment, today=today, front_items=False)
    enrolment.pace_from_days = active_days(
        start_date=enrolment.start_date, today=today, paused_days=paused_days(enrolment, today)
    )
    enrolment.pace_from_hours = state.progress.done_hours


PACE_MARK_FIELDS = ["pace_from_days", "pace_from_hours"]


@transaction.atomic
def _enrolment_change_pace(
    *, enrolment: Enrolment, pace_plan=None, hours_per_week: Decimal, today: date | None = None
) -> Enrolment:
    """A new pace, from today on: "behind" does not move by itself."""
    enrolment = _locked_with_roadmap(enrolment)
    today = today or _today(enrolment)
    if Decimal(hours_per_week) != enrolment.hours_per_week:
        _mark_where_the_plan_stands(enrolment, today)
    enrolment.pace_plan = pace_plan
    enrolment.hours_per_week = hours_per_week
    enrolment.save(update_fields=["pace_plan", "hours_per_week", *PACE_MARK_FIELDS, "updated_at"])
    return enrolment


def enrolment_mark_content_seen(*, enrolment: Enrolment) -> Enrolment:
    """The learner has seen what changed: nothing is marked "New" any more."""
    enrolment.content_seen_at = timezone.now()
    enrolment.save(update_fields=["content_seen_at", "updated_at"])
    return enrolment


@transaction.atomic
def enrolment_change_start(*, enrolment: Enrolment, start_date: date, today: date | None = None) -> Enrolment:
    """Move the start date; progress, notes and the study log stay. The plan
    counts from where the learner stands today (or from the new start, when
    it is ahead)."""
    enrolment = _locked_with_roadmap(enrolment)
    today = today or _today(enrolment)
    if start_date != enrolment.start_date:
        enrolment.start_date = start_date
        enrolment.save(update_fields=["start_date", "updated_at"])
        summaries.recount_pause_days([enrolment])  # pauses before the new start no longer count
        _mark_on_track_from_today(enrolment, today)
        enrolment.save(update_fields=PACE_MARK_FIELDS)
    return enrolment


@transaction.atomic
def _enrolment_repair(*, enrolment: Enrolment, kind: str, today: date | None = None) -> PlanRepair | None:
    """Apply one of the repairs `repairs.offers` lists for a learner who fell
    behind, and record it. None when that repair is not on offer any more
    (a second tab, a double-click: the first one repaired the plan).

    Skipping the optional items marks each one in progress skipped through
    the item service (its step row, its review card move with it); its note
    and the time logged on it stay."""
    enrolment = _locked_with_roadmap(enrolment)
    today = today or _today(enrolment)
    state = load_state(enrolment, today=today, front_items=False)
    offer = next((offer for offer in repairs.offers(state, today=today) if offer.kind == kind), None)
    if offer is None:
        return None
    if kind == RepairKind.SKIP_OPTIONAL:
        for item in summaries.optional_open_items(enrolment):
            item_progress_set_state(enrolment=enrolment, item=item, state=ItemState.SKIPPED)
    before = enrolment.hours_per_week
    enrolment.hours_per_week = offer.hours_per_week
    if offer.hours_per_week != before:
        enrolment.pace_plan = None  # the learner's own figure now
    _mark_on_track_from_today(enrolment, today)
    enrolment.save(update_fields=["hours_per_week", "pace_plan", *PACE_MARK_FIELDS, "updated_at"])
    return PlanRepair.objects.create(
        enrolment=enrolment, kind=kind, made_on=today, behind_hours=state.pace.hours_off,
        hours_per_week_before=before, hours_per_week_after=offer.hours_per_week,
        finish_before=state.schedule.finish_date, finish_after=offer.finish_date,
    )


@transaction.atomic
def _enrolment_pause(*, enrolment: Enrolment, today: date) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return enrolment
    enrolment.status = EnrolmentStatus.PAUSED
    enrolment.paused_on = today
    enrolment.save(update_fields=["status", "paused_on", "updated_at"])
    EnrolmentPause.objects.get_or_create(enrolment=enrolment, ended_on=None, defaults={"started_on": today})
    return enrolment


def _close_pause(enrolment: Enrolment, today: date) -> None:
    """End the running pause, if any, and count it in `closed_pause_days`.
    The caller holds the enrolment's lock."""
    closed = False
    for pause in EnrolmentPause.objects.filter(enrolment=enrolment, ended_on__isnull=True):
        pause.ended_on = max(today, pause.started_on)
        pause.save(update_fields=["ended_on"])
        closed = True
    if closed:
        summaries.recount_pause_days([enrolment])


@transaction.atomic
def _enrolment_resume(*, enrolment: Enrolment, today: date) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.PAUSED:
        return enrolment
    _close_pause(enrolment, today)
    enrolment.status = EnrolmentStatus.ACTIVE
    enrolment.paused_on = None
    enrolment.save(update_fields=["status", "paused_on", "updated_at"])
    return enrolment


@transaction.atomic
def _enrolment_leave(*, enrolment: Enrolment, today: date) -> Enrolment:
    """Stop following the roadmap. Nothing is deleted: progress, notes and
    the study log stay, and enrolling again picks them up."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.LEFT:
        return enrolment
    _close_pause(enrolment, today)
    enrolment.status = EnrolmentStatus.LEFT
    enrolment.paused_on = None
    enrolment.left_at = timezone.now()
    enrolment.save(update_fields=["status", "paused_on", "left_at", "updated_at"])
    return enrolment


@transaction.atomic
def enrolment_restart(*, enrolment: Enrolment, start_date: date, today: date) -> Enrolment:
    """Begin the roadmap again from `start_date`.

    What a learner expects of "start over": every item back to not started
    and personal milestones un-ticked, so the bars and the plan start from
    zero — but nothing they wrote is thrown away: notes, evidence links and
    project URLs stay on the items, the study log is untouched, and the
    milestones themselves remain.
    """
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    _close_pause(enrolment, today)
    now = timezone.now()
    enrolment.item_progress.exclude(state=ItemState.NOT_STARTED).update(
        state=ItemState.NOT_STARTED, state_changed_at=now, started_at=None, completed_at=None, confidence=None,
        updated_at=now,
    )
    enrolment.milestones.filter(done_at__isnull=False).update(done_at=None)
    enrolment.status = EnrolmentStatus.ACTIVE
    enrolment.start_date = start_date
    enrolment.paused_on = None
    enrolment.left_at = None
    enrolment.completed_at = None
    enrolment.save(update_fields=["status", "start_date", "paused_on", "left_at", "completed_at", "updated_at"])
    summaries.rebuild(enrolments=[enrolment])  # every item back to not started; the pauses from the new start
    _open_on_track(enrolment)
    return enrolment


def _roadmap_step_ids(enrolment: Enrolment) -> list[int]:
    return list(Step.objects.filter(roadmap_id=enrolment.roadmap_id).order_by("position").values_list("pk", flat=True))


@transaction.atomic
def enrolment_move_step(
    *, enrolment: Enrolment, step, direction: str, expected_index: int | None = None
) -> tuple[Enrolment, bool]:
    """Swap `step` with its neighbour in the learner's order of the roadmap's
    steps: "up" is earlier, "down" later. Returns (enrolment, moved).

    The order is read from the locked row, so two tabs clicking at once make
    two moves, not one lost one. `expected_index` is where the page showed the
    step (0 = first): if it is elsewhere now (a double-click, or a move in
    another tab) nothing moves, so a repeated submit cannot move it twice.
    Moving the first step up or the last one down changes nothing.

    The full order is saved, so steps an editor adds later go after it; an
    order that comes back to the roadmap's own is saved as "no custom order",
    so the learner follows the editor's order again (and later changes to it).
    """
    if direction not in ("up", "down"):
        raise ValueError(f"Unknown direction {direction!r}")
    if step.roadmap_id != enrolment.roadmap_id:
        raise ValueError("The step is not on the enrolment's roadmap.")
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    roadmap_order = _roadmap_step_ids(enrolment)
    order = learner_step_order(roadmap_order, enrolment.step_order)
    index = order.index(step.pk)
    other = index - 1 if direction == "up" else index + 1
    if (expected_index is not None and expected_index != index) or not 0 <= other < len(order):
        return enrolment, False
    order[index], order[other] = order[other], order[index]
    enrolment.step_order = [] if order == roadmap_order else order
    enrolment.save(update_fields=["step_order", "updated_at"])
    return enrolment, True


@transaction.atomic
def enrolment_reset_step_order(*, enrolment: Enrolment) -> Enrolment:
    """Back to the roadmap's order of steps. Idempotent."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.step_order:
        enrolment.step_order = []
        enrolment.save(update_fields=["step_order", "updated_at"])
    return enrolment


@transaction.atomic
def milestone_add(
    *, enrolment: Enrolment, step=None, title: str, due_date: date | None = None
) -> tuple[Milestone, bool]:
    """Add a milestone at the end of the enrolment's list. Returns
    (milestone, created): the same milestone added moments ago (a
    double-click, a re-sent form) is returned instead of a second row.

    The enrolment's row lock serialises two racing requests, so the second
    sees the first's row, and the next position is taken once (the unique
    constraint on the position backs this up)."""
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).values_list("pk", flat=True).first()
    recent = enrolment.milestones.filter(
        step=step, title=title, due_date=due_date, created_at__gte=timezone.now() - DUPLICATE_WINDOW
    ).first()
    if recent is not None:
        return recent, False
    last = enrolment.milestones.order_by("-position").values_list("position", flat=True).first()
    milestone = Milestone.objects.create(
        enrolment=enrolment, step=step, title=title, due_date=due_date, position=(last or 0) + 1
    )
    return milestone, True


def milestone_set_done(*, milestone: Milestone, done: bool) -> Milestone:
    """Idempotent: ticking a ticked milestone keeps its first done time."""
    if done and milestone.done_at is None:
        milestone.done_at = timezone.now()
    elif not done:
        milestone.done_at = None
    else:
        return milestone
    milestone.save(update_fields=["done_at"])
    return milestone


# --- The weekly goal follows the paces (progress.enrolments.goal) ----------------------------


def _user_of(kwargs):
    return kwargs["user"] if "user" in kwargs else kwargs["enrolment"].user


def _following_the_goal(write):
    def service(**kwargs):
        user = _user_of(kwargs)
        before = goal.pace_sum(user)
        result = write(**kwargs)
        goal.follow_paces(user, before=before)
        return result

    service.__name__ = service.__qualname__ = write.__name__.lstrip("_")
    service.__doc__ = write.__doc__
    return service


enrolment_start = _following_the_goal(_enrolment_start)
enrolment_change_pace = _following_the_goal(_enrolment_change_pace)
enrolment_repair = _following_the_goal(_enrolment_repair)
enrolment_pause = _following_the_goal(_enrolment_pause)
enrolment_resume = _following_the_goal(_enrolment_resume)
enrolment_leave = _following_the_goal(_enrolment_leave)
