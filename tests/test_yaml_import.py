"""Importing roadmap files: validation errors, in-place updates, the seed shape, the command."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from roadmaps.models import (
    Guidance,
    Item,
    ItemKind,
    MetricDefinition,
    PacePlan,
    RetrospectivePrompt,
    Roadmap,
    Status,
    Step,
    Tag,
)
from roadmaps.yaml_io import RoadmapImportError, import_roadmap_paths, import_roadmap_text
from roadmaps.yaml_io.frontmatter import parse_estimated_time

FIXTURES = Path(__file__).parent / "fixtures" / "yaml"
SEED = Path(settings.BASE_DIR).parent / "shared" / "seeds" / "000_bfe5b5cd89d2e0ba.txt"
SMALL = (FIXTURES / "small.yaml").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    models = [Roadmap, Step, Item, Tag, PacePlan, Guidance, MetricDefinition, RetrospectivePrompt]
    return {model.__name__: model.objects.count() for model in models}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def existing(db):
    """small.yaml imported once, so a failed import could visibly damage it."""
    return import_roadmap_text(SMALL, source="small.yaml")


def import_error(tmp_path: Path, text: str, name: str = "bad.yaml") -> RoadmapImportError:
    """Import a bad file; assert it fails and that the database is untouched."""
    before = counts()
    path = write(tmp_path, name, text)
    with pytest.raises(RoadmapImportError) as caught:
        import_roadmap_paths([path])
    assert counts() == before
    error = caught.value
    assert error.source == str(path)
    assert str(error).startswith(f"{path}: ")
    return error


# --- Bad input: one test per class ------------------------------------------------------------------------------


def test_it_rejects_an_unknown_key(tmp_path, existing):
    text = SMALL.replace("{key: t-b, title: Topic B, hours: 3}", "{key: t-b, title: Topic B, hours: 3, colour: red}")
    error = import_error(tmp_path, text)
    assert error.path == "steps[0].topics[1].colour"
    assert error.message == "unknown key"
    assert str(error) == f"{tmp_path / 'bad.yaml'}: steps[0].topics[1].colour: unknown key"


def test_it_rejects_an_unknown_top_level_key(tmp_path, existing):
    error = import_error(tmp_path, SMALL + "colour: red\n")
    assert error.path == "colour"
    assert error.message == "unknown key"


def test_it_rejects_a_wrong_type(tmp_path, existing):
    error = import_error(tmp_path, SMALL.replace("title: Topic C, hours: 4", "title: Topic C, hours: four"))
    assert error.path == "steps[1].topics[0].hours"
    assert "number" in error.message or "decimal" in error.message.lower()
    assert "'four'" in error.message


def test_it_rejects_a_string_where_a_list_belongs(tmp_path, existing):
    error = import_error(tmp_path, SMALL.replace("skills: [SQL]", "skills: SQL"))
    assert error.path == "steps[1].projects[0].skills"
    assert "list" in error.message


def test_it_rejects_a_boolean_as_hours(tmp_path, existing):
    error = import_error(tmp_path, SMALL.replace("title: Topic A, hours: 2", "title: Topic A, hours: yes"))
    assert error.path == "steps[0].topics[0].hours"


def test_it_rejects_negative_hours(tmp_path, existing):
    error = import_error(tmp_path, SMALL.replace("title: Topic A, hours: 2", "title: Topic A, hours: -2"))
    assert error.path == "steps[0].topics[0].hours"
    assert error.message == "must be a positive number of hours"


def test_it_rejects_zero_hours(tmp_path, existing):
    error = import_error(tmp_path, SMALL.replace("title: Project A, skills: [SQL], hours: 5", "title: P, hours: 0"))
    assert error.path == "steps[1].projects[0].hours"
    assert error.message == "must be a positive number of hours"


def test_it_rejects_hours_with_two_decimals(tmp_path, existing):
    error = import_error(tmp_path, SMALL.replace("title: Topic A, hours: 2", "title: Topic A, hours: 2.25"))
    assert error.path == "steps[0].topics[0].hours"
    assert "one decimal" in error.message


def test_it_rejects_a_mapping_key_written_twice(tmp_path, existing):
    text = SMALL.replace("    title: Step two\n", "    title: Step two\n    title: Step 2\n")
    error = import_error(tmp_path, text)
    assert error.path == "steps[1]"
    assert "duplicate key 'title'" in error.message
    assert "lines 14 and 15" in error.message


def test_it_rejects_two_items_with_the_same_key(tmp_path, existing):
    # Items are unique across the roadmap: a topic in step two may not reuse a key from step one.
    error = import_error(tmp_path, SMALL.replace("{key: t-c,", "{key: t-a,"))
    assert error.path == "steps[1].topics[0].key"
    assert error.message == "duplicate key 't-a', already used by steps[0].topics[0]"


def test_it_rejects_two_items_whose_titles_make_the_same_key(tmp_path, existing):
    text = SMALL.replace("{key: t-b, title: Topic B,", "{title: Docs & Notes,").replace(
        "{key: r-a, title: Resource A,", "{title: Docs notes,"
    )
    error = import_error(tmp_path, text)
    assert error.path == "steps[0].resources[0].title"
    assert "duplicate key 'docs-notes', already used by steps[0].topics[1]" in error.message
    assert "made from the title" in error.message


def test_it_rejects_two_steps_with_the_same_key(tmp_path, existing):
    error = import_error(tmp_path, SMALL.replace("key: two", "key: one"))
    assert error.path == "steps[1].key"
    assert "duplicate key 'one'" in error.message


def test_it_rejects_an_empty_file(tmp_path, existing):
    error = import_error(tmp_path, "")
    assert (error.path, error.message) == ("", "the file is empty")


def test_it_rejects_a_file_of_only_comments(tmp_path, existing):
    error = import_error(tmp_path, "# nothing here yet\n\n")
    assert (error.path, error.message) == ("", "the file is empty")


def test_it_rejects_text_that_is_not_yaml(tmp_path, existing):
    error = import_error(tmp_path, "slug: x\ntitle: [unclosed\nsummary: y\n")
    assert error.path == ""
    assert error.message.startswith("the file is not valid YAML")
    assert "line" in error.message


def test_it_rejects_yaml_that_is_not_a_mapping(tmp_path, existing):
    error = import_error(tmp_path, "- slug: x\n- title: y\n")
    assert error.path == ""
    assert "mapping" in error.message and "a list" in error.message


def test_it_rejects_several_yaml_documents(tmp_path, existing):
    error = import_error(tmp_path, SMALL + "---\nslug: other\n")
    assert "more than one YAML document" in error.message


def test_it_rejects_aliases(tmp_path, existing):
    error = import_error(tmp_path, "slug: &s x\ntitle: *s\nsummary: y\n")
    assert "aliases" in error.message


def test_it_rejects_a_file_over_the_size_limit(tmp_path, existing, settings):
    settings.ROADMAP_IMPORT_MAX_BYTES = 1_000
    text = SMALL + "description: |\n" + "  padding\n" * 150
    error = import_error(tmp_path, text)
    assert error.path == ""
    assert "limit is 1,000 bytes" in error.message


def test_it_rejects_text_over_the_size_limit(existing, settings):
    settings.ROADMAP_IMPORT_MAX_BYTES = 1_000
    with pytest.raises(RoadmapImportError, match="limit is 1,000 bytes"):
        import_roadmap_text(SMALL + "description: " + "x" * 1_000 + "\n", source="upload.yaml")


def test_it_rejects_a_file_that_is_not_utf8(tmp_path, existing):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("slug: caf\xe9\n".encode("latin-1"))
    with pytest.raises(RoadmapImportError, match="not UTF-8"):
        import_roadmap_paths([path])


def test_it_rejects_a_bad_url(tmp_path, existing):
    error = import_error(tmp_path, SMALL.replace("'https://example.org/a'", "'example.org/a'"))
    assert error.path == "steps[0].resources[0].url"
    assert "http" in error.message


def test_it_rejects_a_bad_slug(tmp_path, existing):
    error = import_error(tmp_path, SMALL.replace("slug: small-roadmap", "slug: Small Roadmap"))
    assert error.path == "slug"
    assert "slug" in error.message


def test_it_rejects_a_bad_item_key(tmp_path, existing):
    error = import_error(tmp_path, SMALL.replace("{key: t-b,", "{key: T/B,"))
    assert error.path == "steps[0].topics[1].key"


def test_it_rejects_a_missing_required_key(tmp_path, existing):
    error = import_error(tmp_path, SMALL.replace("summary: Two steps, a handful of items.\n", ""))
    assert (error.path, error.message) == ("summary", "required key is missing")


def test_it_rejects_a_bad_skill_level(tmp_path, existing):
    error = import_error(tmp_path, SMALL + "skill_level: expert\n")
    assert error.path == "skill_level"
    assert "'beginner'" in error.message and "'expert'" in error.message


def test_it_rejects_a_bad_resource_kind(tmp_path, existing):
    error = import_error(tmp_path, SMALL.replace("kind: article", "kind: podcast"))
    assert error.path == "steps[0].resources[0].kind"
    assert "'podcast'" in error.message


def test_it_rejects_a_bad_schedule_day(tmp_path, existing):
    error = import_error(tmp_path, SMALL + "schedule:\n  - {day: monday, hours: 2, activity: Read}\n")
    assert error.path == "schedule[0].day"
    assert "'mon'" in error.message


def test_it_rejects_two_recommended_pace_plans(tmp_path, existing):
    text = SMALL + (
        "pace_plans:\n"
        "  - {name: Fast, hours_per_week: 20, recommended: true}\n"
        "  - {name: Slow, hours_per_week: 5, recommended: true}\n"
    )
    error = import_error(tmp_path, text)
    assert error.path == "pace_plans[1].recommended"


def test_it_rejects_a_multiline_prerequisite(tmp_path, existing):
    error = import_error(tmp_path, SMALL + "prerequisites:\n  - |\n    two\n    lines\n")
    assert error.path == "prerequisites[0]"
    assert error.message == "must be a single line"


def test_it_imports_nothing_when_the_second_of_two_files_is_bad(tmp_path, existing):
    before = counts()
    good = write(tmp_path, "a-good.yaml", (FIXTURES / "second.yaml").read_text())
    bad = write(tmp_path, "b-bad.yaml", SMALL.replace("title: Topic A, hours: 2", "title: Topic A, hours: -1"))
    with pytest.raises(RoadmapImportError) as caught:
        import_roadmap_paths([good, bad])
    assert caught.value.source == str(bad)
    assert counts() == before
    assert not Roadmap.objects.filter(slug="second-roadmap").exists()


def test_it_imports_nothing_from_a_folder_with_one_bad_file(tmp_path, existing):
    before = counts()
    write(tmp_path, "a.yaml", (FIXTURES / "second.yaml").read_text())
    write(tmp_path, "b.yml", "slug: third\ntitle: Third\nsummary: x\nsteps: {}\n")
    with pytest.raises(RoadmapImportError) as caught:
        import_roadmap_paths([tmp_path])
    assert caught.value.source == str(tmp_path / "b.yml")
    assert caught.value.path == "steps"
    assert counts() == before


def test_it_rolls_back_when_the_database_refuses(tmp_path, existing, learner):
    # A metric learners have counted cannot be deleted (PROTECT): the whole import is undone.
    from progress.models import Enrolment, MetricEntry

    roadmap = import_roadmap_text(SMALL + "metrics:\n  - {key: katas, name: Katas}\n", source="small.yaml")
    enrolment = Enrolment.objects.create(user=learner, roadmap=roadmap, hours_per_week=5, start_date=date(2025, 1, 6))
    MetricEntry.objects.create(
        enrolment=enrolment, metric=roadmap.metrics.get(), date=date(2025, 1, 7), amount=2
    )
    before = counts()
    path = write(tmp_path, "small.yaml", SMALL.replace("title: Small roadmap", "title: Renamed"))
    with pytest.raises(RoadmapImportError) as caught:
        import_roadmap_paths([path])
    assert caught.value.path == "metrics"
    assert "katas" in caught.value.message
    assert counts() == before
    assert Roadmap.objects.get(slug="small-roadmap").title == "Small roadmap"


def test_it_rejects_two_files_with_the_same_slug(tmp_path, db):
    first = write(tmp_path, "a.yaml", SMALL)
    second = write(tmp_path, "b.yaml", SMALL)
    with pytest.raises(RoadmapImportError) as caught:
        import_roadmap_paths([first, second])
    assert (caught.value.source, caught.value.path) == (str(second), "slug")
    assert not Roadmap.objects.exists()


def test_it_rejects_a_path_that_does_not_exist(tmp_path, db):
    with pytest.raises(RoadmapImportError, match="no such file or folder"):
        import_roadmap_paths([tmp_path / "missing.yaml"])


# --- What an import writes --------------------------------------------------------------------------------------


def test_it_creates_a_roadmap_with_all_its_parts(learner):
    roadmap = import_roadmap_text((FIXTURES / "rich.yaml").read_text(), source="rich.yaml", created_by=learner)
    assert roadmap.created_by == learner
    assert roadmap.status == Status.PUBLISHED and roadmap.published_at is not None
    assert roadmap.author_name == "Test editors"
    assert sorted(roadmap.tags.values_list("slug", flat=True)) == ["docker", "python", "sql"]
    assert roadmap.prerequisite_list == ["Can open a terminal", "Has written a loop"]
    assert list(roadmap.steps.values_list("key", flat=True)) == ["basics", "data"]
    basics = roadmap.steps.get(key="basics")
    assert basics.weekly_goal_list == [(1, "Install the tools"), (2, "Write a first script: hello")]
    assert basics.estimated_hours == Decimal("40.0")
    syntax = Item.objects.get(roadmap=roadmap, key="python-syntax")
    assert (syntax.kind, syntax.step, syntax.position, syntax.estimated_hours) == (
        ItemKind.TOPIC, basics, 1, Decimal("10.5")
    )
    capstone = Item.objects.get(roadmap=roadmap, key="final-web-service")
    assert capstone.step is None and capstone.is_capstone and capstone.skill_list == ["Python", "SQL", "Docker"]
    assert capstone.body == "Put it all together."
    assert Item.objects.get(roadmap=roadmap, key="the-official-tutorial").resource_kind == "docs"
    plans = list(roadmap.pace_plans.order_by("position"))
    assert [(p.key, p.is_recommended, p.hours_per_week) for p in plans] == [
        ("steady", True, Decimal("10.0")), ("sprint", False, Decimal("25.5"))
    ]
    assert list(roadmap.retrospective_prompts.values_list("text", flat=True)) == [
        "What surprised you?", "What will you stop doing?"
    ]
    tips = list(roadmap.guidance.filter(kind="tip").order_by("position"))
    assert [(t.title, t.body) for t in tips] == [("", "Commit every day."), ("Deploy early", tips[1].body)]
    schedule = list(roadmap.guidance.filter(kind="schedule").order_by("position"))
    assert [(s.day, s.hours, s.week) for s in schedule] == [
        ("mon", Decimal("2.0"), None), ("weekend", Decimal("4.5"), None), ("tue", Decimal("1.0"), 1)
    ]
    assert roadmap.metrics.get(key="posts-written").target is None


def test_it_reuses_tags_by_name_whatever_the_case(db):
    tag = Tag.objects.create(name="python", slug="py")
    roadmap = import_roadmap_text(SMALL + "tags: [Python, Go]\n", source="x.yaml")
    assert set(roadmap.tags.all()) == {tag, Tag.objects.get(slug="go")}
    assert Tag.objects.count() == 2


def test_it_reimports_the_same_file_in_place(existing):
    before = counts()
    pks = dict(Item.objects.values_list("key", "pk"))
    step_pks = dict(Step.objects.values_list("key", "pk"))
    again = import_roadmap_text(SMALL, source="small.yaml")
    assert again.pk == existing.pk
    assert counts() == before
    assert dict(Item.objects.values_list("key", "pk")) == pks
    assert dict(Step.objects.values_list("key", "pk")) == step_pks


def test_it_sets_updated_at_and_published_at(existing):
    assert existing.published_at is None
    first_update = existing.updated_at
    roadmap = import_roadmap_text(SMALL.replace("status: draft", "status: published"), source="small.yaml")
    assert roadmap.updated_at > first_update
    assert roadmap.published_at is not None
    published_at = roadmap.published_at
    roadmap = import_roadmap_text(SMALL.replace("status: draft", "status: published"), source="small.yaml")
    assert roadmap.published_at == published_at  # still the first publication


def test_it_keeps_an_items_row_when_its_title_changes(existing):
    pk = Item.objects.get(key="t-a").pk
    import_roadmap_text(SMALL.replace("title: Topic A,", "title: Topic A (renamed),"), source="small.yaml")
    item = Item.objects.get(pk=pk)
    assert item.title == "Topic A (renamed)"
    assert item.retired_at is None


def test_it_retires_a_removed_item_and_brings_it_back(existing):
    pk = Item.objects.get(key="t-b").pk
    import_roadmap_text(SMALL.replace("      - {key: t-b, title: Topic B, hours: 3}\n", ""), source="small.yaml")
    item = Item.objects.get(pk=pk)
    assert item.retired_at is not None
    assert not Item.objects.active().filter(pk=pk).exists()

    import_roadmap_text(SMALL, source="small.yaml")
    item.refresh_from_db()
    assert item.retired_at is None
    assert Item.objects.filter(key="t-b").count() == 1


def test_it_swaps_positions_of_reordered_steps_and_items(existing):
    text = SMALL.replace(
        "      - {key: t-a, title: Topic A, hours: 2}\n      - {key: t-b, title: Topic B, hours: 3}\n",
        "      - {key: t-b, title: Topic B, hours: 3}\n      - {key: t-a, title: Topic A, hours: 2}\n",
    )
    one, two = text.index("  - key: one"), text.index("  - key: two")
    end = text.index("checkpoints:")
    text = text[:one] + text[two:end] + text[one:two] + text[end:]
    import_roadmap_text(text, source="small.yaml")
    assert list(Step.objects.order_by("position").values_list("key", "position")) == [("two", 0), ("one", 1)]
    assert list(Item.objects.filter(step__key="one", kind="topic").order_by("position").values_list("key", flat=True)) \
        == ["t-b", "t-a"]


def test_it_moves_an_item_to_another_step_and_kind_keeping_its_row(existing):
    pk = Item.objects.get(key="r-a").pk
    text = SMALL.replace("      - {key: r-a, title: Resource A, kind: article, url: 'https://example.org/a'}\n", "")
    text = text.replace("      - {key: t-c, title: Topic C, hours: 4}\n",
                        "      - {key: r-a, title: Resource A, url: 'https://example.org/a'}\n"
                        "      - {key: t-c, title: Topic C, hours: 4}\n")
    import_roadmap_text(text, source="small.yaml")
    item = Item.objects.get(pk=pk)
    assert (item.step.key, item.kind, item.position, item.resource_kind) == ("two", "topic", 0, "")
    assert Item.objects.get(key="t-c").position == 1


def test_it_retires_the_items_of_a_removed_step_and_deletes_the_step(existing):
    one = SMALL.index("  - key: one")
    two = SMALL.index("  - key: two")
    pks = set(Item.objects.filter(step__key="one").values_list("pk", flat=True))
    import_roadmap_text(SMALL[:one] + SMALL[two:], source="small.yaml")
    assert list(Step.objects.values_list("key", flat=True)) == ["two"]
    items = Item.objects.filter(pk__in=pks)
    assert items.count() == 3
    assert all(item.step is None and item.retired_at is not None for item in items)
    assert Step.objects.get(key="two").position == 0


def test_it_moves_the_recommended_pace_plan(db):
    plans = "pace_plans:\n  - {key: a, name: A, hours_per_week: 5, recommended: %s}\n" \
            "  - {key: b, name: B, hours_per_week: 9, recommended: %s}\n"
    import_roadmap_text(SMALL + plans % ("true", "false"), source="small.yaml")
    import_roadmap_text(SMALL + plans % ("false", "true"), source="small.yaml")
    assert PacePlan.objects.get(is_recommended=True).key == "b"
    import_roadmap_text(SMALL + "pace_plans:\n  - {key: b, name: B, hours_per_week: 9}\n", source="small.yaml")
    assert list(PacePlan.objects.values_list("key", "position")) == [("b", 0)]


def test_it_replaces_guidance_and_prompts_wholesale(existing):
    extra = "guidance:\n  tips: [One, Two]\nretrospective_prompts: ['Why?']\n"
    import_roadmap_text(SMALL + extra, source="small.yaml")
    import_roadmap_text(SMALL + "guidance:\n  tips: [Three]\n", source="small.yaml")
    assert list(Guidance.objects.values_list("body", flat=True)) == ["Three"]
    assert not RetrospectivePrompt.objects.filter(roadmap=existing).exists()


# --- The seed's Markdown-with-front-matter shape ----------------------------------------------------------------


def test_it_imports_the_seed_markdown_with_front_matter(db):
    [roadmap] = import_roadmap_paths([SEED])
    assert roadmap.slug == "backend-development-roadmap"
    assert roadmap.title == "Backend Development Roadmap"
    assert roadmap.summary.startswith("A focused 3-step journey")
    assert (roadmap.duration_weeks, roadmap.weekly_hours, roadmap.duration_note) == (9, 20, "9 weeks (20 hrs/week)")
    assert roadmap.skill_level == "beginner" and roadmap.featured
    assert roadmap.author_name == "Senior Porter"
    assert "Node.js" in roadmap.tags.values_list("name", flat=True)
    assert "roadmap" not in roadmap.tags.values_list("name", flat=True)  # Jekyll's own tags are ignored
    assert len(roadmap.prerequisite_list) == 3 and len(roadmap.outcome_list) == 4
    steps = list(roadmap.steps.order_by("position"))
    assert [(s.key, s.duration_weeks, s.estimated_hours) for s in steps] == [
        ("server-fundamentals", 3, Decimal("60.0")),
        ("database-integration", 3, Decimal("60.0")),
        ("api-development", 3, Decimal("60.0")),
    ]
    assert steps[0].summary == "Master HTTP, servers, and Express.js basics"
    topics = list(Item.objects.filter(roadmap=roadmap).order_by("step__position", "position"))
    assert len(topics) == 9 and {t.kind for t in topics} == {ItemKind.TOPIC}
    assert [(t.key, t.estimated_hours, t.url) for t in topics[:2]] == [
        ("http-web-basics", Decimal("15.0"), ""), ("expressjs-framework", Decimal("25.0"), "")
    ]
    assert sum(t.estimated_hours for t in topics) == 180


def test_it_reimports_the_seed_in_place(db):
    import_roadmap_paths([SEED])
    before = counts()
    pks = sorted(Item.objects.values_list("pk", flat=True))
    import_roadmap_paths([SEED])
    assert counts() == before
    assert sorted(Item.objects.values_list("pk", flat=True)) == pks


FRONT = """---
layout: default
title: "Tiny path"
description: "Short."
permalink: /x/
steps:
  - title: "First"
    estimated_hours: 4
    sections:
      - title: "Alpha"
        link: "https://example.org/alpha"
        hours: 2
      - title: "Beta"
        link: "/local/beta/"
        hours: 2
---
# Body text that is not imported {{ page.title }}
"""


def test_it_keeps_absolute_links_and_drops_relative_ones_from_front_matter(db):
    roadmap = import_roadmap_text(FRONT, source="tiny.md")
    assert dict(roadmap.items.values_list("key", "url")) == {"alpha": "https://example.org/alpha", "beta": ""}
    assert roadmap.description == "" and roadmap.summary == "Short."


def test_it_names_front_matter_paths_in_front_matter_terms(tmp_path, db):
    error = import_error(tmp_path, FRONT.replace("        hours: 2\n---", "        hours: -2\n---"), name="tiny.md")
    assert error.path == "steps[0].sections[1].hours"
    text = FRONT.replace('title: "Alpha"', 'key: same\n        title: "Alpha"').replace(
        'title: "Beta"', 'key: same\n        title: "Beta"')
    error = import_error(tmp_path, text, name="tiny.md")
    assert error.path == "steps[0].sections[1].key"
    assert "already used by steps[0].sections[0]" in error.message
    error = import_error(tmp_path, FRONT.replace('    estimated_hours: 4\n', '    estimated_hours: 4\n    colour: 1\n'),
                         name="tiny.md")
    assert (error.path, error.message) == ("steps[0].colour", "unknown key")


def test_it_reads_a_markdown_file_without_front_matter_as_an_outline(tmp_path, db):
    error = import_error(tmp_path, "# Just notes\n\nNothing else.\n", name="notes.md")
    assert error.message == "the outline has no steps: write each one as a “## Step title” line"


def test_it_skips_markdown_without_front_matter_in_a_folder(tmp_path, db):
    write(tmp_path, "README.md", "# Roadmaps in this folder\n")
    write(tmp_path, "b.yaml", (FIXTURES / "second.yaml").read_text())
    write(tmp_path, "a.md", FRONT)
    write(tmp_path, "ignored.txt", "not a roadmap")
    roadmaps = import_roadmap_paths([tmp_path])
    assert [r.slug for r in roadmaps] == ["tiny-path", "second-roadmap"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9 weeks (20 hrs/week)", (9, 20)),
        ("12 weeks at 10 hours per week", (12, 10)),
        ("1 week", (1, None)),
        ("15 hrs/week", (None, 15)),
        ("6-9 months", (None, None)),
        ("", (None, None)),
        ("4 weeks (500 hrs/week)", (4, None)),
    ],
)
def test_it_reads_estimated_time_leniently(text, expected):
    assert parse_estimated_time(text) == expected


# --- The import_roadmaps command --------------------------------------------------------------------------------


def test_it_imports_files_with_the_command(tmp_path, db):
    out = StringIO()
    call_command("import_roadmaps", str(FIXTURES / "small.yaml"), str(FIXTURES / "second.yaml"), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:3] == [
        f"{FIXTURES / 'small.yaml'}: small-roadmap: 2 steps, 6 items (new roadmap)",
        "  step “Step one”: 2 topics, 1 resource, 5 h",
        "  step “Step two”: 1 topic, 1 project, 9 h",
    ]
    assert lines[-2:] == ["Imported small-roadmap (2 steps, 6 items)", "Imported second-roadmap (1 step, 1 item)"]


def test_it_fails_the_command_with_the_error_and_imports_nothing(tmp_path, db):
    bad = write(tmp_path, "bad.yaml", SMALL.replace("hours: 2}", "hours: -2}"))
    with pytest.raises(CommandError) as caught:
        call_command("import_roadmaps", str(FIXTURES / "second.yaml"), str(bad))
    assert str(caught.value) == f"{bad}: steps[0].topics[0].hours: must be a positive number of hours"
    assert not Roadmap.objects.exists()


def test_it_exits_non_zero_from_the_command_line(tmp_path, db):
    import subprocess
    import sys

    bad = write(tmp_path, "bad.yaml", "")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_roadmaps", str(bad)],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert f"{bad}: the file is empty" in result.stderr


def test_it_shifts_positions_when_items_are_inserted_removed_and_restored(existing):
    retired_pk = Item.objects.get(key="t-b").pk
    import_roadmap_text(SMALL.replace("      - {key: t-b, title: Topic B, hours: 3}\n", ""), source="small.yaml")
    # New item first, the retired one back in the middle, an existing one moved in from step two.
    text = SMALL.replace(
        "      - {key: t-a, title: Topic A, hours: 2}\n      - {key: t-b, title: Topic B, hours: 3}\n",
        "      - {key: t-new, title: New topic}\n      - {key: t-b, title: Topic B, hours: 3}\n"
        "      - {key: t-c, title: Topic C, hours: 4}\n      - {key: t-a, title: Topic A, hours: 2}\n",
    ).replace("    topics:\n      - {key: t-c, title: Topic C, hours: 4}\n", "")
    import_roadmap_text(text, source="small.yaml")
    topics = Item.objects.active().filter(step__key="one", kind="topic").order_by("position")
    assert [(t.key, t.position) for t in topics] == [("t-new", 0), ("t-b", 1), ("t-c", 2), ("t-a", 3)]
    assert topics.get(key="t-b").pk == retired_pk
    assert not Item.objects.active().filter(step__key="two", kind="topic").exists()


def test_it_rejects_yaml_nested_too_deeply(tmp_path, existing):
    error = import_error(tmp_path, "slug: x\ntitle: " + "[" * 5000 + "]" * 5000 + "\n")
    assert error.path == ""


# --- Every problem at once (issue 15, point 2) -------------------------------------------------------------------


def test_it_reports_every_problem_of_a_file_in_one_run_in_file_order(tmp_path, existing):
    text = (
        SMALL.replace("{key: t-b, title: Topic B, hours: 3}", "{key: t-b, title: Topic B, hours: 3, colour: red}")
        .replace("{key: t-c,", "{key: t-a,")
        .replace("title: Project A, skills: [SQL], hours: 5", "title: Project A, skills: [SQL], hours: -5")
        .replace("key: two", "key: one")
    )
    text = text.replace("summary: Two steps, a handful of items.\n", "summary: Two steps.\nfeatured: maybe\n")
    error = import_error(tmp_path, text)
    assert [(p.path, p.message) for p in error.problems] == [
        ("featured", "should be true or false (got 'maybe')"),
        ("steps[0].topics[1].colour", "unknown key"),
        ("steps[1].key", "duplicate key 'one', already used by steps[0]"),
        ("steps[1].topics[0].key", "duplicate key 't-a', already used by steps[0].topics[0]"),
        ("steps[1].projects[0].hours", "must be a positive number of hours"),
    ]
    assert [p.line for p in error.problems] == sorted(p.line for p in error.problems)
    assert error.total == 5
    assert (error.path, error.message) == ("featured", "should be true or false (got 'maybe')")
    lines = str(error).splitlines()
    assert len(lines) == 5 and all(line.startswith(f"{tmp_path / 'bad.yaml'}: ") for line in lines)


def test_it_reports_every_duplicate_key_and_names_both_places(tmp_path, db):
    topics = "".join(f"      - {{key: k{n % 3}, title: T{n}}}\n" for n in range(6))
    head = "slug: s\ntitle: S\nsummary: x\nsteps:\n  - key: a\n    title: A\n    topics:\n"
    error = import_error(tmp_path, head + topics)
    assert [(p.path, p.message) for p in error.problems] == [
        (f"steps[0].topics[{n}].key", f"duplicate key 'k{n % 3}', already used by steps[0].topics[{n % 3}]")
        for n in range(3, 6)
    ]


def test_it_lists_at_most_fifty_problems_and_counts_the_rest(tmp_path, db):
    topics = "".join(f"      - {{title: T{n}, hours: -1}}\n" for n in range(70))
    error = import_error(tmp_path, f"slug: s\ntitle: S\nsummary: x\nsteps:\n  - title: A\n    topics:\n{topics}")
    assert error.total == 70 and len(error.problems) == 50
    assert error.problems[0].path == "steps[0].topics[0].hours"
    assert str(error).splitlines()[-1].endswith("… and 20 more problems not listed")


def test_it_reports_every_repeated_mapping_key_and_alias(tmp_path, existing):
    text = SMALL.replace("    title: Step two\n", "    title: Step two\n    title: Step 2\n").replace(
        "    title: Step one\n", "    title: Step one\n    title: Step 1\n")
    error = import_error(tmp_path, text)
    assert [p.path for p in error.problems] == ["steps[0]", "steps[1]"]
    assert "lines 7 and 8" in error.problems[0].message and "lines 15 and 16" in error.problems[1].message


def test_it_puts_a_missing_key_at_the_line_of_its_entry(tmp_path, db):
    text = "slug: s\ntitle: S\nsummary: x\nsteps:\n  - title: A\n    topics:\n      - {hours: 2}\n  - {weeks: 0}\n"
    error = import_error(tmp_path, text)
    assert [(p.path, p.line) for p in error.problems] == [
        ("steps[0].topics[0].title", 7), ("steps[1].title", 8), ("steps[1].weeks", 8),
    ]


def test_it_checks_without_writing_from_the_command(tmp_path, existing):
    before = counts()
    path = write(tmp_path, "r.yaml", SMALL.replace("Small roadmap", "Renamed roadmap"))
    out = StringIO()
    call_command("import_roadmaps", str(path), "--check", stdout=out)
    assert counts() == before
    assert Roadmap.objects.get(slug="small-roadmap").title == "Small roadmap"
    assert "nothing written" in out.getvalue().lower()


def test_it_fails_the_check_with_every_problem(tmp_path, existing):
    text = SMALL.replace("{key: t-c,", "{key: t-a,").replace("key: two", "key: one")
    path = write(tmp_path, "r.yaml", text)
    with pytest.raises(CommandError) as caught:
        call_command("import_roadmaps", str(path), "--check", stdout=StringIO())
    assert "steps[1].key: duplicate key 'one'" in str(caught.value)
    assert "steps[1].topics[0].key: duplicate key 't-a'" in str(caught.value)


# --- Front matter: keys, look-alike titles (issue 15, point 3) -----------------------------------------------------


LOOKALIKE = """---
layout: default
title: "Numbered notes"
description: "Sections numbered like a book."
steps:
  - title: "Part 1"
    sections:
      - title: "Topic 1.11"
        hours: 2
      - title: "Topic 11.1"
        hours: 3
      - title: "C#"
        link: "/notes/csharp/"
      - title: "C++"
        link: "/notes/cpp/"
      - title: "Same twice"
      - title: "Same twice!"
  - title: "Part 1!"
    key: part-one-again
    sections:
      - title: "Plain"
        key: my-own-key
---
Body.
"""


def test_it_gives_lookalike_titles_distinct_keys_in_front_matter(db):
    roadmap = import_roadmap_text(LOOKALIKE, source="numbered.md")
    keys = list(roadmap.items.order_by("step__position", "position").values_list("title", "key"))
    assert keys[:4] == [("Topic 1.11", "topic-1-11"), ("Topic 11.1", "topic-11-1"), ("C#", "csharp"), ("C++", "cpp")]
    assert keys[4][1] != keys[5][1] and keys[4][1].startswith("same-twice-")
    assert keys[6] == ("Plain", "my-own-key")
    assert list(roadmap.steps.order_by("position").values_list("key", flat=True)) == ["part-1", "part-one-again"]


def test_it_keeps_lookalike_keys_across_reimports_and_reordering(db):
    first = import_roadmap_text(LOOKALIKE, source="numbered.md")
    by_title = dict(first.items.values_list("title", "pk"))
    keys = dict(first.items.values_list("title", "key"))
    swapped = LOOKALIKE.replace('"Topic 1.11"\n        hours: 2', '"TMP"\n        hours: 2').replace(
        '"Topic 11.1"\n        hours: 3', '"Topic 1.11"\n        hours: 2').replace('"TMP"', '"Topic 11.1"')
    again = import_roadmap_text(swapped, source="numbered.md")
    assert dict(again.items.active().values_list("title", "key")) == keys
    assert dict(again.items.active().values_list("title", "pk")) == by_title


def test_it_accepts_keys_on_front_matter_steps_and_sections(db):
    text = FRONT.replace('  - title: "First"', '  - key: first-step\n    title: "First"').replace(
        'title: "Alpha"', 'key: a-1\n        title: "Alpha"')
    roadmap = import_roadmap_text(text, source="tiny.md")
    assert roadmap.steps.get().key == "first-step"
    assert set(roadmap.items.values_list("key", flat=True)) == {"a-1", "beta"}
