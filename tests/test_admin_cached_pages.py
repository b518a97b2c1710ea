"""Admin edits that reach cached pages: a roadmap page shows its tags and the
default retrospective prompts from its cache, so editing either is an edit of
every roadmap that shows it."""

from __future__ import annotations

import pytest

from roadmaps.models import RetrospectivePrompt, Tag
from tests.factories import make_roadmap

pytestmark = pytest.mark.django_db


def _page(client, roadmap) -> str:
    return client.get(roadmap.get_absolute_url()).content.decode()


def test_it_shows_a_renamed_tag_on_a_cached_roadmap_page(client, editor_client):
    roadmap = make_roadmap(tags=["Postgres"])
    visitor = client.__class__()
    assert ">Postgres</a>" in _page(visitor, roadmap)  # now cached
    tag = Tag.objects.get(slug="postgres")
    response = editor_client.post(f"/admin/roadmaps/tag/{tag.pk}/change/", {"name": "PostgreSQL", "slug": "postgres"})
    assert response.status_code == 302
    page = _page(visitor, roadmap)
    assert ">PostgreSQL</a>" in page and ">Postgres</a>" not in page


def test_it_drops_a_deleted_tag_from_a_cached_roadmap_page(client, editor_client):
    roadmap = make_roadmap(tags=["Perl"])
    visitor = client.__class__()
    assert ">Perl</a>" in _page(visitor, roadmap)
    tag = Tag.objects.get(slug="perl")
    response = editor_client.post(f"/admin/roadmaps/tag/{tag.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Tag.objects.exists()
    assert ">Perl</a>" not in _page(visitor, roadmap)


def test_it_shows_an_edited_default_prompt_on_a_cached_roadmap_page(client, editor_client):
    roadmap = make_roadmap()
    visitor = client.__class__()
    prompt = RetrospectivePrompt.objects.filter(roadmap__isnull=True).order_by("position").first()
    assert prompt.text in _page(visitor, roadmap)
    response = editor_client.post(
        f"/admin/roadmaps/retrospectiveprompt/{prompt.pk}/change/",
        {"position": prompt.position, "text": "Which habit carried you this fortnight?"},
    )
    assert response.status_code == 302
    assert "Which habit carried you this fortnight?" in _page(visitor, roadmap)
