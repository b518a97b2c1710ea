"""The roadmap's small tables in one round trip (roadmaps/side_tables.py) give
exactly what the ORM gives table by table, on SQLite and on PostgreSQL (CI runs
this file on both)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from roadmaps import side_tables
from roadmaps.models import Guidance, GuidanceKind, MetricDefinition, PacePlan, RetrospectivePrompt, Roadmap, Tag
from roadmaps.querysets import effective_prompts
from tests.factories import make_roadmap

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


@pytest.fixture
def roadmap():
    roadmap = make_roadmap(tags=["SQL", "Python", "Docker"])
    PacePlan.objects.create(
        roadmap=roadmap, key="intensive", name="Intensive", hours_per_week=Decimal("22.5"), duration_weeks=6,
        position=1, is_recommended=True, summary="Three hours a day", details="One\nTwo",
    )
    Guidance.objects.create(roadmap=roadmap, kind=GuidanceKind.SCHEDULE, title="Monday", day="mon",
                            hours=Decimal("1.5"), week=3, position=0)
    Guidance.objects.create(roadmap=roadmap, kind=GuidanceKind.MISTAKE, title="Skipping tests", body="*Don't*.",
                            url="https://example.com/x", position=2)
    MetricDefinition.objects.create(roadmap=roadmap, key="apps", name="Applications", unit="applications",
                                    target=40, description="Sent", position=1)
    RetrospectivePrompt.objects.create(roadmap=roadmap, text="What surprised you?", position=0)
    return roadmap


def test_it_reads_every_table_as_the_orm_does(roadmap, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = side_tables.load_side_tables(roadmap)
    expected = {
        PacePlan: list(PacePlan.objects.filter(roadmap=roadmap).order_by("position", "pk")),
        Guidance: list(Guidance.objects.filter(roadmap=roadmap).order_by("kind", "position", "pk")),
        MetricDefinition: list(MetricDefinition.objects.filter(roadmap=roadmap).order_by("position", "pk")),
        RetrospectivePrompt: list(RetrospectivePrompt.objects.candidates_for([roadmap.pk])),
        Tag: sorted(roadmap.tags.all(), key=lambda tag: tag.name),
    }
    assert set(found) == set(expected)
    for model, rows in expected.items():
        assert [_fields(row) for row in found[model]] == [_fields(row) for row in rows], model.__name__
    plan = found[PacePlan][-1]
    assert plan.hours_per_week == Decimal("22.5") and str(plan.hours_per_week) == "22.5"
    assert str(found[PacePlan][0].hours_per_week) == "10.0"  # the column's scale, as the ORM gives it
    assert plan.is_recommended is True and found[PacePlan][0].is_recommended is False
    assert [tag.name for tag in found[Tag]] == ["Docker", "Python", "SQL"]


def test_it_gives_whole_instances_that_query_nothing_later(roadmap, django_assert_num_queries):
    found = side_tables.load_side_tables(roadmap)
    with django_assert_num_queries(0):
        for rows in found.values():
            for row in rows:
                assert not row.get_deferred_fields()
                _fields(row)
                assert row._state.adding is False


def test_it_lets_the_roadmaps_own_prompts_win_over_the_defaults(roadmap):
    prompts = effective_prompts(side_tables.load_side_tables(roadmap)[RetrospectivePrompt], roadmap.pk)
    assert [prompt.text for prompt in prompts] == ["What surprised you?"]
    other = make_roadmap()
    defaults = list(RetrospectivePrompt.objects.filter(roadmap__isnull=True).order_by("position", "pk"))
    prompts = effective_prompts(side_tables.load_side_tables(other)[RetrospectivePrompt], other.pk)
    assert prompts == defaults and prompts


def test_it_refuses_a_field_it_cannot_read_back_from_json():
    # A date column would arrive as a string: adding one to these tables must fail here, not on a page.
    with pytest.raises(TypeError, match="Roadmap.updated_at: DateTimeField"):
        side_tables._value(Roadmap._meta.get_field("updated_at"), "2026-11-21T10:00:00")
