"""One idea of "hours a week": the account's weekly goal follows the sum of
the learner's active paces.

While the goal equals that sum (or is still the sign-up default and nothing
is planned yet), enrolling, changing a pace, a repair, pausing, resuming or
leaving moves the goal with it. A learner who set a goal of their own keeps
it; the dashboard then says where the two differ and offers to align them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Sum

from accounts.models import WEEKLY_HOURS_MAX, WEEKLY_HOURS_MIN
from progress.models import Enrolment, EnrolmentStatus


def pace_sum(user) -> Decimal:
    total = Enrolment.objects.filter(user=user, status=EnrolmentStatus.ACTIVE).aggregate(
        total=Sum("hours_per_week")
    )["total"]
    return total or Decimal(0)


def as_goal(hours: Decimal) -> int:
    """A weekly goal (whole hours, within the account's range) for `hours`."""
    whole = int(Decimal(hours).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return max(WEEKLY_HOURS_MIN, min(WEEKLY_HOURS_MAX, whole))


def follow_paces(user, *, before: Decimal) -> None:
    """After a change of the learner's paces (`before`: their sum before it)."""
    User = get_user_model()
    goal = User.objects.filter(pk=user.pk).values_list("weekly_hours_goal", flat=True).first()
    default = User._meta.get_field("weekly_hours_goal").default
    following = goal == as_goal(before) if before else goal == default
    after = pace_sum(user)
    if following and after and as_goal(after) != goal:
        User.objects.filter(pk=user.pk).update(weekly_hours_goal=as_goal(after))
        user.weekly_hours_goal = as_goal(after)


def set_goal_to_paces(user) -> int | None:
    """"Make my goal what my roadmaps plan"; None (nothing changed) when no
    roadmap is active to plan anything."""
    planned = pace_sum(user)
    if not planned:
        return None
    goal = as_goal(planned)
    get_user_model().objects.filter(pk=user.pk).update(weekly_hours_goal=goal)
    user.weekly_hours_goal = goal
    return goal
