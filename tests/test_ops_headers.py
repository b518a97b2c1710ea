"""Signed-in pages are never stored by a shared cache (a proxy, a CDN)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_it_marks_signed_in_pages_private(learner_client, roadmap):
    for page in ["/dashboard/", "/", reverse("roadmaps:catalogue"), roadmap.get_absolute_url()]:
        response = learner_client.get(page)
        assert response.status_code == 200, page
        assert "private" in _directives(response), page
        assert "Cookie" in response["Vary"], page


def test_it_leaves_anonymous_pages_to_shared_caches(client, roadmap):
    response = client.get(reverse("roadmaps:catalogue"))
    assert response.status_code == 200
    assert "private" not in _directives(response)


def test_it_keeps_an_explicit_cache_control(learner_client):
    # The favicon is the same for everyone and says so itself.
    response = learner_client.get(reverse("favicon"))
    assert "public" in _directives(response)
    assert "private" not in _directives(response)
