"""How many hours an item weighs: its estimate, or the default for its kind.

One rule for the roadmap page's step and roadmap totals and for every
learner's plan and progress (progress.schedule, progress.summaries), so what
a roadmap advertises is what the plan adds up.
"""

from __future__ import annotations

from decimal import Decimal

# Hours assumed for an item the editor gave no estimate.
DEFAULT_HOURS: dict[str, Decimal] = {
    "topic": Decimal(1),
    "resource": Decimal(1),
    "checkpoint": Decimal(1),
    "project": Decimal(4),
}
FALLBACK_HOURS = Decimal(1)


def item_hours(kind: str, estimated_hours: Decimal | None) -> Decimal:
    """The weight of an item: its estimate, or the default for its kind."""
    if estimated_hours:
        return Decimal(estimated_hours)
    return DEFAULT_HOURS.get(kind, FALLBACK_HOURS)


# --- What a plan counts (docs/roadmap-yaml.md, "What a learner's plan counts") ---

CORE, OPTIONAL, ALTERNATIVE = "core", "optional", "alternative"
# A topic with subtopics: its progress is theirs, it is never counted itself.
CONTAINER = "container"


def item_role(status: str, *, parent_status: str | None = None, has_subtopics: bool = False) -> str:
    """How a plan counts an item: CORE, OPTIONAL, ALTERNATIVE or CONTAINER.

    `parent_status` is the status of the active topic it is under (None when
    it stands alone): whatever is under an optional topic (or a topic's
    resource under an alternative) is optional itself, alternatives among
    them included: none counts until the learner takes one up."""
    if has_subtopics:
        return CONTAINER
    if parent_status not in (None, CORE):
        return OPTIONAL
    return status


def roles_of(items) -> dict[int, str]:
    """item_role of each of `items` (active items; whole steps at least, so
    that parents and subtopics are among them)."""
    items = list(items)
    by_pk = {item.pk: item for item in items}
    with_subtopics = {item.parent_id for item in items if item.kind == "topic" and item.parent_id in by_pk}
    return {
        item.pk: item_role(
            item.status,
            parent_status=by_pk[item.parent_id].status if item.parent_id in by_pk else None,
            has_subtopics=item.pk in with_subtopics,
        )
        for item in items
    }


def default_plan(items) -> list:
    """The items a plan counts before a learner chooses anything, in the
    order given (reading order): core items, and the first of each group of
    alternatives. What a roadmap advertises."""
    items = list(items)
    roles = roles_of(items)
    picked: set = set()
    counted = []
    for item in items:
        role = roles[item.pk]
        if role == CORE:
            counted.append(item)
        elif role == ALTERNATIVE and (item.step_id, item.alternative_group) not in picked:
            picked.add((item.step_id, item.alternative_group))
            counted.append(item)
    return counted
