"""The public roadmap page with a learner's state on it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from progress import summaries
from progress.models import ItemProgress, Milestone
from roadmaps.models import Item
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items

pytestmark = pytest.mark.django_db

# The page itself: session, user, roadmap, steps, items, and the small tables
# in one round trip (pace plans, guidance, metrics, prompts, tags).
BASE_QUERIES = 6
# With the roadmap's content in the cache: session, user, roadmap.
WARM_QUERIES = 3


def test_it_offers_sign_in_to_visitors(client, roadmap):
    response = client.get(roadmap.get_absolute_url())
    assert b"to follow this roadmap" in response.content and b"learner-item" not in response.content


def test_it_offers_the_enrol_form_to_a_signed_in_learner(learner_client, roadmap, django_assert_num_queries):
    with django_assert_num_queries(BASE_QUERIES + 1):  # + looking for an enrolment
        response = learner_client.get(roadmap.get_absolute_url())
    assert b"Follow this roadmap" in response.content and b"learner-item" not in response.content


def _learner_page_queries(client, learner, *, steps: int, per_step: int) -> tuple[int, int, str]:
    roadmap = make_roadmap(steps=steps, items_per_step=per_step)
    enrolment = make_enrolment(learner, roadmap)
    items = roadmap_items(roadmap)
    ItemProgress.objects.bulk_create(
        ItemProgress(enrolment=enrolment, item=item, state="done", note=f"note {n}")
        for n, item in enumerate(items[: len(items) // 2])
    )
    Milestone.objects.create(enrolment=enrolment, step=roadmap.steps.first(), title="My own milestone")
    summaries.rebuild(enrolments=[enrolment])  # what the write services keep
    with CaptureQueriesContext(connection) as cold:
        client.get(roadmap.get_absolute_url())
    with CaptureQueriesContext(connection) as warm:
        response = client.get(roadmap.get_absolute_url())
    html = response.content.decode()
    assert html.count('id="learner-item-') == len(items)
    assert "My own milestone" in html and 'id="roadmap-progress"' in html
    assert html.count("note ") >= len(items) // 2
    return len(cold.captured_queries), len(warm.captured_queries), html


def test_it_shows_the_learners_state_in_the_same_bounded_queries_whatever_the_size(learner_client, learner):
    """An enrolled learner's page: at most 11 queries whether the roadmap has
    5 items or 2,000, cold (content read after an editor's save) or warm.
    (10 before spaced review: the finish date it shows counts the hours due
    reviews take, one query whatever the number of cards.)"""
    small = _learner_page_queries(learner_client, learner, steps=1, per_step=5)
    big = _learner_page_queries(learner_client, learner, steps=50, per_step=40)
    assert small[:2] == big[:2]
    assert max(small[:2]) <= 11


def test_it_counts_the_same_on_the_roadmap_page_and_the_plan(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    first, second = roadmap_items(roadmap)[:2]
    ItemProgress.objects.create(enrolment=enrolment, item=first, state="done")
    ItemProgress.objects.create(enrolment=enrolment, item=second, state="skipped")
    page = learner_client.get(roadmap.get_absolute_url()).content.decode()
    plan = learner_client.get(f"/progress/{enrolment.pk}/").content.decode()
    # 6 items of 2 h: one done, one skipped → 1 of 5 done, 2 of 10 hours.
    for html in (page, plan):
        assert "20% · 1 of 5 done · 1 skipped" in html
        assert 'aria-valuetext="20% done, 2 of 10 hours"' in html


def test_it_tells_about_added_and_removed_items(learner_client, learner, roadmap):
    Item.objects.filter(roadmap=roadmap).update(created_at=timezone.now() - timedelta(days=10))
    enrolment = make_enrolment(learner, roadmap)
    enrolment.created_at = timezone.now() - timedelta(days=3)
    enrolment.save()
    retired = roadmap_items(roadmap)[0]
    ItemProgress.objects.create(enrolment=enrolment, item=retired, state="done", note="my precious note")
    retired.retired_at = timezone.now()
    retired.save()
    step = roadmap.steps.first()
    Item.objects.create(roadmap=roadmap, step=step, kind="topic", key="new-one", position=99, title="Brand new")
    page = learner_client.get(roadmap.get_absolute_url()).content.decode()
    assert "Since you last looked: 1 item added" in page
    assert page.count('<span class="badge badge--accent">New</span>') == 1
    assert "0 of 6 done" in page  # the retired item left the count, the new one joined it
    plan = learner_client.get(f"/progress/{enrolment.pk}/").content.decode()
    assert "Removed from the roadmap" in plan and "my precious note" in plan


def test_every_item_shows_its_own_state_in_its_own_place(learner_client, learner):
    """The widgets are kept in the sections' slot order: each item's widget
    lands under that item, for a learner following the roadmap and, as a
    badge without buttons, for one who left it."""
    import re

    from progress.models import EnrolmentStatus

    # Six items a step: two topics and two resources each, so the page's
    # order (by kind) is not the order the items were made in.
    roadmap = make_roadmap(steps=3, items_per_step=6)
    enrolment = make_enrolment(learner, roadmap)
    items = roadmap_items(roadmap)
    states = {items[1].pk: "done", items[4].pk: "skipped", items[10].pk: "in_progress"}
    ItemProgress.objects.bulk_create(ItemProgress(enrolment=enrolment, item_id=pk, state=s) for pk, s in states.items())
    summaries.rebuild(enrolments=[enrolment])

    def widgets(page):
        # item pk -> the state of the widget inside that item's <li>
        found = {}
        # Each item's <li> up to the next item's: the widget between belongs to it.
        for pk, body in re.findall(r'id="item-(\d+)">(.*?)(?=id="item-\d+">|$)', page, re.DOTALL):
            state = re.search(r'class="learner-item(?: learner-item--(\w+))?" id="learner-item-(\d+)"', body)
            found[int(pk)] = (state.group(1) or "not_started", int(state.group(2))) if state else None
        return found

    for _ in range(2):  # the first view renders the widgets, the second reads them from the cache
        shown = widgets(learner_client.get(roadmap.get_absolute_url()).content.decode())
        assert shown == {item.pk: (states.get(item.pk, "not_started"), item.pk) for item in items}

    enrolment.status, enrolment.left_at = EnrolmentStatus.LEFT, timezone.now()
    enrolment.save(update_fields=["status", "left_at"])
    shown = widgets(learner_client.get(roadmap.get_absolute_url()).content.decode())
    assert shown == {item.pk: (states[item.pk], item.pk) if item.pk in states else None for item in items}
