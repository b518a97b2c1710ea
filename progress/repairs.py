"""A plan that repairs itself: what a learner who fell behind is offered.

Once a learner is behind by more than a week of their pace, the plan page
and the dashboard offer one-step repairs, each with the finish date it
gives (`enrolments.services.enrolment_repair` applies one and records it):

- move the finish date: keep the pace, and count from where they stand —
  the plan from today, with what is left, is the new finish;
- raise the pace to keep the date the plan promised (the date it would end
  had they kept up), when that is a week away or more and the pace needed
  stays under the most a week can hold;
- skip the optional items: those the learner took up and has not finished
  are skipped, the pace kept, and the plan counts from where they stand
  without them. An optional item not taken up is outside the plan already
  (`schedule.counted_states`), and one done or skipped leaves nothing to
  take off: so it is offered only while some are in progress, and only
  when skipping them brings the finish earlier than moving the date does.
  The step summaries keep those items' hours (`optional_open_hours`), so
  the offer costs no query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_UP, Decimal

from progress.models import HOURS_PER_WEEK_MAX, RepairKind
from progress.schedule import days_spanned

# The loader's planner, private to it: so that this finish is the one the
# plan shows after the repair, to the day.
from progress.state import _plan_steps, reserved_weeks
from progress.summaries import StepFigures

# Behind by more than this many weeks of the learner's pace: time to repair.
BEHIND_WEEKS = Decimal(1)


@dataclass(frozen=True)
class RepairOffer:
    kind: str
    hours_per_week: Decimal  # the pace after the repair
    finish_date: date | None  # the finish the repair gives
    # What skipping the optional items takes off the plan.
    skipped_count: int = 0
    skipped_hours: Decimal = Decimal(0)

    @property
    def label(self) -> str:
        return RepairKind(self.kind).label


def is_behind_enough(state) -> bool:
    pace = state.pace
    return pace.status == "behind" and pace.hours_off > state.enrolment.hours_per_week * BEHIND_WEEKS


def promised_date(state, *, today: date) -> date:
    """The day the plan would end had the learner kept their pace: what it
    still expected after today, at that pace."""
    expected_left = max(Decimal(0), state.progress.total_hours - state.pace.planned_hours)
    days = days_spanned(expected_left, state.enrolment.hours_per_week / 7)
    return today + timedelta(days=max(days, 1) - 1)


def finish_without_optional(state, *, today: date) -> date | None:
    """The plan's finish once the optional items in progress are skipped:
    the loader's own step-by-step plan (the reviews' reserved hours
    included) over the step figures without their hours. None: nothing
    would be left."""
    figures = {
        step_id: StepFigures(
            total_hours=step.progress.total_hours - step.progress.optional_open_hours,
            done_hours=step.progress.done_hours,
        )
        for step_id, step in state.steps.items()
    }
    enrolment = state.enrolment
    _, finish, _ = _plan_steps(
        state.step_order, figures, hours_per_week=enrolment.hours_per_week, start_date=enrolment.start_date,
        today=today, horizon_weeks=1, reserved=reserved_weeks(state.reserved),
    )
    return finish


def offers(state, *, today: date) -> list[RepairOffer]:
    if not state.enrolment.is_active or not is_behind_enough(state) or state.progress.remaining_hours <= 0:
        return []
    pace = state.enrolment.hours_per_week
    found = [RepairOffer(RepairKind.MOVE_DATE, pace, state.schedule.finish_date)]
    target = promised_date(state, today=today)
    weeks_left = Decimal((target - today).days + 1) / 7
    if weeks_left >= 1:
        needed = (state.progress.remaining_hours / weeks_left).quantize(Decimal("0.5"), rounding=ROUND_UP)
        if pace < needed <= HOURS_PER_WEEK_MAX:
            found.append(RepairOffer(RepairKind.RAISE_PACE, needed, target))
    optional = state.progress
    if optional.optional_open_hours > 0:
        finish = finish_without_optional(state, today=today)
        if finish != state.schedule.finish_date:
            found.append(RepairOffer(RepairKind.SKIP_OPTIONAL, pace, finish, skipped_count=optional.optional_open_count,
                                     skipped_hours=optional.optional_open_hours))
    return found
