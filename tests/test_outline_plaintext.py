"""A roadmap saved as plain text, with no Markdown heading, read as the
outline it stands for (roadmaps.yaml_io.plaintext)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from roadmaps.models import Item, ItemKind, Roadmap
from roadmaps.yaml_io.errors import RoadmapImportError
from roadmaps.yaml_io.importer import parse_file
from roadmaps.yaml_io.plaintext import is_plain_text, plain_to_outline

pytestmark = pytest.mark.django_db

LEVELS = """Web Craft Ladder
First Rung
Get comfortable with pages and servers.
Estimated Time: 3-5 weeks
Core Skills
• What a request carries (2h)
• Reading server logs
Project
- 1. Publish a one-page site

1
Second Rung
Talk to a database.
Skills
- Writing SELECT queries
"""


def test_it_turns_lines_into_the_outline_they_stand_for_line_for_line():
    outline = plain_to_outline(LEVELS)
    assert is_plain_text(LEVELS) and not is_plain_text(outline)
    assert outline.splitlines() == [
        "# Web Craft Ladder", "## First Rung", "Get comfortable with pages and servers.",
        "Estimated Time: 3-5 weeks", "#### Core Skills", "- What a request carries (2h)", "- Reading server logs",
        "#### Project", "- 1. Publish a one-page site", "", "", "## Second Rung", "Talk to a database.",
        "#### Skills", "- Writing SELECT queries",
    ]


def test_it_imports_a_plain_text_roadmap_and_says_it_guessed(tmp_path):
    path = tmp_path / "ladder.md"
    path.write_text(LEVELS, encoding="utf-8")
    out = StringIO()
    call_command("import_roadmaps", str(path), stdout=out)
    assert "read as plain text" in out.getvalue()
    roadmap = Roadmap.objects.get(title="Web Craft Ladder")
    first, second = roadmap.steps.order_by("position")
    assert (first.title, first.duration_weeks, second.title) == ("First Rung", 5, "Second Rung")
    assert list(Item.objects.filter(roadmap=roadmap).in_reading_order().values_list("kind", "title", "heading")) == [
        (ItemKind.TOPIC, "What a request carries", "Core Skills"),
        (ItemKind.TOPIC, "Reading server logs", "Core Skills"),
        (ItemKind.PROJECT, "Publish a one-page site", ""), (ItemKind.TOPIC, "Writing SELECT queries", "Skills"),
    ]


def test_a_markdown_outline_and_yaml_are_never_read_as_plain_text():
    assert not is_plain_text("# Title\n\n## Step\n\n- Topic\n")
    parsed = parse_file("# Title\n\nIntro.\n\n## Step\n\n- Topic\n", source="x.md")
    assert not any("plain text" in warning for warning in parsed.warnings)
    with pytest.raises(Exception, match="mapping"):
        parse_file("just a line\n", source="x.yaml")  # a .yaml file is YAML, whatever it holds


def test_a_text_file_that_is_not_yaml_says_how_to_read_it_as_an_outline():
    from roadmaps.yaml_io import RoadmapImportError

    with pytest.raises(RoadmapImportError, match=r"not valid YAML.*give the file a \.md name"):
        parse_file("Ladder\nRung one: the basics: first\n", source="ladder.txt")
    with pytest.raises(RoadmapImportError) as raised:
        parse_file("Ladder\nRung one: the basics: first\n", source="ladder.yaml")
    assert ".md" not in str(raised.value)


def test_an_outline_with_underlined_headings_is_markdown_not_plain_text():
    text = "Web Craft Ladder\n================\n\nFirst Rung (2 weeks)\n--------------------\n\n- Requests\n"
    assert not is_plain_text(text)
    parsed = parse_file(text, source="setext.md")
    assert not any("plain text" in warning for warning in parsed.warnings)
    assert [(step.title, step.weeks) for step in parsed.data.steps] == [("First Rung", 2)]


@pytest.mark.parametrize("markdown", [
    "Notes on requests\n\nSome words.\n\n```bash\n# GET request\ncurl https://example.org\n```\n",
    "Notes on methods\n\n| Method | Purpose |\n|---|---|\n| GET | Read |\n",
])
def test_markdown_without_headings_is_not_taken_for_plain_text(markdown):
    # A fence or a table never comes out of a page copied as text: this is a
    # Markdown page without a title, and the reader says so instead of guessing.
    assert not is_plain_text(markdown)
    with pytest.raises(RoadmapImportError, match="starts with the roadmap's title"):
        parse_file(markdown, source="notes.md")
