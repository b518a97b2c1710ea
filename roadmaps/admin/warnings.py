"""Warnings the admin shows after a save that is valid but probably not meant.

Weekly goals and week-pinned checkpoints name weeks of the roadmap; a step
covers the weeks after the steps before it (their `duration_weeks`, in
order). Reordering steps or changing a step's weeks can leave a goal or a
checkpoint in a week its step no longer covers, which learners would see as
a goal for a week the plan spends on something else.
"""

from __future__ import annotations

from collections import defaultdict

from roadmaps.models import Item, ItemKind, Roadmap, Step, parse_weekly_goals


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
        outside = [f"the weekly goal for week {week} (“{goal}”)"
                   for week, goal in parse_weekly_goals(step.weekly_goals) if not first <= week <= last]
        outside += [f"the checkpoint “{item.title}” (week {item.week})"
                    for item in pinned[step.pk] if not first <= item.week <= last]
        if outside:
            covers = f"week {first}" if first == last else f"weeks {first}–{last}"
            warnings.append(f"Step {step.position} “{step.title}” now covers {covers}, but "
                            f"{_and(outside)} fall{'s' * (len(outside) == 1)} outside it.")
    return warnings


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
