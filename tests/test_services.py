"""Roadmap services: publish, unpublish, duplicate, touch."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from roadmaps.models import (
    Guidance,
    GuidanceKind,
    Item,
    ItemKind,
    MetricDefinition,
    PacePlan,
    RetrospectivePrompt,
    Roadmap,
    Status,
    Step,
)
from roadmaps.services import roadmap_duplicate, roadmap_publish, roadmap_touch, roadmap_unpublish
from tests.factories import make_roadmap, make_user

pytestmark = pytest.mark.django_db


def _age(roadmap: Roadmap, days: int = 3) -> None:
    Roadmap.objects.filter(pk=roadmap.pk).update(updated_at=timezone.now() - timedelta(days=days))
    roadmap.refresh_from_db()


def test_it_publishes_a_draft_and_keeps_the_first_publication_date():
    roadmap = make_roadmap(status=Status.DRAFT)
    _age(roadmap)
    before = roadmap.updated_at

    roadmap_publish(roadmap=roadmap)
    roadmap.refresh_from_db()
    first = roadmap.published_at
    assert roadmap.status == Status.PUBLISHED
    assert first is not None
    assert roadmap.updated_at > before

    roadmap_unpublish(roadmap=roadmap)
    roadmap_publish(roadmap=roadmap)
    roadmap.refresh_from_db()
    assert roadmap.published_at == first


def test_it_unpublishes_to_draft():
    roadmap = make_roadmap(status=Status.PUBLISHED)
    _age(roadmap)
    before = roadmap.updated_at

    roadmap_unpublish(roadmap=roadmap)
    roadmap.refresh_from_db()
    assert roadmap.status == Status.DRAFT
    assert roadmap.updated_at > before
    assert not Roadmap.objects.published().filter(pk=roadmap.pk).exists()


def test_it_touches_with_one_targeted_update():
    roadmap = make_roadmap()
    _age(roadmap)
    stale_title = roadmap.title
    Roadmap.objects.filter(pk=roadmap.pk).update(title="Renamed elsewhere")
    before = roadmap.updated_at

    # one targeted update of the roadmap (then its learners' summaries are
    # rebuilt: tests/test_summaries.py)
    with CaptureQueriesContext(connection) as queries:
        roadmap_touch(roadmap=roadmap)
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "roadmaps_roadmap"')]
    assert len(updates) == 1 and '"title"' not in updates[0]

    fresh = Roadmap.objects.get(pk=roadmap.pk)
    assert fresh.updated_at > before
    assert roadmap.updated_at == fresh.updated_at
    # A targeted UPDATE: the stale in-memory title was not written back.
    assert fresh.title == "Renamed elsewhere" != stale_title


def _rich_roadmap() -> Roadmap:
    roadmap = make_roadmap(steps=2, items_per_step=4, tags=["Python", "Docker"], featured=True, slug="backend")
    Item.objects.create(roadmap=roadmap, kind=ItemKind.RESOURCE, key="book", title="A book", position=1,
                        resource_kind="book")
    Item.objects.filter(key="s0-i0").update(retired_at=timezone.now())
    Guidance.objects.create(roadmap=roadmap, kind=GuidanceKind.SCHEDULE, day="mon", hours=2, body="Read", position=0)
    RetrospectivePrompt.objects.create(roadmap=roadmap, position=1, text="What surprised you?")
    return roadmap


def test_it_duplicates_a_roadmap_as_a_draft_with_everything_it_holds():
    original = _rich_roadmap()
    editor = make_user(is_staff=True)
    original_item_pks = set(Item.objects.filter(roadmap=original).values_list("pk", flat=True))

    copy = roadmap_duplicate(roadmap=original, created_by=editor)

    assert copy.pk != original.pk
    assert copy.slug == "backend-copy"
    assert copy.status == Status.DRAFT
    assert copy.featured is False
    assert copy.published_at is None
    assert copy.created_by == editor
    assert sorted(tag.name for tag in copy.tags.all()) == ["Docker", "Python"]

    copied_items = Item.objects.filter(roadmap=copy)
    assert not original_item_pks & set(copied_items.values_list("pk", flat=True))
    # Active items only: the retired one stays behind.
    assert sorted(copied_items.values_list("key", flat=True)) == sorted(
        Item.objects.filter(roadmap=original).active().values_list("key", flat=True)
    )
    assert copied_items.filter(retired_at__isnull=False).count() == 0
    # Items hang off the copy's own steps, in the same places.
    for item in copied_items.select_related("step"):
        original_item = Item.objects.select_related("step").get(roadmap=original, key=item.key)
        if original_item.step is None:
            assert item.step is None
        else:
            assert item.step.roadmap_id == copy.pk
            assert item.step.key == original_item.step.key
    assert list(Step.objects.filter(roadmap=copy).values_list("key", "position")) == list(
        Step.objects.filter(roadmap=original).values_list("key", "position")
    )
    assert PacePlan.objects.filter(roadmap=copy).count() == 1
    assert Guidance.objects.filter(roadmap=copy).count() == 2
    assert MetricDefinition.objects.filter(roadmap=copy).count() == 1
    assert list(RetrospectivePrompt.objects.filter(roadmap=copy).values_list("text", flat=True)) == [
        "What surprised you?"
    ]


def test_it_leaves_the_original_untouched_when_duplicating():
    original = _rich_roadmap()
    counts = {
        model: model.objects.filter(roadmap=original).count()
        for model in (Step, Item, PacePlan, Guidance, MetricDefinition, RetrospectivePrompt)
    }
    roadmap_duplicate(roadmap=original)
    original.refresh_from_db()
    assert original.slug == "backend"
    assert original.status == Status.PUBLISHED
    assert original.featured is True
    for model, count in counts.items():
        assert model.objects.filter(roadmap=original).count() == count
    assert RetrospectivePrompt.objects.filter(roadmap__isnull=True).count() == 5


def test_it_numbers_further_copies():
    original = make_roadmap(slug="intro")
    first = roadmap_duplicate(roadmap=original)
    second = roadmap_duplicate(roadmap=original)
    third = roadmap_duplicate(roadmap=original)
    assert [first.slug, second.slug, third.slug] == ["intro-copy", "intro-copy-2", "intro-copy-3"]


def test_it_keeps_a_long_copy_slug_within_the_limit():
    original = make_roadmap(slug="x" * 80)
    copy = roadmap_duplicate(roadmap=original)
    assert len(copy.slug) <= 80
    assert copy.slug.endswith("-copy")
