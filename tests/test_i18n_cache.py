"""Cached roadmap pages never cross languages: the sections and the learner's
item widgets are cached for every reader, so their keys carry the interface
language; a page first rendered in Spanish is not served in Spanish to an
English reader, nor the other way round."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from tests.factories import make_full_roadmap
from tests.progress_helpers import make_enrolment

pytestmark = pytest.mark.django_db

NOTES = {"es": "Notas", "en": "Notes"}  # the item widget's link (progress/includes/item_widget.html)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def widget_links(page: str) -> set[str]:
    return set(re.findall(r'<a href="/progress/items/\d+/">([^<]+)</a>', page))


@pytest.mark.parametrize("first, then", [("es", "en"), ("en", "es")])
def test_a_cached_roadmap_page_answers_in_each_readers_language(learner_client, learner, first, then):
    roadmap = make_full_roadmap()  # published: its sections and widgets are cached
    make_enrolment(learner, roadmap)
    url = roadmap.get_absolute_url()

    assert widget_links(learner_client.get(url, HTTP_ACCEPT_LANGUAGE=first).content.decode()) == {NOTES[first]}
    assert widget_links(learner_client.get(url, HTTP_ACCEPT_LANGUAGE=then).content.decode()) == {NOTES[then]}
