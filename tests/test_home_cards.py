"""Home page cards: the step count comes from a plain COUNT (not with_stats),
and must agree with with_stats() and the catalogue for every roadmap."""

from __future__ import annotations

import re

import pytest

from roadmaps.models import Roadmap
from tests.factories import make_roadmap

pytestmark = pytest.mark.django_db


def test_it_shows_the_same_step_counts_as_with_stats(client):
    make_roadmap(title="Three steps", steps=3, items_per_step=4, tags=["Go", "SQL", "Docker"], featured=True)
    make_roadmap(title="One step", steps=1, items_per_step=1, tags=["Go"])
    make_roadmap(title="No steps", steps=0, items_per_step=0)
    html = client.get("/").content.decode()
    expected = {roadmap.title: roadmap.step_count for roadmap in Roadmap.objects.published().with_stats()}
    assert expected == {"Three steps": 3, "One step": 1, "No steps": 0}
    for title, count in expected.items():
        card = re.search(rf">{title}</a></h3>.*?</article>", html, re.S).group(0)
        assert f"<span>{count} step{'' if count == 1 else 's'}</span>" in card
    assert html.count("<li>Go</li>") == 2 and "<li>Docker</li>" in html


@pytest.mark.parametrize("query", ["", "?q=steps", "?q=Go", "?tech=go", "?q=Go&tech=sql"])
def test_the_catalogue_counts_steps_once_whatever_the_search_joins(client, query):
    # A search by text or technology joins the tags: the count must not
    # multiply by the tags a roadmap has.
    make_roadmap(title="Three steps", steps=3, items_per_step=2, tags=["Go", "SQL", "Docker"], summary="Many steps")
    make_roadmap(title="One step", steps=1, items_per_step=1, tags=["Go", "SQL"], summary="Few steps")
    html = client.get(f"/roadmaps/{query}").content.decode()
    for title, count in {"Three steps": 3, "One step": 1}.items():
        card = re.search(rf">{title}</a></h3>.*?</article>", html, re.S).group(0)
        assert f"<span>{count} step{'' if count == 1 else 's'}</span>" in card, query
