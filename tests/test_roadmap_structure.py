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
    # serving's HTTP 3, the roadmap-wide subtopic 1 and the first roadmap-wide alternative 5
    assert content.total_hours == Decimal(22 + 3 + 1 + 5)
    assert content.general.optional_hours == Decimal(7)


# --- The page ------------------------------------------------------------------------


def test_a_visitor_sees_headings_alternatives_subtopics_and_topic_resources(client, roadmap):
    html = client.get(roadmap.get_absolute_url()).content.decode()
    from roadmaps.models import Item

    pk = dict(Item.objects.values_list("key", "pk"))
    assert '<h4 class="item-heading">Relational</h4>' in html and '<h4 class="item-heading">Other stores</h4>' in html
    assert html.index("Relational</h4>") < html.index(f'id="item-{pk["sql-basics"]}"') < html.index(
        "Other stores</h4>") < html.index(f'id="item-{pk["key-value"]}"')
    # The subtopics sit inside their topic's row, the alternatives in a "Pick one" box.
    parent = html.index(f'id="item-{pk["pick-engine"]}"')
    subtopics = html.index('class="items subtopics"', parent)
    assert parent < subtopics < html.index("Pick one:", subtopics) < html.index(f'id="item-{pk["engine-pg"]}"')
    assert "Pick one: <strong>Relational engine</strong>" in html and "Pick one: <strong>Project</strong>" in html
    assert "3 subtopics" in html
    # A topic's resource is listed under it, not among the step's resources.
    sql = html.index(f'id="item-{pk["sql-basics"]}"')
    assert sql < html.index('class="items topic-resources"', sql) < html.index(f'id="item-{pk["sql-primer"]}"') < parent
    assert html.count(f'id="item-{pk["sql-primer"]}"') == 1
    assert 'class="badge badge--optional"' in html and ">Any order</span>" in html
    assert "+ 20 h optional" in html
    assert "learner-slot" not in html
    assert "css/structure" in html


def test_a_learner_ticks_subtopics_and_sees_the_parent_follow(learner_client, learner, roadmap):
    from progress.items.services import item_progress_set_state
    from progress.models import Enrolment
    from roadmaps.models import Item
    from tests.progress_helpers import make_enrolment

    enrolment = make_enrolment(learner, roadmap)
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    item_progress_set_state(enrolment=enrolment, item=Item.objects.get(key="engine-pg"), state="done")
    html = learner_client.get(roadmap.get_absolute_url()).content.decode()
    pk = dict(Item.objects.values_list("key", "pk"))
    assert f'id="learner-item-{pk["engine-pg"]}"' in html
    assert f'id="learner-item-{pk["pick-engine"]}"' not in html  # the parent is not ticked itself
    assert "1 of 3 subtopics done" in html
    # The step's bar: sql-basics, engine-pg (chosen), sql-primer, the book, proj-a → 1 of 5 done, 3 of 22 h.
    assert "14% · 1 of 5 done" in html


def queries_of(call) -> int:
    """How many SQL statements `call` runs (a request resets Django's own log)."""
    from django.db import connection

    count = 0

    def counting(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        call()
    return count


def test_the_learners_page_costs_the_same_queries_with_structure(learner_client, learner, roadmap):
    from progress import summaries
    from tests.factories import make_roadmap
    from tests.progress_helpers import make_enrolment

    flat = make_roadmap(steps=2, items_per_step=6)
    enrolments = [make_enrolment(learner, flat), make_enrolment(learner, roadmap)]
    summaries.rebuild(enrolments=enrolments)
    for page in (flat, roadmap):
        cold = queries_of(lambda page=page: learner_client.get(page.get_absolute_url()))
        warm = queries_of(lambda page=page: learner_client.get(page.get_absolute_url()))
        if page == flat:
            flat_cold, flat_warm = cold, warm
    assert (cold, warm) == (flat_cold, flat_warm)
    assert warm > 0


def test_an_optional_item_or_an_alternative_is_taken_up_by_name(learner_client, learner, roadmap):
    """Starting an optional item adds it to the plan, starting an alternative
    picks it: their Start buttons say so; a core topic's says Start."""
    import re

    from roadmaps.models import Item
    from tests.progress_helpers import make_enrolment

    make_enrolment(learner, roadmap)
    html = learner_client.get(roadmap.get_absolute_url()).content.decode()
    pk = dict(Item.objects.values_list("key", "pk"))

    def first_button(key: str) -> str:
        widget = re.search(rf'<div class="learner-item[^"]*" id="learner-item-{pk[key]}".*?</div>', html).group(0)
        return re.search(r'value="\d+ in_progress">([^<]+)</button>', widget).group(1)

    assert first_button("tuning") == "Add to my plan"
    assert first_button("engine-my") == "Pick this one"
    assert first_button("sql-basics") == "Start"


def test_a_subtopics_tick_moves_its_topics_progress_in_the_htmx_answer(learner_client, learner, roadmap):
    from django.urls import reverse

    from roadmaps.models import Item
    from tests.progress_helpers import make_enrolment

    enrolment = make_enrolment(learner, roadmap)
    parent = Item.objects.get(key="pick-engine")
    subtopics = list(Item.objects.filter(parent=parent, kind="topic").active())
    assert len(subtopics) >= 2
    page = learner_client.get(roadmap.get_absolute_url()).content.decode()
    assert f'<p class="topic-progress muted" id="topic-progress-{parent.pk}">0 of {len(subtopics)} subtopics done' \
        in page

    answer = learner_client.post(
        reverse("progress:item_state_pick", args=[enrolment.pk]), {"set": f"{subtopics[0].pk} done"},
        HTTP_HX_REQUEST="true",
    ).content.decode()

    assert (f'<p class="topic-progress muted" id="topic-progress-{parent.pk}" data-hx-swap-oob="true">'
            f'1 of {len(subtopics)} subtopics done') in answer
