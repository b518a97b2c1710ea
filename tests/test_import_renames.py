"""A corrected title in a file whose keys come from titles (an outline, a
chart, a YAML item without a key) is a rename, not a new item and a retired
one: the learners' ticks stay on it (roadmaps.yaml_io.renames)."""

from __future__ import annotations

import pytest

from progress.models import ItemProgress
from roadmaps.models import Item
from roadmaps.yaml_io.changes import plan_changes
from roadmaps.yaml_io.importer import import_parsed, import_roadmap_text, parse_file
from tests.factories import make_user
from tests.progress_helpers import make_enrolment

pytestmark = pytest.mark.django_db

BEFORE = "# Knots\n\n## Basics\n- Reef knot (1h)\n- Bowline\n- Clove hich\n"


def ticked(title: str):
    roadmap = import_roadmap_text(BEFORE, source="knots.md")
    enrolment = make_enrolment(make_user(), roadmap)
    item = Item.objects.get(roadmap=roadmap, title=title)
    ItemProgress.objects.create(enrolment=enrolment, item=item, state="done")
    return item


def test_a_corrected_title_in_an_outline_is_a_rename_and_the_tick_stays():
    item = ticked("Clove hich")
    after = BEFORE.replace("- Clove hich", "- Clove hitch, two turns")
    parsed = parse_file(after, source="knots.md")
    plan = plan_changes(parsed.data)
    assert [change.title for change in plan.renamed] == ["Clove hitch, two turns"]
    assert plan.added == [] and plan.retired == []
    import_parsed(parsed)
    item.refresh_from_db()
    assert (item.title, item.retired_at) == ("Clove hitch, two turns", None)
    assert ItemProgress.objects.get(item=item).state == "done"


def test_a_different_item_in_its_place_is_still_a_new_one():
    item = ticked("Bowline")
    parsed = parse_file(BEFORE.replace("- Bowline", "- Sheet bend"), source="knots.md")
    plan = plan_changes(parsed.data)
    assert [c.title for c in plan.added] == ["Sheet bend"] and [c.title for c in plan.retired] == ["Bowline"]
    import_parsed(parsed)
    item.refresh_from_db()
    assert item.retired_at is not None and ItemProgress.objects.filter(item=item).exists()  # kept, hidden


def test_a_yaml_files_own_keys_are_never_changed():
    yaml = ("slug: knots\ntitle: Knots\nsummary: Tie.\nsteps:\n  - key: basics\n    title: Basics\n    topics:\n"
            "      - {key: reef-knot, title: Reef knot}\n      - {key: bowline, title: Bowline}\n")
    import_roadmap_text(yaml, source="knots.yaml")
    parsed = parse_file(yaml.replace("{key: bowline, title: Bowline}", "{key: bowline-2, title: Bowline 2}"),
                        source="knots.yaml")
    assert [entry.key for entry in parsed.data.steps[0].topics] == ["reef-knot", "bowline-2"]
    # Without a key of its own, a YAML item follows its rename like an outline's.
    parsed = parse_file(yaml.replace("{key: bowline, title: Bowline}", "{title: Bowline 2}"), source="knots.yaml")
    assert [entry.key for entry in parsed.data.steps[0].topics] == ["reef-knot", "bowline"]
