"""The roadmap page and the catalogue with structure (issue 15, point 1):
hours that follow the plan's rule, subtopics under their topic, a topic's
resources, headings, optional items and groups of alternatives."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from roadmaps.content import load_roadmap_content
from roadmaps.models import Roadmap
from roadmaps.yaml_io import import_roadmap_text

STRUCTURE = (Path(__file__).parent / "fixtures" / "yaml" / "structure.yaml").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap():
    return import_roadmap_text(STRUCTURE, source="structure.yaml")


def test_a_steps_hours_are_what_a_plan_counts_before_any_choice(roadmap):
    storage = load_roadmap_content(roadmap).steps[0]
    # sql-basics 4 + engine-pg 3 (the first alternative) + the book 6 + sql-primer 1 (default 1 h) + proj-a 8;
    # not the parent topic that has subtopics.
    assert storage.hours == Decimal(4 + 3 + 6 + 1 + 8)
    # key-value 2, engine-my 2, tuning 5, proj-b 10, and engine-my's manual (1 h), which is under an alternative.
    assert storage.optional_hours == Decimal(2 + 2 + 5 + 10 + 1)


def test_the_catalogue_counts_the_same_hours_as_the_page(roadmap):
    content = load_roadmap_content(roadmap)
    annotated = Roadmap.objects.with_stats().get(pk=roadmap.pk)
    assert annotated.total_hours == content.total_hours
    assert content.total_hours == Decimal(22 + 3 + 1)  # serving's HTTP 3, the roadmap-wide subtopic 1
