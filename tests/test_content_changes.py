"""Content changes a learner can see: items added or renamed since they last
looked are marked on the roadmap page and the plan, the dashboard says a
roadmap they follow changed, and "Mark as seen" clears the marks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from progress.models import Enrolment
from roadmaps.models import Item
from roadmaps.services import roadmap_touch
from roadmaps.yaml_io import export_roadmap, import_roadmap_text
from tests.progress_helpers import make_enrolment, roadmap_items

NEW = '<span class="badge badge--accent">New</span>'


@pytest.fixture
def enrolment(learner, roadmap):
    Item.objects.filter(roadmap=roadmap).update(created_at=timezone.now() - timedelta(days=10))
    enrolment = make_enrolment(learner, roadmap)
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=timezone.now() - timedelta(days=3))
    enrolment.refresh_from_db()
    return enrolment


def add_and_rename(roadmap):
    step = roadmap.steps.first()
    Item.objects.create(roadmap=roadmap, step=step, kind="topic", key="fresh", position=99, title="Fresh topic")
    renamed = roadmap_items(roadmap)[0]
    old_title = renamed.title
    renamed.title = "A clearer name"
    renamed.save()
    roadmap_touch(roadmap=roadmap)
    return renamed, old_title


def test_an_admin_rename_keeps_the_old_title(roadmap):
    item = roadmap_items(roadmap)[0]
    old = item.title
    item.title = "Renamed in the admin"
    item.save(update_fields=["title"])
    item.refresh_from_db()
    assert item.previous_title == old and item.renamed_at is not None
    item.body = "no rename"
    item.save()
    item.refresh_from_db()
    assert item.previous_title == old  # a save that keeps the title keeps the record


def test_an_import_rename_keeps_the_old_title(roadmap):
    item = roadmap_items(roadmap)[0]
    old = item.title
    text = export_roadmap(roadmap).replace(f"title: {old}\n", "title: Imported new name\n", 1)
    import_roadmap_text(text)
    item.refresh_from_db()
    assert (item.title, item.previous_title) == ("Imported new name", old)
    assert item.renamed_at is not None


def test_the_roadmap_page_marks_new_and_renamed_items_until_seen(learner_client, enrolment, roadmap):
    renamed, old_title = add_and_rename(roadmap)
    page = learner_client.get(roadmap.get_absolute_url()).content.decode()
    assert "Since you last looked: 1 item added, 1 renamed" in page
    assert page.count(NEW) == 1
    assert f"was “{old_title}”" in page
    response = learner_client.post(reverse("progress:content_seen", args=[enrolment.pk]),
                                   {"next": roadmap.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == roadmap.get_absolute_url()
    page = learner_client.get(roadmap.get_absolute_url()).content.decode()
    assert NEW not in page and f"was “{old_title}”" not in page and "Since you last looked" not in page


def test_the_plan_lists_what_changed_by_name(learner_client, enrolment, roadmap):
    renamed, old_title = add_and_rename(roadmap)
    plan = learner_client.get(reverse("progress:plan", args=[enrolment.pk])).content.decode()
    section = plan[plan.index('id="changes"'):]
    assert "Fresh topic" in section and "A clearer name" in section and f"was “{old_title}”" in section


def test_the_dashboard_says_a_followed_roadmap_changed(learner_client, enrolment, roadmap):
    assert "The editors changed this roadmap" not in learner_client.get("/dashboard/").content.decode()
    add_and_rename(roadmap)
    body = learner_client.get("/dashboard/").content.decode()
    assert "The editors changed this roadmap: 1 item added, 1 renamed." in body
    assert f'{reverse("progress:plan", args=[enrolment.pk])}#changes' in body


def test_items_from_before_the_enrolment_are_not_new(learner_client, enrolment, roadmap):
    roadmap_touch(roadmap=roadmap)
    assert NEW not in learner_client.get(roadmap.get_absolute_url()).content.decode()


def test_mark_as_seen_is_the_learners_own_and_post_only(client, learner_client, other_learner, enrolment):
    url = reverse("progress:content_seen", args=[enrolment.pk])
    assert learner_client.get(url).status_code == 405
    client.force_login(other_learner)
    assert client.post(url).status_code == 404
    assert Enrolment.objects.get(pk=enrolment.pk).content_seen_at is None


def test_the_dashboard_counts_each_roadmap_since_its_own_last_look(learner):
    from progress.changes import ChangeCounts, count_changes
    from tests.factories import make_roadmap

    now = timezone.now()
    long_ago, lately = make_roadmap(), make_roadmap()
    quiet = make_roadmap()
    for roadmap in (long_ago, lately, quiet):
        Item.objects.filter(roadmap=roadmap).update(created_at=now - timedelta(days=60))
    looked = {long_ago.pk: now - timedelta(days=30), lately.pk: now - timedelta(days=2), quiet.pk: now}
    enrolments = {}
    for roadmap in (long_ago, lately, quiet):
        enrolment = make_enrolment(learner, roadmap)
        Enrolment.objects.filter(pk=enrolment.pk).update(content_seen_at=looked[roadmap.pk])
        enrolments[roadmap.pk] = enrolment
    # Ten days ago, on both: after the first look, before the second.
    for roadmap in (long_ago, lately):
        step = roadmap.steps.first()
        Item.objects.create(roadmap=roadmap, step=step, kind="topic", key="ten-days", position=90, title="Older news",
                            created_at=now - timedelta(days=10))
        first = roadmap_items(roadmap)[0]
        Item.objects.filter(pk=first.pk).update(renamed_at=now - timedelta(days=1), previous_title=first.title)
        roadmap_touch(roadmap=roadmap)
    loaded = list(Enrolment.objects.filter(user=learner).select_related("roadmap"))
    counts = count_changes(loaded)
    assert counts == {
        enrolments[long_ago.pk].pk: ChangeCounts(added=1, renamed=1),
        enrolments[lately.pk].pk: ChangeCounts(added=0, renamed=1),
    }
