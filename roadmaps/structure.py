"""The rules of a roadmap's structure (subtopics, a topic's resources,
headings, groups of alternatives) that one item's row cannot state as a
database constraint: `Item.clean` raises them, the importer and the admin
show them."""

from __future__ import annotations

from django.utils.translation import gettext


def structure_errors(item) -> dict[str, str]:
    """field name → what is wrong with `item`'s place in the structure."""
    from roadmaps.models import CHILD_KINDS, ItemKind, ItemStatus  # models calls this: import here

    errors: dict[str, str] = {}
    if item.status == ItemStatus.ALTERNATIVE and not item.alternative_group.strip():
        errors["alternative_group"] = gettext("Name the group of alternatives this item is one of.")
    elif item.status != ItemStatus.ALTERNATIVE and item.alternative_group:
        errors["alternative_group"] = (
            gettext("Only alternatives have a group: clear it, or change the status to “Alternative”.")
        )
    if item.heading and (item.kind != ItemKind.TOPIC or item.parent_id):
        errors["heading"] = gettext("Only a step's own topics (not subtopics) are grouped under headings.")
    parent = item.parent if item.parent_id else None
    if parent is not None:
        if item.kind not in CHILD_KINDS:
            errors["parent"] = gettext("Only topics (as subtopics) and resources can be placed under a topic.")
        elif parent.pk == item.pk:
            errors["parent"] = gettext("An item cannot be placed under itself.")
        elif parent.kind != ItemKind.TOPIC:
            errors["parent"] = gettext("Items can only be placed under a topic.")
        elif parent.step_id != item.step_id or parent.roadmap_id != item.roadmap_id:
            errors["parent"] = gettext("The topic it is under must be in the same step.")
        elif item.kind == ItemKind.TOPIC and parent.parent_id:
            errors["parent"] = gettext("Subtopics go one level deep: that topic is a subtopic itself.")
        elif item.kind == ItemKind.TOPIC and item.pk and item.children.filter(kind=ItemKind.TOPIC).exists():
            errors["parent"] = gettext("This topic has subtopics of its own, so it cannot be a subtopic.")
    return errors
