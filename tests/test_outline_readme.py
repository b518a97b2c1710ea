"""Outlines the way curricula are published as repository READMEs: tables
of courses, a table of contents, a centred HTML title, and sections about
the repository itself (roadmaps.yaml_io.outline, outline_tables)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from roadmaps.models import Item, ItemKind
from roadmaps.yaml_io.importer import import_parsed, parse_file

pytestmark = pytest.mark.django_db

README = """<div align="center">
<img src="images/logo.png" alt="Logo"/>
<h3>Open Garden &amp; Orchard School</h3>
<p>A free, self-paced path from seed to harvest.</p>
</div>

# Contents

- [Summary](#summary)
- [Curriculum](#curriculum)
- [Team](#team)

# Summary

Grow food with courses that are free to follow.

# Curriculum

## Soil

Courses | Duration | Effort | Prerequisites | Chat
:-- | :--: | :--: | :--: | :--:
[Soil Science Basics](https://garden.example.org/soil) | 6 weeks | 3-5 hours/week | none | [forum](https://forum.example.org)
Composting at Home | 2 weeks | - | Soil Science Basics | -
Reading a Soil Test | 4 h | | |

## Checks

| Week | Milestone | Completed |
|---|---|---|
| 1 | Sow a tray of seedlings | |
| 3-4 | Transplant them outside | |

## Overview

| Phase | Duration | Focus |
|---|---|---|
| Soil | 6 weeks | Ground work |

# Team

- Someone — founder

## How to help

- Open an issue
"""


def test_a_readme_gives_its_html_title_tables_and_no_repository_sections():
    parsed = parse_file(README, source="README.md")
    data = parsed.data
    assert data.title == "Open Garden & Orchard School"
    assert data.summary == "A free, self-paced path from seed to harvest."
    assert [step.title for step in data.steps] == ["Soil", "Checks", "Overview"]  # no "Team", no "How to help"
    assert "[Summary](#summary)" not in data.description  # the table of contents is not text
    soil, checks, overview = data.steps
    assert [(t.title, t.url, t.hours) for t in soil.topics] == [
        ("Soil Science Basics", "https://garden.example.org/soil", Decimal("30.0")),  # 5 h a week for 6 weeks
        ("Composting at Home", "", None),  # no effort given: no hours
        ("Reading a Soil Test", "", Decimal("4.0")),
    ]
    assert soil.topics[0].body == (
        "Duration: 6 weeks · Effort: 3-5 hours/week · Prerequisites: none · Chat: [forum](https://forum.example.org)"
    )
    assert soil.topics[1].body == "Duration: 2 weeks · Prerequisites: Soil Science Basics"  # "-" cells are empty
    # A "Milestone" column makes checkpoints; the "Week" column pins them (a range: its last week).
    assert [(c.title, c.week, c.body) for c in checks.checkpoints] == [
        ("Sow a tray of seedlings", 1, ""), ("Transplant them outside", 4, ""),
    ]
    # A table of the phases is an overview, not things to do: the step's text.
    assert overview.topics == [] and "| Soil | 6 weeks | Ground work |" in overview.summary + overview.goal
    [warning] = [w for w in parsed.warnings if "about the repository" in w]
    assert "“Team” (line 40)" in warning


def test_the_table_rows_import_as_trackable_items():
    roadmap = import_parsed(parse_file(README, source="README.md")).roadmap
    rows = list(Item.objects.filter(roadmap=roadmap).in_reading_order().values_list("kind", "title", "week"))
    assert rows == [
        (ItemKind.TOPIC, "Soil Science Basics", None), (ItemKind.TOPIC, "Composting at Home", None),
        (ItemKind.TOPIC, "Reading a Soil Test", None),
        (ItemKind.CHECKPOINT, "Sow a tray of seedlings", 1), (ItemKind.CHECKPOINT, "Transplant them outside", 4),
    ]


def test_a_first_heading_that_is_a_table_of_contents_is_not_the_title():
    text = "# Table of Contents\n\n- [Basics](#basics)\n\n# Bread Baking\n\n## Basics\n\n- Flour and water\n"
    data = parse_file(text, source="bread.md").data
    assert data.title == "Bread Baking" and [step.title for step in data.steps] == ["Basics"]


def test_a_list_with_links_elsewhere_is_not_taken_for_a_table_of_contents():
    text = "# Bread\n\n## Basics\n\n- [Flour](https://flour.example.org)\n- [Water](#water)\n"
    data = parse_file(text, source="bread.md").data
    assert [topic.title for topic in data.steps[0].topics] == ["Flour", "Water"]


def test_a_table_with_a_header_and_no_rows_gives_no_items():
    text = "# Bread\n\n## Basics\n\n| Topic | Hours |\n|---|---|\n\n- Flour\n"
    data = parse_file(text, source="bread.md").data
    assert [topic.title for topic in data.steps[0].topics] == ["Flour"]


def test_a_column_that_repeats_groups_the_rows_under_headings():
    text = """# Web for Starters

## Lessons

|    | Project          | Concept taught      | Lesson                          |
|:--:|------------------|---------------------|---------------------------------|
| 01 | Getting started  | Tools of the trade  | [Tools](./1-start/1/README.md), 20 min |
| 02 | Getting started  | Working with Git    | [Git](./1-start/2/README.md), 30 min |
| 03 | Script basics    | Data types          | [Types](./2-basics/1/README.md), 25 min |
"""
    parsed = parse_file(text, source="README.md")
    assert [(t.heading, t.title, t.body) for t in parsed.data.steps[0].topics] == [
        ("Getting started", "Tools of the trade", "Lesson: [Tools](./1-start/1/README.md), 20 min"),
        ("Getting started", "Working with Git", "Lesson: [Git](./1-start/2/README.md), 30 min"),
        ("Script basics", "Data types", "Lesson: [Types](./2-basics/1/README.md), 25 min"),
    ]
    # The lessons' own pages are not here: their links show as words, and the editor is told.
    assert sum("1 link or image to a file beside the original" in warning for warning in parsed.warnings) == 3


def test_badges_and_a_banner_are_not_the_summary_and_marks_are_not_in_it():
    text = """[![License](https://img.shields.io/badge/license-MIT-blue.svg)](https://example.org/license)
[![Stars](https://img.shields.io/badge/stars-9k-green.svg)](https://example.org/stars)

# Puzzles Path

![Banner](./images/banner.jpg)

> Weekly puzzles that *train* your logic.

## Puzzles

![A whiteboard](https://img.example.org/board.jpg)

One puzzle a week, in any language.

| # | Puzzle | Solution | Video |
|---|---|---|---|
| 00 | [Hello](./puzzles/00/README.md) | [📝](./puzzles/00/solution.py) | [▶️](https://video.example.org/00) |
"""
    data = parse_file(text, source="README.md").data
    assert data.summary == "Weekly puzzles that train your logic."  # plain text: no "*", no ">"
    assert "shields.io" not in data.description and "banner" not in data.description
    assert data.steps[0].summary == "One puzzle a week, in any language."  # not the picture above it
    # A cell that only links to a file beside the README says nothing here; the video's link stays.
    [topic] = data.steps[0].topics
    assert (topic.title, topic.body) == ("Hello", "Video: [▶️](https://video.example.org/00)")


def test_a_steps_text_keeps_the_headings_it_sits_under():
    text = """# Garden

## Core

All of it is required.

### Beds
**Topics covered**: `soil` `drainage`

- Raised beds

### Tools
**Topics covered**: `spades`

### Resources

- [A guide](https://guide.example.org)

Read them in order.
"""
    [step] = parse_file(text, source="garden.md").data.steps
    assert step.summary == "All of it is required."
    # "Resources" heads its list: the paragraph after that list is not under it in the text.
    assert step.goal == (
        "### Beds\n\n**Topics covered**: `soil` `drainage`\n\n### Tools\n\n**Topics covered**: `spades`\n\n"
        "Read them in order."
    )
    assert [(t.title, t.heading) for t in step.topics] == [("Raised beds", "Beds")]
    assert [r.title for r in step.resources] == ["A guide"]


def test_sections_with_nothing_to_do_before_the_first_step_introduce_the_roadmap():
    text = """# Kiln Craft

## At a glance
**Duration & weekly effort:** 12 Weeks (~3 months) | Aim for ~6-8 hours/week.

## Readiness check
- Steady hands
- A place with good ventilation

## Phase 1: Clay (4 weeks)
- Wedging clay (2h)

## Wrapping up
Keep firing.
"""
    data = parse_file(text, source="kiln.md").data
    assert [step.title for step in data.steps] == ["Phase 1: Clay", "Wrapping up"]  # the last stays: it follows a step
    assert data.summary == "Duration & weekly effort: 12 Weeks (~3 months) | Aim for ~6-8 hours/week."
    assert data.description.startswith("## At a glance\n\n**Duration & weekly effort:**")
    assert (data.duration_weeks, data.weekly_hours) == (12, 8)  # a range's upper end
    assert data.prerequisites == ["Steady hands", "A place with good ventilation"]


def test_an_introduction_states_no_figures_it_does_not_label():
    text = "# Kiln\n\nI fired 3 weeks in a row.\n\n## Clay\n- Wedging\n"
    data = parse_file(text, source="kiln.md").data
    assert (data.duration_weeks, data.weekly_hours) == (None, None)


def test_a_sample_weekly_flow_becomes_the_roadmaps_schedule():
    text = """# Kiln Craft

## Phase 1: Clay (4 weeks)
- Wedging clay (2h)

## 🧭 Sample weekly flow

A first fortnight that mixes reading and making.

**Week 1: Getting muddy**
*   **Monday:** Read about clay bodies.
*   **Wed:** Wedge and throw a cylinder (2h)
*   **Weekend:** Visit a studio.

### Week 2
- **Sábado:** Fire a test tile.
"""
    data = parse_file(text, source="kiln.md").data
    assert [step.title for step in data.steps] == ["Phase 1: Clay"]  # the flow is not a step
    assert [(e.week, e.day, e.hours, e.activity) for e in data.schedule] == [
        (1, "mon", None, "Read about clay bodies."),
        (1, "wed", Decimal("2"), "Wedge and throw a cylinder"),
        (1, "weekend", None, "Visit a studio."),
        (2, "sat", None, "Fire a test tile."),
    ]


def test_a_schedule_heading_over_items_that_name_no_day_stays_a_step():
    text = "# Kiln\n\n## Study plan\n- Read the glaze book\n- Mix a test batch\n\n## Clay\n- Wedging\n"
    data = parse_file(text, source="kiln.md").data
    assert [step.title for step in data.steps] == ["Study plan", "Clay"] and data.schedule == []


def test_checkpoints_grouped_by_phase_join_their_phase_and_metrics_are_counted():
    text = """# Kiln Craft

## Phase 1: Clay (4 weeks | ~20 hours)
- Wedging clay (2h)

## Phase 2: Glaze
- Mixing a glaze

## Progress signals

Tick these off as you go.

- **Phase 1: Clay**
  - [ ] Threw five cylinders
  - [ ] Trimmed a foot ring
- **Phase 2 — Glaze**
  - [ ] Fired a test tile

**Metrics to monitor:**
- **Pots thrown:** every one counts, even the ugly ones.
- Kiln loads
"""
    data = parse_file(text, source="kiln.md").data
    # The checklist was only a home for the phases' checkpoints: no step of its own.
    assert [step.title for step in data.steps] == ["Phase 1: Clay", "Phase 2: Glaze"]
    clay, glaze = data.steps
    assert [c.title for c in clay.checkpoints] == ["Threw five cylinders", "Trimmed a foot ring"]
    assert [c.title for c in glaze.checkpoints] == ["Fired a test tile"]
    assert [(m.name, m.description) for m in data.metrics] == [
        ("Pots thrown", "every one counts, even the ugly ones."), ("Kiln loads", ""),
    ]


def test_a_checklist_group_that_names_no_step_stays_where_it_is():
    text = "# Kiln\n\n## Clay\n- Wedging\n\n## Checkpoints\n- **Before firing**\n  - [ ] Dry for a week\n"
    data = parse_file(text, source="kiln.md").data
    assert [step.title for step in data.steps] == ["Clay", "Checkpoints"]
    assert [c.title for c in data.steps[1].checkpoints] == ["Before firing", "Dry for a week"]


def test_collapsible_parts_name_the_items_inside_them():
    text = """# Rust in Ten Weeks

## Phase 1: Basics (Weeks 1-2)

<details>
<summary>Week 1: Ownership</summary>

- Borrowing rules (2h)

</details>

<details>
<summary><b>Week 2: Structs</b></summary>

- Methods and impl blocks

</details>

<details><summary>Why so slow?</summary>Because it sticks.</details>
"""
    [step] = parse_file(text, source="rust.md").data.steps
    assert [(t.title, t.heading) for t in step.topics] == [
        ("Borrowing rules", "Week 1: Ownership"), ("Methods and impl blocks", "Week 2: Structs"),
    ]
    # No stray "<details><summary>" left open in the step's text; a part with text of its own stays whole.
    assert step.goal == "<details><summary>Why so slow?</summary>Because it sticks.</details>"


@pytest.mark.parametrize(("text", "title", "steps"), [
    # No "##" at all: the "#" headings after the title are the steps.
    ("# Knots\n\n# Week 1\n- Reef knot\n### Practice\n- Tie it blind\n# Week 2\n- Bowline\n",
     "Knots", ["Week 1", "Week 2"]),
    # Everything a level down: "## Title", "### Step".
    ("## Knots\n\nTie things.\n\n### Basics\n- Reef knot\n\n### Sailing\n- Bowline\n", "Knots", ["Basics", "Sailing"]),
    # The usual shape is read as it always was, a "#" after the steps included.
    ("# Knots\n\n## Basics\n- Reef knot\n\n# Appendix\n- Rope care\n", "Knots", ["Basics"]),
])
def test_outlines_whose_headings_sit_a_level_off_still_give_their_steps(text, title, steps):
    data = parse_file(text, source="knots.md").data
    assert (data.title, [step.title for step in data.steps]) == (title, steps)


def test_a_title_over_a_checklist_is_a_roadmap_of_one_step():
    text = "# Learn Rust\n\nA month of evenings.\n\n- [ ] Ownership (3h)\n- [ ] Traits\n\nThen build something.\n"
    data = parse_file(text, source="rust.md").data
    assert (data.title, data.summary) == ("Learn Rust", "A month of evenings.")
    [step] = data.steps
    assert step.title == "Learn Rust" and step.summary == "Then build something."
    assert [(t.title, t.hours) for t in step.topics] == [("Ownership", Decimal("3")), ("Traits", None)]


def test_the_one_step_keeps_the_headings_of_its_lists():
    text = "# Learn Rust\n\n### Basics\n- Ownership\n\n### Going further\n- Macros\n"
    [step] = parse_file(text, source="rust.md").data.steps
    assert [(t.title, t.heading) for t in step.topics] == [("Ownership", "Basics"), ("Macros", "Going further")]
