"""The roadmap page's content sections are rendered once for everyone and
cached (roadmaps/cache.py); the learner's state is filled into their slots."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client

from progress.models import ItemProgress, Milestone
from roadmaps import cache as roadmap_cache
from roadmaps.services import roadmap_touch
from tests.progress_helpers import make_enrolment, roadmap_items

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_it_serves_a_visitor_from_the_cache_in_one_query(client, roadmap, django_assert_num_queries):
    client.get(roadmap.get_absolute_url())
    with mock.patch("roadmaps.cache.render_roadmap_sections") as render, \
            mock.patch("roadmaps.views.cached_roadmap_content") as content:
        with django_assert_num_queries(1):  # the roadmap (its tags are cached with the sections)
            response = client.get(roadmap.get_absolute_url())
    assert response.status_code == 200
    assert not render.called and not content.called  # neither rendered nor unpickled
    html = response.content.decode()
    assert "learner-slot" not in html and "learner-item" not in html
    assert all(item.title in html for item in roadmap_items(roadmap))


def test_it_never_shares_a_learners_state_with_visitors(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    item = roadmap_items(roadmap)[0]
    ItemProgress.objects.create(enrolment=enrolment, item=item, state="done", note="my private note")
    Milestone.objects.create(enrolment=enrolment, step=roadmap.steps.first(), title="My own milestone")
    mine = learner_client.get(roadmap.get_absolute_url()).content.decode()  # fills the cache
    assert mine.count('id="learner-item-') == len(roadmap_items(roadmap))
    assert "my private note" in mine and "My own milestone" in mine
    assert mine.count('class="learner-step"') == roadmap.steps.count()
    seen = Client().get(roadmap.get_absolute_url()).content.decode()
    for private in ("my private note", "My own milestone", "learner-item", "learner-step"):
        assert private not in seen
    stored = list(cache._cache.values())  # locmem: pickled bytes
    assert any(b"learner-item-" in value for value in stored)  # the shared widgets are cached...
    assert not any(b"my private note" in value or b"csrfmiddlewaretoken" in value or b"My own milestone" in value
                   for value in stored)  # ...nothing of the learner's is


def test_it_fills_the_slots_for_a_learner_after_a_visitor(learner_client, learner, roadmap):
    Client().get(roadmap.get_absolute_url())  # a visitor fills the cache
    make_enrolment(learner, roadmap)
    html = learner_client.get(roadmap.get_absolute_url()).content.decode()
    assert html.count('id="learner-item-') == len(roadmap_items(roadmap))
    assert "learner-slot" not in html
    # One form carries the token, around the sections: every item's buttons submit it.
    form = re.search(r'<form id="ls" method="post" action="([^"]+)"[^>]*><input type="hidden" '
                     r'name="csrfmiddlewaretoken" value="[^"]+">(.*?)</form>', html, re.S)
    assert form and form[2].count(' name="set" value=') >= len(roadmap_items(roadmap))
    assert "<form" not in form[2] and html.count(' name="set" value=') == form[2].count(' name="set" value=')


def test_it_renders_again_once_the_roadmap_is_touched(client, roadmap):
    url = roadmap.get_absolute_url()
    client.get(url)
    step = roadmap.steps.first()
    step.title = "A renamed step"
    step.save(update_fields=["title"])
    assert "A renamed step" not in client.get(url).content.decode()  # no roadmap_touch: still cached
    roadmap_touch(roadmap=roadmap)
    assert "A renamed step" in client.get(url).content.decode()


def test_it_keys_the_html_on_the_templates_too(client, roadmap):
    client.get(roadmap.get_absolute_url())
    with mock.patch("roadmaps.cache._templates_digest", return_value="changed"), \
            mock.patch("roadmaps.cache.render_roadmap_sections", wraps=roadmap_cache.render_roadmap_sections) as render:
        client.get(roadmap.get_absolute_url())
    assert render.called


def test_it_serves_the_page_when_the_cache_is_down(client, roadmap):
    with mock.patch("roadmaps.cache.cache.get_or_set", side_effect=ConnectionError("redis down")):
        response = client.get(roadmap.get_absolute_url())
    assert response.status_code == 200
    assert roadmap_items(roadmap)[0].title in response.content.decode()


def test_it_offers_the_enrol_form_without_loading_the_content(learner_client, roadmap, django_assert_num_queries):
    learner_client.get(roadmap.get_absolute_url())
    with mock.patch("roadmaps.views.cached_roadmap_content") as content:
        with django_assert_num_queries(4):  # session, user, the roadmap, looking for an enrolment
            response = learner_client.get(roadmap.get_absolute_url())
    assert not content.called
    html = response.content.decode()
    assert "Follow this roadmap" in html
    for plan in roadmap.pace_plans.all():
        assert plan.name in html
