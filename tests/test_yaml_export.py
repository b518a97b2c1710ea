"""Exporting roadmaps as YAML: the round trip, the shape of the text, the command."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from roadmaps.models import Guidance, GuidanceKind, Item, ItemKind, RetrospectivePrompt, Roadmap, Step
from roadmaps.yaml_io import export_roadmap, import_roadmap_text
from tests.factories import make_roadmap

FIXTURES = Path(__file__).parent / "fixtures" / "yaml"
RICH = (FIXTURES / "rich.yaml").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


def test_it_round_trips_a_rich_roadmap_without_loss():
    roadmap = import_roadmap_text(RICH, source="rich.yaml")
    first = export_roadmap(roadmap)
    roadmap.delete()
    assert not Item.objects.exists()

    again = import_roadmap_text(first, source="exported.yaml")
    second = export_roadmap(again)
    assert second == first


def test_it_exports_every_part_of_the_rich_fixture():
    data = yaml.safe_load(export_roadmap(import_roadmap_text(RICH, source="rich.yaml")))
    source = yaml.safe_load(RICH)
    for key in ["slug", "title", "summary", "description", "audience", "skill_level", "prerequisites", "outcomes",
                "duration_weeks", "weekly_hours", "duration_note", "author", "featured", "status",
                "retrospective_interval_weeks", "retrospective_prompts"]:
        assert data[key] == source[key], key
    assert data["format"] == "waymark/roadmap@1"
    assert sorted(data["tags"]) == sorted(source["tags"])
    assert [plan["key"] for plan in data["pace_plans"]] == ["steady", "sprint"]
    assert data["pace_plans"][1]["hours_per_week"] == 25.5
    assert [entry["day"] for entry in data["schedule"]] == ["mon", "weekend", "tue"]
    assert data["schedule"][2]["week"] == 1
    assert data["guidance"]["tips"] == ["Commit every day.", source["guidance"]["tips"][1]]
    assert data["guidance"]["quick_wins"] == [{"title": "Learn the debugger", "body": "", "url": ""}]
    assert data["guidance"]["leverage"] == ["Write about what you learn;\nteaching sticks.\n"]
    assert [metric["key"] for metric in data["metrics"]] == ["katas", "posts-written"]
    basics = data["steps"][0]
    assert basics["weekly_goals"] == [{"week": 1, "goal": "Install the tools"},
                                      {"week": 2, "goal": "Write a first script: hello"}]
    assert [topic["key"] for topic in basics["topics"]] == ["http", "python-syntax"]
    assert basics["topics"][1]["hours"] == 10.5
    assert basics["resources"][0] == {
        "key": "the-official-tutorial", "title": "The official tutorial", "kind": "docs",
        "url": "https://docs.example.org/tutorial", "hours": 8, "week": None, "why": "It is accurate and free.",
        "body": "Read chapters 1–5.",
    }
    assert basics["projects"][0]["skills"] == ["Python", "Files"]
    assert basics["checkpoints"][0]["week"] == 2
    assert data["projects"][0]["capstone"] is True and data["projects"][0]["week"] == 12
    assert [item["key"] for item in data["topics"] + data["resources"] + data["checkpoints"]] == [
        "version-control", "community-forum", "finished-the-capstone"
    ]


def test_it_round_trips_a_roadmap_built_in_the_database():
    roadmap = make_roadmap(steps=3, items_per_step=5, tags=["Python", "Go"], description="Line one\r\nLine two")
    step = roadmap.steps.get(key="step-1")
    step.weekly_goals = "1: Start\n2: Keep going"
    step.estimated_hours = Decimal("12.5")
    step.save()
    Item.objects.create(roadmap=roadmap, kind=ItemKind.PROJECT, key="capstone", title="Capstone", is_capstone=True,
                        skills="Go, SQL", week=6, estimated_hours=Decimal("20"))
    Guidance.objects.create(roadmap=roadmap, kind=GuidanceKind.SCHEDULE, day="daily", hours=1, body="Read", week=2)
    RetrospectivePrompt.objects.create(roadmap=roadmap, text="Wie lief die Woche? 🙂", position=0)
    first = export_roadmap(roadmap)
    roadmap.delete()

    second = export_roadmap(import_roadmap_text(first, source="built.yaml"))
    assert second == first
    assert "description: |-\n  Line one\n  Line two\n" in first  # CRLF from a browser becomes LF


def test_it_writes_every_key_even_when_empty():
    roadmap = make_roadmap(steps=1, items_per_step=4)
    data = yaml.safe_load(export_roadmap(roadmap))
    topic = data["steps"][0]["topics"][0]
    assert topic == {"key": "s0-i0", "title": "Item 0.0", "url": "", "hours": 2, "week": None, "body": ""}
    assert set(data["steps"][0]) >= {"goal", "motto", "weeks", "hours", "success_metric", "weekly_goals"}
    assert data["topics"] == [] and data["schedule"] == [] and data["retrospective_prompts"] == []
    assert set(data["guidance"]) == {"tips", "mistakes", "quick_wins", "leverage", "next_steps"}


def test_it_leaves_out_retired_items():
    roadmap = make_roadmap(steps=1, items_per_step=4)
    Item.objects.filter(key="s0-i0").update(retired_at=timezone.now())
    data = yaml.safe_load(export_roadmap(roadmap))
    assert data["steps"][0]["topics"] == []
    assert [resource["key"] for resource in data["steps"][0]["resources"]] == ["s0-i1"]


def test_it_keeps_unicode_and_writes_block_text():
    roadmap = make_roadmap(steps=1, items_per_step=1, title="Café → Straße", description="First\n\nSecond\n")
    text = export_roadmap(roadmap)
    assert "title: Café → Straße\n" in text
    assert "description: |\n  First\n\n  Second\n" in text
    assert "\\u" not in text


def test_it_orders_steps_and_items_by_position():
    roadmap = make_roadmap(steps=2, items_per_step=1)
    Step.objects.filter(roadmap=roadmap).update(position=F("position") + 10)  # clear of the unique positions
    Step.objects.filter(key="step-1").update(position=0)
    Step.objects.filter(key="step-0").update(position=1)
    data = yaml.safe_load(export_roadmap(roadmap))
    assert [step["key"] for step in data["steps"]] == ["step-1", "step-0"]


def test_it_exports_in_a_fixed_number_of_queries(django_assert_num_queries):
    small = make_roadmap(steps=1, items_per_step=2)
    large = make_roadmap(steps=20, items_per_step=20)
    # steps, items, guidance, tags, own prompts, pace plans, metrics
    with django_assert_num_queries(7):
        export_roadmap(small)
    with django_assert_num_queries(7):
        export_roadmap(large)


def test_it_exports_with_the_command_to_standard_output():
    roadmap = make_roadmap(steps=1, items_per_step=2)
    out = StringIO()
    call_command("export_roadmap", roadmap.slug, stdout=out)
    assert out.getvalue() == export_roadmap(roadmap)


def test_it_exports_with_the_command_to_a_file(tmp_path):
    roadmap = make_roadmap(steps=1, items_per_step=2)
    target = tmp_path / "out.yaml"
    call_command("export_roadmap", roadmap.slug, "-o", str(target), stdout=StringIO(), stderr=StringIO())
    assert target.read_text(encoding="utf-8") == export_roadmap(roadmap)


def test_it_refuses_an_unknown_slug_in_the_command():
    with pytest.raises(CommandError, match="No roadmap with the slug 'nope'"):
        call_command("export_roadmap", "nope", stdout=StringIO())


def test_it_round_trips_through_the_commands(tmp_path):
    roadmap = import_roadmap_text(RICH, source="rich.yaml")
    target = tmp_path / "rich-export.yaml"
    call_command("export_roadmap", roadmap.slug, "-o", str(target), stderr=StringIO())
    Roadmap.objects.all().delete()
    out = StringIO()
    call_command("import_roadmaps", str(target), stdout=out)
    assert out.getvalue().splitlines()[-1] == "Imported rich-roadmap (2 steps, 13 items)"
    assert export_roadmap(Roadmap.objects.get()) == target.read_text(encoding="utf-8")
