"""The plan's weeks and "up next" list only what the plan counts (issue 15,
point 1, on the learner-state loader's side): never an optional item the
learner has not taken up, an alternative of a group they have not picked
(beyond the editor's default pick), nor a topic that has subtopics."""

from __future__ import annotations

from pathlib import Path

import pytest

from progress.items.services import item_progress_set_state
from progress.models import ItemState
from progress.schedule import local_today
from progress.state import load_state
from roadmaps.models import Item
from roadmaps.yaml_io import import_roadmap_text
from tests.progress_helpers import make_enrolment

STRUCTURE = (Path(__file__).parent / "fixtures" / "yaml" / "structure.yaml").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


def listed_keys(enrolment) -> set[str]:
    """The keys of every item the whole plan lists in its weeks, and "up next"."""
    state = load_state(enrolment, today=local_today(enrolment.user.time_zone), horizon_weeks=104)
    pks = {plan_item.item_id for week in state.schedule.weeks for plan_item in week.items}
    pks |= {entry.pk for entry in state.up_next}
    return set(Item.objects.filter(pk__in=pks).values_list("key", flat=True))


def test_the_weeks_and_up_next_hold_only_what_the_plan_counts(learner):
    roadmap = import_roadmap_text(STRUCTURE, source="structure.yaml")
    enrolment = make_enrolment(learner, roadmap, hours_per_week=5)

    listed = listed_keys(enrolment)

    assert {"sql-basics", "engine-pg", "proj-a", "http", "cap-a"} <= listed  # core items and the default picks
    assert not listed & {"key-value", "tuning"}  # optional, not taken up
    assert not listed & {"engine-my", "proj-b", "cap-b"}  # alternatives not picked
    assert "pick-engine" not in listed  # a topic with subtopics: its subtopics count instead


def test_picking_another_alternative_and_starting_an_optional_item_change_what_is_listed(learner):
    roadmap = import_roadmap_text(STRUCTURE, source="structure.yaml")
    enrolment = make_enrolment(learner, roadmap, hours_per_week=5)
    items = {item.key: item for item in Item.objects.filter(roadmap=roadmap)}

    item_progress_set_state(enrolment=enrolment, item=items["proj-b"], state=ItemState.IN_PROGRESS)
    item_progress_set_state(enrolment=enrolment, item=items["tuning"], state=ItemState.IN_PROGRESS)
    listed = listed_keys(enrolment)

    assert {"proj-b", "tuning"} <= listed
    assert "proj-a" not in listed  # the group is decided: the default pick leaves the plan
