"""The Markdown outline importer (issue 15, point 5): `#` → roadmap, `##` →
steps, list items → topics, links → resources, hours and weeks read from the
text, nested items as subtopics, ### headings as topic headings, every
problem naming its line."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from roadmaps.models import Item, ItemKind, Roadmap
from roadmaps.yaml_io import RoadmapImportError
from roadmaps.yaml_io.importer import import_roadmap_text, parse_file
from roadmaps.yaml_io.outline import take_hours, take_weeks

GARDEN = Path(__file__).parent / "fixtures" / "outline" / "garden.md"

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("text", "expected"), [
    ("Soil (2h)", ("Soil", Decimal("2"))),
    ("Soil — 1.5 h", ("Soil", Decimal("1.5"))),
    ("Soil - 3 hours", ("Soil", Decimal("3"))),
    ("Picking (~2 hours) early", ("Picking early", Decimal("2"))),
    ("Soil in 2 hours of sun", ("Soil in 2 hours of sun", None)),
])
def test_it_reads_hours_from_a_title(text, expected):
    assert take_hours(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Foundations (Weeks 1-4)", ("Foundations", 4)),
    ("Sowing (3 weeks)", ("Sowing", 3)),
    ("Sowing — 2 weeks", ("Sowing", 2)),
    ("Sowing", ("Sowing", None)),
])
def test_it_reads_weeks_from_a_step_heading(text, expected):
    assert take_weeks(text) == expected


def test_it_imports_a_real_shaped_outline():
    roadmap = import_roadmap_text(GARDEN.read_text(), source="garden.md")
    assert (roadmap.slug, roadmap.title) == ("home-gardening-path", "Home Gardening Path")
    assert roadmap.summary.startswith("Grow vegetables on a balcony")
    assert "Written for people with no garden yet." in roadmap.description
    steps = list(roadmap.steps.order_by("position"))
    assert [(s.title, s.duration_weeks, s.estimated_hours) for s in steps] == [
        ("Soil and pots", 2, None), ("Sowing", 3, None), ("Harvest", None, Decimal("10.0")),
    ]
    assert steps[0].summary == "Know what roots need before buying seeds."
    assert "Most failures start underground" in steps[0].goal

    def topics(step):
        return list(Item.objects.filter(step=step, kind=ItemKind.TOPIC).order_by("position")
                    .values_list("title", "estimated_hours", "url"))

    assert topics(steps[0]) == [
        ("Soil texture", Decimal("2.0"), ""),
        ("Drainage", Decimal("1.5"), ""),
        ("Choosing containers", Decimal("3.0"), "https://example.org/containers"),
        ("Compost", None, ""),
        ("Hot compost", Decimal("1.0"), ""),  # nested: a subtopic, right after its parent
        ("Cold compost", None, ""),
        ("Mulch covers the soil", None, ""),
        ("Worm bins", Decimal("2.0"), ""),  # under a ### heading: still in the step, with that heading
    ]
    compost = Item.objects.get(step=steps[0], title="Compost")
    assert set(compost.children.filter(kind=ItemKind.TOPIC).values_list("title", flat=True)) == {
        "Hot compost", "Cold compost"}
    assert Item.objects.get(title="Worm bins").heading == "Optional reading"
    assert Item.objects.get(title="Soil texture").heading == ""
    compost = Item.objects.get(step=steps[0], title="Compost")
    assert compost.body.startswith("why it matters. Read the compost primer")
    resources = list(Item.objects.filter(step=steps[0], kind=ItemKind.RESOURCE).order_by("position")
                     .values_list("title", "url", "why"))
    assert resources == [
        ("the compost primer", "https://example.org/compost", ""),
        ("a turning demo", "https://example.org/video", ""),
    ]
    # The links of a topic's text are that topic's own resources.
    assert set(Item.objects.filter(kind=ItemKind.RESOURCE).values_list("parent__title", flat=True)) == {"Compost"}
    assert topics(steps[1]) == [("Seed depth", Decimal("1.0"), ""), ("Light and warmth", None, "")]
    assert Item.objects.get(title="Light and warmth").body == "Keep trays near a window."
    assert topics(steps[2]) == [("Picking at the right time", Decimal("2.0"), ""), ("Storing produce", None, "")]


def test_it_warns_about_relative_links_and_items_nested_too_deep():
    parsed = parse_file(GARDEN.read_text(), source="garden.md")
    assert parsed.warnings == [
        "steps[2].topics[1]: the link “/guides/storing/” is not a full http(s) address and is left out",
    ]
    deep = parse_file("# T\n\n## S\n\n- A\n  - B\n    - C (1h)\n", source="deep.md")
    assert deep.warnings == ["steps[0].topics[0]: “C” (line 7) is nested deeper than one level: imported as a "
                             "subtopic of “A”"]
    assert [sub.title for sub in deep.data.steps[0].topics[0].subtopics] == ["B", "C"]


def test_it_previews_an_outline_and_writes_nothing_with_check():
    out = StringIO()
    call_command("import_roadmaps", str(GARDEN), "--check", stdout=out)
    text = out.getvalue()
    assert f"{GARDEN}: home-gardening-path: 3 steps, 14 items (new roadmap)" in text
    assert "  step “Soil and pots”: 8 topics, 2 resources, 9.5 h" in text
    assert "warning: steps[2].topics[1]: the link" in text
    assert "nothing written" in text
    assert not Roadmap.objects.exists()


def test_it_imports_an_outline_with_the_command():
    out = StringIO()
    call_command("import_roadmaps", str(GARDEN), stdout=out)
    assert out.getvalue().splitlines()[-1] == "Imported home-gardening-path (3 steps, 14 items)"
    call_command("import_roadmaps", str(GARDEN), stdout=StringIO())  # again: in place
    assert Item.objects.count() == 14


def test_it_reads_a_front_matter_file_as_an_outline_when_told(tmp_path):
    path = tmp_path / "page.md"
    path.write_text("---\ntitle: ignored\n---\n# Real title\n\n## One\n\n- A (1h)\n", encoding="utf-8")
    call_command("import_roadmaps", str(path), "--outline", stdout=StringIO())
    assert Roadmap.objects.get().title == "Real title"


def test_it_names_the_line_of_every_problem_in_an_outline():
    text = "# T\n\nIntro.\n\n## One\n\n- A (2.25h)\n- B\n\n## " + "x" * 201 + "\n\n- C (0h)\n"
    with pytest.raises(RoadmapImportError) as caught:
        import_roadmap_text(text, source="bad.md")
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("line 7 (steps[0].topics[0].hours)", "may have at most one decimal (e.g. 2.5)"),
        ("line 10 (steps[1].title)", "is too long: at most 200 characters (this has 201)"),
        ("line 12 (steps[1].topics[0].hours)", "must be a positive number of hours"),
    ]
    assert not Roadmap.objects.exists()


def test_an_outline_without_a_title_is_titled_after_its_file_and_one_without_steps_is_refused(tmp_path):
    path = tmp_path / "knot-tying_basics.md"
    path.write_text("## A step\n\n- a list\n", encoding="utf-8")
    out = StringIO()
    call_command("import_roadmaps", str(path), stdout=out)
    assert "no “# Title” line: the roadmap is titled “Knot tying basics”, after the file" in out.getvalue()
    assert Roadmap.objects.get(slug="knot-tying-basics").steps.get().title == "A step"
    path = tmp_path / "x.md"
    path.write_text("# Just a title\n\nAnd some words, but nothing to do.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="the outline has no steps"):
        call_command("import_roadmaps", str(path), stdout=StringIO())


def test_it_warns_per_item_about_what_the_sanitiser_drops():
    text = ("slug: s\ntitle: S\nsummary: x\ndescription: '<span class=\"x\">hi</span>'\nsteps:\n  - title: A\n"
            "    topics:\n      - {title: T, body: \"<script>x()</script>\\n\\n![Far](https://example.org/a.png)\"}\n"
            "      - {title: U, body: '**fine** ![Local](/static/a.png)'}\n")
    assert parse_file(text, source="s.yaml").warnings == [
        "description: tags dropped (their text kept): <span>",
        "steps[0].topics[0].body: dropped with their content: <script>; 1 image from another site shown as a "
        "link (the site shows only its own)",
    ]
    out = StringIO()
    path = Path(__file__).parent / "fixtures" / "outline" / "garden.md"
    call_command("import_roadmaps", str(path), "--check", stdout=out)
    assert f"{path}: warning: steps[0].topics[6].body" not in out.getvalue()  # the title's tag is not a body


def test_it_keeps_code_inside_a_list_item_in_the_topics_body():
    text = "# T\n\n## One\n\n- Routing: map URLs to views.\n\n  ```python\n  path('a/', view)\n  ```\n- Next\n"
    roadmap = import_roadmap_text(text, source="code.md")
    assert Item.objects.get(roadmap=roadmap, title="Routing").body == (
        "map URLs to views.\n\n```python\npath('a/', view)\n```"
    )


def test_it_reads_advice_sections_into_guidance_not_steps():
    text = ("# T\n\n## One\n\n- A (1h)\n\n## Common mistakes\n\n- Skipping the basics\n"
            "- Rushing: speed comes later.\n\n## Next steps\n\n- Teach someone\n")
    roadmap = import_roadmap_text(text, source="advice.md")
    assert roadmap.title == "T"  # not the last piece of advice's title
    assert list(roadmap.steps.values_list("title", flat=True)) == ["One"]
    assert sorted(roadmap.guidance.values_list("kind", "title", "body")) == [
        ("mistake", "", "Skipping the basics"), ("mistake", "Rushing", "speed comes later."),
        ("next_step", "", "Teach someone"),
    ]


def test_it_drops_the_box_of_a_task_list_from_the_titles():
    text = ("# T\n\n## One\n\n- [ ] Install Git (1h)\n- [x] **Terminal:** open one\n"
            "- [ ] [Pro Git](https://git-scm.com/book)\n- [link] stays as written\n")
    roadmap = import_roadmap_text(text, source="tasks.md")
    items = Item.objects.filter(roadmap=roadmap).in_reading_order()
    assert [(item.title, item.url, item.estimated_hours) for item in items] == [
        ("Install Git", "", Decimal("1")), ("Terminal", "", None), ("Pro Git", "https://git-scm.com/book", None),
        ("[link] stays as written", "", None),
    ]
    assert Item.objects.get(roadmap=roadmap, title="Terminal").body == "open one"


PHASED = """# Backend path

## Phase breakdowns

### Phase 1: Groundwork (6 Weeks | ~120 hours)

**Goal:** the basics, well.

**Key actions:**
1. **Programming:** variables and loops.
2. Version control

**Linked resources:**
- [Pro Git](https://git-scm.com/book) (20 hours) - *the standard book*

**Suggested deliverable / checkpoint:**
- A repository with ten commits

### Phase 2: Build (10 weeks)

- REST APIs (30h)

**Checkpoints:**
- Explained a request's path to a friend

## HTML

### Basics
- Semantic elements
"""


def test_it_reads_phases_under_a_grouping_heading_as_steps():
    roadmap = import_roadmap_text(PHASED, source="phased.md")
    steps = list(roadmap.steps.order_by("position"))
    assert [(s.title, s.duration_weeks, s.estimated_hours) for s in steps] == [
        ("Phase 1: Groundwork", 6, Decimal("120")), ("Phase 2: Build", 10, None), ("HTML", None, None),
    ]
    assert steps[0].summary == "Goal: the basics, well."  # a short first paragraph, as plain text (not "**Goal:**")
    first = Item.objects.filter(step=steps[0]).in_reading_order()
    assert [(i.kind, i.title, i.heading, i.url, i.estimated_hours, i.body) for i in first] == [
        (ItemKind.TOPIC, "Programming", "Key actions", "", None, "variables and loops."),
        (ItemKind.TOPIC, "Version control", "Key actions", "", None, ""),
        (ItemKind.RESOURCE, "Pro Git", "", "https://git-scm.com/book", Decimal("20"), "the standard book"),
        (ItemKind.PROJECT, "A repository with ten commits", "", "", None, ""),
    ]
    assert [(i.kind, i.title) for i in Item.objects.filter(step=steps[1]).in_reading_order()] == [
        (ItemKind.TOPIC, "REST APIs"), (ItemKind.CHECKPOINT, "Explained a request's path to a friend"),
    ]
    # "### Basics" names no phase: it stays the heading of its topics.
    assert list(Item.objects.filter(step=steps[2]).values_list("title", "heading")) == [
        ("Semantic elements", "Basics"),
    ]


def test_a_section_with_its_own_items_keeps_its_phases_as_headings():
    text = "# T\n\n## Plan\n\n- Warm-up (1h)\n\n### Phase 1\n\n- A\n\n### Phase 2\n\n- B\n"
    roadmap = import_roadmap_text(text, source="kept.md")
    assert list(roadmap.steps.values_list("title", flat=True)) == ["Plan"]
    assert list(Item.objects.filter(roadmap=roadmap).in_reading_order().values_list("title", "heading")) == [
        ("Warm-up", ""), ("A", "Phase 1"), ("B", "Phase 2"),
    ]


def test_brackets_that_hold_anything_but_durations_stay_in_the_title():
    text = "# T\n\n## Tools (Git, GitHub) (2 weeks)\n\n- A\n"
    roadmap = import_roadmap_text(text, source="tools.md")
    assert list(roadmap.steps.values_list("title", "duration_weeks")) == [("Tools (Git, GitHub)", 2)]


def test_it_reads_prerequisites_outcomes_and_mixed_advice_into_the_roadmap():
    text = """# T

## 🧰 Prerequisites:
- A computer with a terminal
  - macOS, Linux or WSL
- Curiosity

## What you’ll learn
- Ship a small API

## One
- A (1h)

## 🎯 Quick Wins & Leverage Moves

**Quick wins:**
- Push something today

**Leverage moves (long term):**
- Teach what you learn
"""
    roadmap = import_roadmap_text(text, source="lists.md")
    assert list(roadmap.steps.values_list("title", flat=True)) == ["One"]
    assert roadmap.prerequisites == "A computer with a terminal\nCuriosity"
    assert roadmap.outcomes == "Ship a small API"
    assert sorted(roadmap.guidance.values_list("kind", "body")) == [
        ("leverage", "Teach what you learn"), ("quick_win", "Push something today"),
    ]


def test_it_reads_a_spanish_outline_by_the_same_rules():
    text = """# Backend en español

## Requisitos previos
- Saber usar una terminal

## Plan por fases

### Fase 1: Fundamentos (4 semanas | ~60 horas)

- Python básico (10 horas)

**Recursos:**
- [Tutorial de Python](https://docs.python.org/es/3/tutorial/) (8 h) - el oficial

**Proyectos:**
- Una calculadora de línea de órdenes

### Fase 2: APIs (Semanas 5-8)

- Django

## Errores comunes
- Saltarse las pruebas
"""
    roadmap = import_roadmap_text(text, source="es.md")
    steps = list(roadmap.steps.order_by("position"))
    assert [(s.title, s.duration_weeks, s.estimated_hours) for s in steps] == [
        ("Fase 1: Fundamentos", 4, Decimal("60")), ("Fase 2: APIs", 4, None),
    ]
    assert [(i.kind, i.title, i.estimated_hours) for i in Item.objects.filter(step=steps[0]).in_reading_order()] == [
        (ItemKind.TOPIC, "Python básico", Decimal("10")), (ItemKind.RESOURCE, "Tutorial de Python", Decimal("8")),
        (ItemKind.PROJECT, "Una calculadora de línea de órdenes", None),
    ]
    assert roadmap.prerequisites == "Saber usar una terminal"
    assert list(roadmap.guidance.values_list("kind", "body")) == [("mistake", "Saltarse las pruebas")]


def test_it_leaves_the_outlines_own_step_numbers_to_the_page():
    text = "# T\n\n## 1. Internet\n\n- DNS\n\n## 2) HTML (2 weeks)\n\n- Forms\n\n## 2026 plans\n\n- Later\n"
    roadmap = import_roadmap_text(text, source="numbered.md")
    assert list(roadmap.steps.order_by("position").values_list("title", "duration_weeks")) == [
        ("Internet", None), ("HTML", 2), ("2026 plans", None),
    ]



def test_a_step_named_for_a_kind_holds_that_kind():
    text = ("# T\n\n## Basics\n\n- Variables (2h)\n\n## Projects\n\n- Portfolio site — 10h\n\n"
            "## Capstone project planning\n\n- Pick an idea\n")
    roadmap = import_roadmap_text(text, source="kinds.md")
    items = Item.objects.filter(roadmap=roadmap).in_reading_order()
    assert list(items.values_list("step__title", "kind", "title")) == [
        ("Basics", ItemKind.TOPIC, "Variables"), ("Projects", ItemKind.PROJECT, "Portfolio site"),
        ("Capstone project planning", ItemKind.TOPIC, "Pick an idea"),  # a name that only mentions a kind
    ]


def test_spacers_between_sections_are_not_a_steps_text():
    text = ("# T\n\n## One\n\n<br>\n\nWhat this step is for.\n\n- A\n\n<div align=center>Keep going</div>\n\n---\n\n"
            "## Two\n\n- B\n")
    roadmap = import_roadmap_text(text, source="spacers.md")
    one, two = roadmap.steps.order_by("position")
    assert (one.summary, one.goal) == ("What this step is for.", "<div align=center>Keep going</div>")
    assert (two.summary, two.goal) == ("", "")


def test_it_reads_numbered_bullets_and_a_length_stated_in_the_steps_text():
    text = """# Levels

## Beginner Level
Learn how the web fits together.

📅 Estimated Time: 2-4 weeks

### Core Skills
- 1. How the web works (3h)
     - DNS
- 2. HTTP methods

### Project
- 1. Publish a one-page site

## Junior Level
**Duration:** 6 weeks · **Effort:** ~40 hours

- Relational databases

## Senior Level
The duration of this level is 9 weeks or more.

- Systems design
"""
    roadmap = import_roadmap_text(text, source="levels.md")
    steps = list(roadmap.steps.order_by("position"))
    assert [(s.title, s.duration_weeks, s.estimated_hours) for s in steps] == [
        ("Beginner Level", 4, None), ("Junior Level", 6, Decimal("40")), ("Senior Level", None, None),
    ]
    items = Item.objects.filter(step=steps[0]).in_reading_order()
    assert [(i.kind, i.title, i.estimated_hours, i.parent.title if i.parent else None) for i in items] == [
        (ItemKind.TOPIC, "How the web works", Decimal("3"), None), (ItemKind.TOPIC, "DNS", None, "How the web works"),
        (ItemKind.TOPIC, "HTTP methods", None, None), (ItemKind.PROJECT, "Publish a one-page site", None, None),
    ]
