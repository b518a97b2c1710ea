"""Warnings the admin shows after a save that is valid but probably not meant.

Weekly goals and week-pinned checkpoints name weeks of the roadmap; a step
covers the weeks after the steps before it (their `duration_weeks`, in
order). Reordering steps or changing a step's weeks can leave a goal or a
checkpoint in a week its step no longer covers, which learners would see as
a goal for a week the plan spends on something else.

Learners see hours added up from the items (`roadmaps.hours`), never a
figure typed on the step or the roadmap: a stated figure that disagrees
with the items is warned about too, so the editor fixes one or the other.
"""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext

from roadmaps.hours import DEFAULT_HOURS
from roadmaps.models import Item, ItemKind, Roadmap, Step, parse_weekly_goals


def save_warnings(roadmap: Roadmap) -> list[str]:
    """Everything the admin warns about after a roadmap or one of its steps is saved."""
    return week_warnings(roadmap) + hours_warnings(roadmap)


def step_weeks(steps: list[Step]) -> dict[int, tuple[int, int]]:
    """step pk → (first week, last week), for the steps whose weeks are known
    (a step without a duration leaves every later one unknown)."""
    spans: dict[int, tuple[int, int]] = {}
    week = 1
    for step in steps:
        if not step.duration_weeks:
            break
        spans[step.pk] = (week, week + step.duration_weeks - 1)
        week += step.duration_weeks
    return spans


def week_warnings(roadmap: Roadmap) -> list[str]:
    """One sentence per step whose weekly goals or checkpoints fall outside its weeks. Two queries."""
    steps = list(Step.objects.filter(roadmap=roadmap).order_by("position"))
    spans = step_weeks(steps)
    pinned: dict[int, list[Item]] = defaultdict(list)
    for item in Item.objects.filter(roadmap=roadmap, kind=ItemKind.CHECKPOINT, step__isnull=False,
                                    week__isnull=False).active().order_by("position"):
        pinned[item.step_id].append(item)
    warnings = []
    for step in steps:
        if step.pk not in spans:
            continue
        first, last = spans[step.pk]
        outside = [gettext("the weekly goal for week %(week)d (“%(goal)s”)") % {"week": week, "goal": goal}
                   for week, goal in parse_weekly_goals(step.weekly_goals) if not first <= week <= last]
        outside += [gettext("the checkpoint “%(title)s” (week %(week)d)") % {"title": item.title, "week": item.week}
                    for item in pinned[step.pk] if not first <= item.week <= last]
        if outside:
            if first == last:
                covers = gettext("week %(week)d") % {"week": first}
            else:
                covers = gettext("weeks %(first)d–%(last)d") % {"first": first, "last": last}
            warnings.append(ngettext(
                "Step %(position)s “%(title)s” now covers %(weeks)s, but %(outside)s falls outside it.",
                "Step %(position)s “%(title)s” now covers %(weeks)s, but %(outside)s fall outside it.",
                len(outside),
            ) % {"position": step.position, "title": step.title, "weeks": covers, "outside": _and(outside)})
    return warnings


def _hours(value: Decimal) -> str:
    # In the editor's language ("2,5 h" in Spanish), as the roadmap page writes hours.
    return gettext("%(hours)s h") % {"hours": number_format(value.normalize(), use_l10n=True)}


def hours_warnings(roadmap: Roadmap) -> list[str]:
    """A sentence per step whose stated hours differ from its items' hours,
    and one when the roadmap's stated weeks differ from what its items take
    at its recommended hours a week. Two queries: the items' hours are
    summed in the database, per step and kind (un-estimated items weigh
    their kind's default, as on the learner's plan)."""
    steps = list(Step.objects.filter(roadmap=roadmap).order_by("position"))
    rows = (
        Item.objects.filter(roadmap=roadmap).active().order_by().values_list("step_id", "kind")
        .annotate(estimated=Sum("estimated_hours"), unestimated=Count("pk", filter=Q(estimated_hours__isnull=True)))
    )
    by_step: dict[int | None, Decimal] = defaultdict(Decimal)
    for step_id, kind, estimated, unestimated in rows:
        by_step[step_id] += (estimated or Decimal(0)) + DEFAULT_HOURS.get(kind, Decimal(1)) * unestimated
    warnings = []
    for step in steps:
        items_hours = by_step.get(step.pk, Decimal(0))
        if step.estimated_hours and step.estimated_hours != items_hours:
            warnings.append(gettext(
                "Step %(position)s “%(title)s” says %(stated)s, but its items add up to %(hours)s: learners see "
                "%(hours)s. Change the step's hours or its items'."
            ) % {
                "position": step.position, "title": step.title,
                "stated": _hours(step.estimated_hours), "hours": _hours(items_hours),
            })
    total = sum(by_step.values(), Decimal(0))
    if roadmap.duration_weeks and roadmap.weekly_hours and total:
        weeks = math.ceil(total / roadmap.weekly_hours)
        if weeks != roadmap.duration_weeks:
            warnings.append(gettext(
                "The roadmap says %(weeks)d weeks at %(weekly)d h a week, but its items add up to %(hours)s, "
                "which takes %(needed)d weeks at that pace."
            ) % {"weeks": roadmap.duration_weeks, "weekly": roadmap.weekly_hours, "hours": _hours(total),
                 "needed": weeks})
    return warnings


def _and(parts: list[str]) -> str:
    """“a, b and c”, in the reader's language."""
    return str(get_text_list(parts, gettext("and")))
