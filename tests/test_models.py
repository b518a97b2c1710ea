"""Content invariants are database constraints: each breach raises IntegrityError
even when model validation is bypassed (bulk writes, imports, the shell)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from roadmaps.models import (
    Guidance,
    GuidanceKind,
    Item,
    ItemKind,
    MetricDefinition,
    PacePlan,
    Roadmap,
    Step,
    Tag,
)
from tests.factories import make_roadmap

pytestmark = pytest.mark.django_db


def _violates(create) -> None:
    # atomic() so that PostgreSQL can carry on after the failed statement.
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_it_requires_unique_roadmap_slugs():
    make_roadmap(slug="same")
    _violates(lambda: Roadmap.objects.create(slug="same", title="Other", summary="x"))


def test_it_requires_unique_tag_slugs_and_names_case_insensitively():
    Tag.objects.create(name="Python", slug="python")
    _violates(lambda: Tag.objects.create(name="Python 3", slug="python"))
    _violates(lambda: Tag.objects.create(name="PYTHON", slug="python-upper"))


def test_it_requires_unique_step_keys_and_positions_in_a_roadmap():
    roadmap = make_roadmap(steps=1)
    _violates(lambda: Step.objects.create(roadmap=roadmap, key="step-0", position=5, title="Dup key"))
    _violates(lambda: Step.objects.create(roadmap=roadmap, key="new", position=0, title="Dup position"))
    # Another roadmap may reuse both.
    other = make_roadmap(steps=0)
    Step.objects.create(roadmap=other, key="step-0", position=0, title="Fine")


def test_it_requires_unique_item_positions_per_step_and_kind():
    roadmap = make_roadmap(steps=1, items_per_step=1)
    step = roadmap.steps.get()
    _violates(lambda: Item.objects.create(roadmap=roadmap, step=step, kind=ItemKind.TOPIC, key="x", position=0,
                                          title="Same place"))
    # Another kind at the same position is fine.
    Item.objects.create(roadmap=roadmap, step=step, kind=ItemKind.PROJECT, key="y", position=0, title="Project")


def test_it_requires_unique_positions_for_roadmap_wide_items():
    roadmap = make_roadmap(steps=0)
    Item.objects.create(roadmap=roadmap, kind=ItemKind.RESOURCE, key="a", position=0, title="A")
    _violates(lambda: Item.objects.create(roadmap=roadmap, kind=ItemKind.RESOURCE, key="b", position=0, title="B"))


def test_it_lets_a_retired_item_keep_its_old_position():
    roadmap = make_roadmap(steps=1, items_per_step=1)
    step = roadmap.steps.get()
    Item.objects.filter(step=step).update(retired_at="2025-01-01T00:00:00Z")
    Item.objects.create(roadmap=roadmap, step=step, kind=ItemKind.TOPIC, key="new", position=0, title="New")


def test_it_requires_unique_item_keys_in_a_roadmap():
    roadmap = make_roadmap(steps=1, items_per_step=1)
    _violates(lambda: Item.objects.create(roadmap=roadmap, kind=ItemKind.TOPIC, key="s0-i0", position=9, title="D"))


def test_it_requires_unique_pace_plan_positions():
    roadmap = make_roadmap(steps=0)  # has "balanced" at position 0
    _violates(lambda: PacePlan.objects.create(roadmap=roadmap, key="casual", name="Casual", position=0,
                                              hours_per_week=5))


@pytest.mark.parametrize("hours", [Decimal(0), Decimal("-1")])
def test_it_requires_positive_hours(hours):
    roadmap = make_roadmap(steps=1, items_per_step=0)
    step = roadmap.steps.get()
    _violates(lambda: Step.objects.create(roadmap=roadmap, key="h", position=3, title="H", estimated_hours=hours))
    _violates(lambda: Item.objects.create(roadmap=roadmap, step=step, kind=ItemKind.TOPIC, key="h", position=0,
                                          title="H", estimated_hours=hours))
    _violates(lambda: PacePlan.objects.create(roadmap=roadmap, key="h", name="H", position=3, hours_per_week=hours))
    _violates(lambda: Guidance.objects.create(roadmap=roadmap, kind=GuidanceKind.SCHEDULE, position=3, day="mon",
                                              title="H", hours=hours))


def test_it_allows_only_one_recommended_pace_plan():
    roadmap = make_roadmap(steps=0)
    PacePlan.objects.create(roadmap=roadmap, key="a", name="A", position=1, hours_per_week=5, is_recommended=True)
    _violates(lambda: PacePlan.objects.create(roadmap=roadmap, key="b", name="B", position=2, hours_per_week=8,
                                              is_recommended=True))
    # Each roadmap has its own recommendation.
    other = make_roadmap(steps=0)
    PacePlan.objects.create(roadmap=other, key="a", name="A", position=1, hours_per_week=5, is_recommended=True)


@pytest.mark.parametrize("kind", [ItemKind.TOPIC, ItemKind.RESOURCE, ItemKind.CHECKPOINT])
def test_it_allows_capstone_only_on_projects(kind):
    roadmap = make_roadmap(steps=0)
    _violates(lambda: Item.objects.create(roadmap=roadmap, kind=kind, key="c", position=0, title="C",
                                          is_capstone=True))
    Item.objects.create(roadmap=roadmap, kind=ItemKind.PROJECT, key="p", position=0, title="P", is_capstone=True)


@pytest.mark.parametrize("kind", [ItemKind.TOPIC, ItemKind.PROJECT, ItemKind.CHECKPOINT])
def test_it_allows_a_resource_kind_only_on_resources(kind):
    roadmap = make_roadmap(steps=0)
    _violates(lambda: Item.objects.create(roadmap=roadmap, kind=kind, key="r", position=0, title="R",
                                          resource_kind="book"))
    Item.objects.create(roadmap=roadmap, kind=ItemKind.RESOURCE, key="ok", position=0, title="OK",
                        resource_kind="book")


def test_it_rejects_unknown_kinds_and_levels():
    roadmap = make_roadmap(steps=0)
    _violates(lambda: Item.objects.create(roadmap=roadmap, kind="video", key="v", position=0, title="V"))
    _violates(lambda: Roadmap.objects.create(slug="lvl", title="L", summary="x", skill_level="wizard"))
    _violates(lambda: Roadmap.objects.create(slug="st", title="S", summary="x", status="archived"))


def test_it_keeps_weeks_and_targets_positive():
    roadmap = make_roadmap(steps=0)
    _violates(lambda: Roadmap.objects.create(slug="w0", title="W", summary="x", duration_weeks=0))
    _violates(lambda: Roadmap.objects.create(slug="h200", title="H", summary="x", weekly_hours=200))
    _violates(lambda: Item.objects.create(roadmap=roadmap, kind=ItemKind.CHECKPOINT, key="w", position=0,
                                          title="W", week=0))
    _violates(lambda: MetricDefinition.objects.create(roadmap=roadmap, key="t", name="T", position=5, target=0))


def test_it_keeps_schedule_fields_on_schedule_entries_only():
    roadmap = make_roadmap(steps=0)
    _violates(lambda: Guidance.objects.create(roadmap=roadmap, kind=GuidanceKind.TIP, position=5, title="T",
                                              day="mon"))
    _violates(lambda: Guidance.objects.create(roadmap=roadmap, kind=GuidanceKind.TIP, position=6))
