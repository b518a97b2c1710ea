"""Published roadmap content is cached, keyed on updated_at (roadmap_touch)."""

import pickle
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roadmaps.cache import cached_roadmap_content, roadmap_content_cache_clear
from roadmaps.models import Item, RetrospectivePrompt, Status
from roadmaps.services import roadmap_touch
from tests.factories import make_roadmap

pytestmark = pytest.mark.django_db
# steps, items, and the small tables (pace plans, guidance, metrics, prompts,
# tags) in one round trip (roadmaps/side_tables.py).
CONTENT_QUERIES = 3


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_it_serves_the_second_request_from_the_cache(client, roadmap):
    first, _ = _queries(client, roadmap.get_absolute_url())
    second, _ = _queries(client, roadmap.get_absolute_url())
    assert second == first - CONTENT_QUERIES


def test_it_loads_cached_content_without_queries(roadmap, django_assert_num_queries):
    with django_assert_num_queries(CONTENT_QUERIES):
        fresh = cached_roadmap_content(roadmap)
    with django_assert_num_queries(0):
        cached = cached_roadmap_content(roadmap)
    assert [item.title for item in cached.items] == [item.title for item in fresh.items]
    assert cached.roadmap is roadmap


def test_it_shows_new_content_once_the_roadmap_is_touched(client, roadmap):
    url = roadmap.get_absolute_url()
    client.get(url)
    item = Item.objects.filter(roadmap=roadmap).first()
    item.title = "A brand new title"
    item.save(update_fields=["title"])
    # Saved without roadmap_touch: readers still get the cached copy.
    assert "A brand new title" not in client.get(url).content.decode()
    roadmap_touch(roadmap=roadmap)
    assert "A brand new title" in client.get(url).content.decode()


def test_it_shows_new_default_prompts_after_a_cache_clear(roadmap):
    cached_roadmap_content(roadmap)
    RetrospectivePrompt.objects.create(roadmap=None, text="What surprised you?", position=99)
    assert "What surprised you?" not in [p.text for p in cached_roadmap_content(roadmap).prompts]
    roadmap_content_cache_clear()
    assert "What surprised you?" in [p.text for p in cached_roadmap_content(roadmap).prompts]


def test_it_never_caches_drafts(editor_client):
    draft = make_roadmap(status=Status.DRAFT)
    first, _ = _queries(editor_client, draft.get_absolute_url())
    second, _ = _queries(editor_client, draft.get_absolute_url())
    assert second == first


def test_it_serves_the_page_when_the_cache_is_down(client, roadmap):
    with mock.patch("roadmaps.cache.cache.get_or_set", side_effect=ConnectionError("redis down")):
        response = client.get(roadmap.get_absolute_url())
    assert response.status_code == 200
    assert roadmap.title in response.content.decode()


def test_it_caches_nothing_about_the_reader(learner_client, learner, roadmap):
    learner_client.get(roadmap.get_absolute_url())  # fills the cache while signed in
    with CaptureQueriesContext(connection) as captured:
        content = cached_roadmap_content(roadmap)
    assert len(captured) == 0  # the entry the learner's request stored
    stored = pickle.dumps(content)
    assert learner.email.encode() not in stored
    assert learner_client.cookies["csrftoken"].value.encode() not in stored
