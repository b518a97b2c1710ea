"""The catalogue/admin totals and the roadmap page agree on a roadmap's hours."""

from decimal import Decimal

import pytest
from django.utils import timezone

from roadmaps.content import load_roadmap_content
from roadmaps.models import Item, ItemKind, Roadmap
from tests.factories import make_roadmap

pytestmark = pytest.mark.django_db


def test_it_counts_the_items_whatever_a_step_states():
    roadmap = make_roadmap(steps=2, items_per_step=4)  # 2 h per item
    first, second = roadmap.steps.order_by("position")
    first.estimated_hours = Decimal(30)
    first.save()
    Item.objects.create(roadmap=roadmap, kind=ItemKind.TOPIC, key="wide", title="Wide", estimated_hours=5)
    Item.objects.filter(step=second, position=0).update(retired_at=timezone.now())

    stats = Roadmap.objects.with_stats().get(pk=roadmap.pk)

    # The first step's stated 30 h does not count: 8 (its four items) + 6
    # (second step: three active items) + 5 (roadmap-wide), as the plan adds up.
    assert stats.total_hours == Decimal(19)
    assert load_roadmap_content(roadmap).total_hours == stats.total_hours
    assert stats.item_count == 8
    assert stats.step_count == 2


def test_it_reports_zero_hours_for_an_empty_roadmap():
    roadmap = make_roadmap(steps=0)
    assert Roadmap.objects.with_stats().get(pk=roadmap.pk).total_hours == 0
