"""Roadmap structure in the YAML format (issue 15, point 1): item status and
groups of alternatives, a step's "any order", subtopics, a topic's own
resources and headings — imported, validated, exported and re-imported."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from roadmaps.models import Item, ItemKind, ItemStatus, Roadmap, Step
from roadmaps.yaml_io import RoadmapImportError, export_roadmap, import_roadmap_text
from tests.factories import make_roadmap

FIXTURES = Path(__file__).parent / "fixtures" / "yaml"
STRUCTURE = (FIXTURES / "structure.yaml").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


def item(key: str) -> Item:
    return Item.objects.get(key=key)


def problems(text: str) -> list[str]:
    """Every problem of a file that must not import, as '<path>: <message>'."""
    before = Item.objects.count()
    with pytest.raises(RoadmapImportError) as caught:
        import_roadmap_text(text, source="bad.yaml")
    assert Item.objects.count() == before
    return [f"{problem.path}: {problem.message}" for problem in caught.value.problems]


def roadmap_with(topics: str, *, extra: str = "") -> str:
    """A one-step file whose topics list is `topics` (YAML, indented 6)."""
    return (
        "slug: s\ntitle: T\nsummary: S\nsteps:\n  - key: one\n    title: One\n    topics:\n"
        + topics + extra
    )


# --- Import: every new field ------------------------------------------------------


def test_it_imports_statuses_and_groups_of_alternatives():
    import_roadmap_text(STRUCTURE, source="structure.yaml")
    assert item("sql-basics").status == ItemStatus.CORE and item("sql-basics").alternative_group == ""
    assert item("key-value").status == ItemStatus.OPTIONAL
    for key in ("engine-pg", "engine-my"):
        assert (item(key).status, item(key).alternative_group) == (ItemStatus.ALTERNATIVE, "Relational engine")
    assert {p.key for p in Item.objects.filter(alternative_group="Project")} == {"proj-a", "proj-b"}


def test_it_imports_a_steps_any_order_flag_false_by_default():
    import_roadmap_text(STRUCTURE, source="structure.yaml")
    assert Step.objects.get(key="storage").any_order is True
    assert Step.objects.get(key="serving").any_order is False


def test_it_imports_subtopics_under_their_topic_in_the_same_step():
    import_roadmap_text(STRUCTURE, source="structure.yaml")
    parent = item("pick-engine")
    subtopics = list(parent.children.filter(kind=ItemKind.TOPIC).order_by("position"))
    assert [sub.key for sub in subtopics] == ["engine-pg", "engine-my", "tuning"]
    assert {sub.step_id for sub in subtopics} == {parent.step_id}
    # Positions run through the step in reading order: a topic, then its subtopics.
    step_topics = Item.objects.filter(step=parent.step, kind=ItemKind.TOPIC).order_by("position")
    assert [t.key for t in step_topics] == ["sql-basics", "pick-engine", "engine-pg", "engine-my", "tuning",
                                            "key-value"]
    assert item("wide-sub").parent == item("wide") and item("wide-sub").step_id is None


def test_it_imports_resources_of_a_topic_and_of_a_subtopic():
    import_roadmap_text(STRUCTURE, source="structure.yaml")
    assert item("sql-primer").parent == item("sql-basics")
    assert item("sql-primer").kind == ItemKind.RESOURCE
    assert item("engine-my-docs").parent == item("engine-my")
    assert item("storage-book").parent is None
    resources = Item.objects.filter(step__key="storage", kind=ItemKind.RESOURCE).order_by("position")
    assert [r.key for r in resources] == ["storage-book", "sql-primer", "engine-my-docs"]


def test_it_imports_headings_on_a_steps_topics():
    import_roadmap_text(STRUCTURE, source="structure.yaml")
    assert [item(k).heading for k in ("sql-basics", "pick-engine", "key-value")] == [
        "Relational", "Relational", "Other stores"]
    assert item("engine-pg").heading == ""


# --- Import: every new error class -------------------------------------------------


def test_it_rejects_an_unknown_status():
    found = problems(roadmap_with("      - {title: A, status: maybe}\n"))
    assert found == ["steps[0].topics[0].status: must be 'core', 'optional' or 'alternative' (got 'maybe')"]


def test_it_rejects_an_alternative_without_a_group():
    found = problems(roadmap_with("      - {title: A, status: alternative}\n      - {title: B}\n"))
    assert found == ["steps[0].topics[0]: status “alternative” needs an alternative_group: the name its "
                     "alternatives share"]


def test_it_rejects_a_group_on_an_item_that_is_not_an_alternative():
    found = problems(roadmap_with("      - {title: A, status: optional, alternative_group: G}\n"))
    assert found == ["steps[0].topics[0]: alternative_group is only for status “alternative” (this one is "
                     "“optional”)"]


def test_it_rejects_a_group_of_one_alternative():
    found = problems(roadmap_with("      - {title: A, status: alternative, alternative_group: G}\n"
                                  "      - {title: B}\n"))
    assert found == ["steps[0].topics[0].alternative_group: 'G' is the only alternative of its group: give "
                     "another item the same alternative_group, or make this one optional"]


def test_it_rejects_one_group_spread_over_two_lists():
    found = problems(roadmap_with(
        "      - {title: A, status: alternative, alternative_group: G}\n"
        "      - {title: B, status: alternative, alternative_group: G}\n",
        extra="    projects:\n      - {title: P, status: alternative, alternative_group: G}\n",
    ))
    assert found == ["steps[0].projects[0].alternative_group: the group 'G' is already used in steps[0].topics: "
                     "alternatives are listed together, in one list; give this group another name"]


def test_it_allows_the_same_group_name_in_two_steps():
    text = roadmap_with("      - {title: A, status: alternative, alternative_group: G}\n"
                        "      - {title: B, status: alternative, alternative_group: G}\n")
    text += ("  - key: two\n    title: Two\n    topics:\n"
             "      - {title: C, status: alternative, alternative_group: G}\n"
             "      - {title: D, status: alternative, alternative_group: G}\n")
    import_roadmap_text(text, source="ok.yaml")
    assert Item.objects.filter(alternative_group="G").count() == 4


def test_it_rejects_subtopics_of_a_subtopic():
    found = problems(roadmap_with("      - title: A\n        subtopics:\n          - title: B\n"
                                  "            subtopics: [{title: C}]\n"))
    assert found == ["steps[0].topics[0].subtopics[0].subtopics: unknown key"]


def test_it_rejects_subtopics_on_a_resource():
    found = problems(roadmap_with("      - {title: A}\n", extra="    resources:\n"
                                  "      - {title: R, subtopics: [{title: B}]}\n"))
    assert found == ["steps[0].resources[0].subtopics: unknown key"]


def test_it_rejects_an_alternative_topic_that_has_subtopics():
    found = problems(roadmap_with(
        "      - {title: A, status: alternative, alternative_group: G, subtopics: [{title: A1}]}\n"
        "      - {title: B, status: alternative, alternative_group: G}\n"))
    assert found == ["steps[0].topics[0].status: a topic with subtopics cannot be an alternative (its "
                     "progress is its subtopics'); make the subtopics the alternatives, or make the topic optional"]


def test_it_rejects_a_heading_on_a_subtopic_or_another_kind():
    found = problems(roadmap_with("      - title: A\n        subtopics: [{title: A1, heading: H}]\n",
                                  extra="    projects:\n      - {title: P, heading: H}\n"))
    assert found == ["steps[0].topics[0].subtopics[0].heading: unknown key", "steps[0].projects[0].heading: "
                     "unknown key"]


def test_it_rejects_a_heading_split_by_other_topics():
    found = problems(roadmap_with("      - {title: A, heading: H}\n      - {title: B, heading: K}\n"
                                  "      - {title: C, heading: H}\n"))
    assert found == ["steps[0].topics[2].heading: the heading 'H' is also on steps[0].topics[0], with other "
                     "topics in between: topics under one heading are listed one after another"]


def test_it_rejects_a_multiline_heading_and_a_long_group_name():
    found = problems(roadmap_with(f"      - {{title: A, heading: \"x\\ny\"}}\n"
                                  f"      - {{title: B, status: alternative, alternative_group: {'g' * 81}}}\n"
                                  f"      - {{title: C, status: alternative, alternative_group: {'g' * 81}}}\n"))
    assert "steps[0].topics[0].heading: must be a single line" in found
    assert "steps[0].topics[1].alternative_group: is too long: at most 80 characters (this has 81)" in found


def test_it_rejects_duplicate_keys_among_subtopics_and_topic_resources():
    found = problems(roadmap_with("      - key: a\n        title: A\n        subtopics: [{key: a, title: A1}]\n"
                                  "        resources: [{title: A}]\n"))
    assert found == [
        "steps[0].topics[0].subtopics[0].key: duplicate key 'a', already used by steps[0].topics[0]",
        "steps[0].topics[0].resources[0].title: duplicate key 'a', already used by steps[0].topics[0] (made from "
        "the title; give one of them its own “key”)",
    ]


def test_it_rejects_a_non_boolean_any_order():
    found = problems("slug: s\ntitle: T\nsummary: S\nsteps:\n  - {title: One, any_order: 'yes'}\n")
    assert found == ["steps[0].any_order: should be true or false (got 'yes')"]


def test_it_reports_every_structure_problem_of_a_file_in_one_run():
    found = problems(roadmap_with(
        "      - {title: A, status: alternative}\n"
        "      - {title: B, status: alternative, alternative_group: Lonely}\n"
        "      - {title: C, heading: H}\n      - {title: D}\n      - {title: E, heading: H}\n"
        "      - {title: F, status: sometimes}\n"))
    assert [line.split(":")[0] for line in found] == [
        "steps[0].topics[0]", "steps[0].topics[1].alternative_group", "steps[0].topics[4].heading",
        "steps[0].topics[5].status",
    ]


# --- The database holds the same rules --------------------------------------------


@pytest.mark.parametrize("changes", [
    {"status": "sometimes"},
    {"status": ItemStatus.ALTERNATIVE},  # no group
    {"alternative_group": "G"},  # a group on a core item
    {"heading": "H", "kind": ItemKind.PROJECT},
])
def test_the_database_refuses_a_broken_structure(changes):
    roadmap = make_roadmap(steps=1, items_per_step=1)
    topic = Item.objects.get(roadmap=roadmap)
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=topic.pk).update(**changes)


def test_the_database_refuses_a_parent_on_a_project_or_on_itself():
    roadmap = make_roadmap(steps=1, items_per_step=3)
    topic = Item.objects.get(roadmap=roadmap, kind=ItemKind.TOPIC)
    project = Item.objects.get(roadmap=roadmap, kind=ItemKind.PROJECT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=project.pk).update(parent=topic)
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=topic.pk).update(parent=topic)


def test_an_items_clean_refuses_two_levels_and_another_step():
    import_roadmap_text(STRUCTURE, source="structure.yaml")
    sub = item("engine-pg")
    deeper = Item(roadmap=sub.roadmap, step=sub.step, kind=ItemKind.TOPIC, key="deep", title="Deep", parent=sub)
    with pytest.raises(Exception, match="one level deep"):
        deeper.full_clean()
    elsewhere = Item(roadmap=sub.roadmap, step=Step.objects.get(key="serving"), kind=ItemKind.TOPIC, key="far",
                     title="Far", parent=item("sql-basics"))
    with pytest.raises(Exception, match="same step"):
        elsewhere.full_clean()
    parent = item("pick-engine")
    parent.parent = item("sql-basics")
    with pytest.raises(Exception, match="subtopics of its own"):
        parent.full_clean()


# --- Round trips -------------------------------------------------------------------


def test_it_round_trips_the_structure_without_loss():
    roadmap = import_roadmap_text(STRUCTURE, source="structure.yaml")
    first = export_roadmap(roadmap)
    roadmap.delete()
    again = import_roadmap_text(first, source="exported.yaml")
    assert export_roadmap(again) == first
    data = yaml.safe_load(first)
    storage = data["steps"][0]
    assert storage["any_order"] is True and "any_order" not in data["steps"][1]
    parent = storage["topics"][1]
    assert [sub["key"] for sub in parent["subtopics"]] == ["engine-pg", "engine-my", "tuning"]
    assert parent["subtopics"][1]["resources"][0]["key"] == "engine-my-docs"
    assert parent["subtopics"][0]["status"] == "alternative"
    assert parent["subtopics"][0]["alternative_group"] == "Relational engine"
    assert storage["topics"][0]["resources"][0]["key"] == "sql-primer"
    assert [r["key"] for r in storage["resources"]] == ["storage-book"]
    assert storage["topics"][2] == {"key": "key-value", "title": "Key-value stores", "heading": "Other stores",
                                    "status": "optional", "url": "", "hours": 2, "week": None, "body": ""}
    assert data["topics"][0]["subtopics"][0]["key"] == "wide-sub"


def test_a_roadmap_without_structure_exports_without_the_new_keys():
    text = export_roadmap(make_roadmap(steps=1, items_per_step=4))
    steps = text[text.index("\nsteps:"):]
    for key in ("status", "alternative_group", "heading", "subtopics", "any_order"):
        assert f"{key}:" not in steps


def test_a_reimport_moves_structure_in_place_and_keeps_item_rows():
    roadmap = import_roadmap_text(STRUCTURE, source="structure.yaml")
    before = dict(Item.objects.filter(roadmap=roadmap).values_list("key", "pk"))
    data = yaml.safe_load(export_roadmap(roadmap))
    storage = data["steps"][0]
    parent = storage["topics"][1]
    # A subtopic becomes a topic with a heading; a topic becomes a subtopic of a
    # new topic; an optional topic becomes core; a topic resource becomes the step's.
    tuning = parent["subtopics"].pop(2)
    tuning.pop("status")
    storage["topics"].append({**tuning, "heading": "Later"})
    key_value = storage["topics"].pop(2)
    key_value.pop("heading")
    key_value.pop("status")
    storage["topics"].append({"key": "new-parent", "title": "New parent", "subtopics": [key_value]})
    storage["resources"].append(storage["topics"][0].pop("resources")[0])
    import_roadmap_text(yaml.safe_dump(data, sort_keys=False), source="again.yaml")
    after = dict(Item.objects.filter(roadmap=roadmap).values_list("key", "pk"))
    assert {key: after[key] for key in before} == before
    assert (item("tuning").parent, item("tuning").heading, item("tuning").status) == (None, "Later", "core")
    assert item("key-value").parent == item("new-parent")
    assert (item("key-value").status, item("key-value").heading) == ("core", "")
    assert item("sql-primer").parent is None
    assert export_roadmap(roadmap) == export_roadmap(Roadmap.objects.get(pk=roadmap.pk))


def test_a_subtopic_dropped_from_the_file_is_retired_and_its_parent_kept():
    roadmap = import_roadmap_text(STRUCTURE, source="structure.yaml")
    data = yaml.safe_load(export_roadmap(roadmap))
    data["steps"][0]["topics"][1]["subtopics"].pop()  # tuning
    import_roadmap_text(yaml.safe_dump(data, sort_keys=False), source="again.yaml")
    assert item("tuning").retired_at is not None
    assert item("tuning").parent == item("pick-engine")  # where it was, should it come back


# --- Migration: existing items become core topics, progress kept ---------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_item_and_learners_progress():
    before, after = [("roadmaps", "0003_item_rename_tracking")], [("roadmaps", "0004_item_structure")]
    executor = MigrationExecutor(connection)
    executor.migrate(before + [("progress", "0004_enrolment_step_summaries")])
    try:
        old = executor.loader.project_state(before + [("progress", "0004_enrolment_step_summaries")]).apps
        roadmap = old.get_model("roadmaps", "Roadmap").objects.create(slug="old", title="Old", summary="s")
        step = old.get_model("roadmaps", "Step").objects.create(roadmap=roadmap, key="s", title="S")
        item_model = old.get_model("roadmaps", "Item")
        items = [item_model.objects.create(roadmap=roadmap, step=step, kind=kind, key=f"i{n}", position=n, title="I")
                 for n, kind in enumerate(["topic", "resource", "project", "checkpoint"])]
        user = old.get_model("accounts", "User").objects.create(email="old@example.com", password="!")
        enrolment = old.get_model("progress", "Enrolment").objects.create(
            user=user, roadmap=roadmap, hours_per_week=5, start_date="2025-01-06")
        progress_model = old.get_model("progress", "ItemProgress")
        for row_item, state in zip(items, ["done", "in_progress", "skipped", "done"], strict=True):
            progress_model.objects.create(enrolment=enrolment, item=row_item, state=state, note=f"n-{state}")
        MigrationExecutor(connection).migrate(after)
        migrated = Item.objects.filter(roadmap_id=roadmap.pk).order_by("position")
        assert [(i.kind, i.status, i.alternative_group, i.parent_id, i.heading) for i in migrated] == [
            (kind, "core", "", None, "") for kind in ["topic", "resource", "project", "checkpoint"]]
        assert Step.objects.get(pk=step.pk).any_order is False
        from progress.models import ItemProgress

        assert sorted(ItemProgress.objects.filter(enrolment_id=enrolment.pk).values_list("state", "note")) == sorted(
            [("done", "n-done"), ("in_progress", "n-in_progress"), ("skipped", "n-skipped"), ("done", "n-done")])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


SEED_OUTLINE = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "001_111fbffc308868c7.txt"


def test_a_real_outline_with_headings_and_nesting_round_trips():
    """A public roadmap written as Markdown (seeds/001: phases as ### headings,
    nested lists): imported as an outline, exported, imported again, exported
    again: the same text, headings and subtopics kept."""
    roadmap = import_roadmap_text(SEED_OUTLINE.read_text(encoding="utf-8"), source="001.md", outline=True)
    first = export_roadmap(roadmap)
    assert Item.objects.filter(roadmap=roadmap).exclude(heading="").exists()
    assert Item.objects.filter(roadmap=roadmap, parent__isnull=False).exists()
    roadmap.delete()
    assert export_roadmap(import_roadmap_text(first, source="exported.yaml")) == first


def test_the_reimport_preview_counts_subtopics_and_topic_resources():
    from roadmaps.yaml_io.changes import plan_changes
    from roadmaps.yaml_io.importer import parse_roadmap

    roadmap = import_roadmap_text(STRUCTURE, source="structure.yaml")
    data = yaml.safe_load(export_roadmap(roadmap))
    data["steps"][0]["topics"][1]["subtopics"].append({"key": "engine-x", "title": "Engine X"})
    plan = plan_changes(parse_roadmap(yaml.safe_dump(data, sort_keys=False), source="again.yaml"))
    assert [change.key for change in plan.added] == ["engine-x"]
    assert plan.retired == [] and plan.moved == []
    assert plan.outline[0][1] == {"topics": 7, "resources": 3, "projects": 2, "checkpoints": 0}


def test_it_warns_about_html_the_sanitiser_drops_in_a_subtopic():
    from roadmaps.yaml_io.importer import parse_file

    text = roadmap_with("      - title: A\n        subtopics:\n          - {title: B, body: '<div>x</div>'}\n"
                        "        resources:\n          - {title: R, body: '<span>y</span>'}\n")
    warnings = parse_file(text, source="w.yaml").warnings
    assert [warning.split(":")[0] for warning in warnings] == [
        "steps[0].topics[0].subtopics[0].body", "steps[0].topics[0].resources[0].body"]
