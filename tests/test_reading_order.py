"""`Item.objects.in_reading_order()` lists a roadmap as its page does, on
SQLite and PostgreSQL alike: steps in order, the roadmap-wide items last;
inside a step topics, resources, projects, checkpoints."""

from __future__ import annotations

import pytest

from progress.learner import reading_order
from roadmaps.models import Item, ItemKind, Step
from tests.factories import make_roadmap

pytestmark = pytest.mark.django_db


def test_it_lists_items_as_the_roadmap_page_does():
    roadmap = make_roadmap(steps=2, items_per_step=8)
    second, first = Step.objects.filter(roadmap=roadmap).order_by("-position")
    # Swapped (through a free position: one step per position), so that the
    # steps' pks no longer follow their order.
    for step, position in ((second, 99), (first, 1), (second, 0)):
        Step.objects.filter(pk=step.pk).update(position=position)
        step.position = position
    for position, kind in enumerate([ItemKind.CHECKPOINT, ItemKind.TOPIC, ItemKind.PROJECT]):
        Item.objects.create(roadmap=roadmap, step=None, kind=kind, key=f"wide-{position}", position=position,
                            title=f"Roadmap-wide {kind}")
    listed = list(Item.objects.filter(roadmap=roadmap).active().in_reading_order())
    positions = {step.pk: step.position for step in (first, second)}
    assert listed == reading_order(Item.objects.filter(roadmap=roadmap), positions)
    assert [item.kind for item in listed[:4]] == [ItemKind.TOPIC] * 2 + [ItemKind.RESOURCE] * 2
    assert {item.step_id for item in listed[:8]} == {second.pk}
    assert [item.title for item in listed[-3:]] == [
        "Roadmap-wide topic", "Roadmap-wide project", "Roadmap-wide checkpoint",
    ]
