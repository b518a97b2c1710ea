"""What a sentence says of progress: never "0%" once something is done, never
"100%" with something left; the bars themselves keep the rounded figure."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal as D

import pytest

from progress.schedule import Progress, local_today
from roadmaps.models import Item
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items


def progress(done_hours, total_hours, done, items) -> Progress:
    return Progress(D(done_hours), D(total_hours), done, items, skipped_count=0, in_progress_count=0)


@pytest.mark.parametrize(
    ("done_hours", "total_hours", "done", "items", "percent", "shown"),
    [
        (0, 650, 0, 71, 0, "0"),
        ("1.5", 650, 1, 71, 0, "<1"),  # 0.23% rounds to 0
        (4, 650, 3, 71, 1, "1"),
        (649, 650, 70, 71, 100, "99"),  # 99.85% rounds to 100, one item left
        (650, 650, 71, 71, 100, "100"),
        (0, 10, 1, 2, 0, "<1"),  # a done item of no hours still counts as something done
        (5, 10, 1, 2, 50, "50"),
    ],
)
def test_the_shown_percent_is_honest_at_both_ends(done_hours, total_hours, done, items, percent, shown):
    figure = progress(done_hours, total_hours, done, items)
    assert (figure.percent, figure.shown_percent) == (percent, shown)


@pytest.mark.django_db
def test_a_first_small_item_on_a_long_roadmap_reads_under_one_percent(learner_client, learner):
    roadmap = make_roadmap(steps=2, items_per_step=20)
    Item.objects.filter(roadmap=roadmap).update(estimated_hours=D(20))
    first = roadmap_items(roadmap)[0]
    Item.objects.filter(pk=first.pk).update(estimated_hours=D("0.5"))  # 0.5 of 780.5 hours: 0.06%
    enrolment = make_enrolment(learner, roadmap, start_date=local_today(learner.time_zone) - timedelta(days=1))
    said = learner_client.post(
        f"/progress/{enrolment.pk}/items/{first.pk}/state/", {"state": "done"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f"&lt;1% of {roadmap.title}" in said  # the live region
    pages = ("/dashboard/", f"/progress/{enrolment.pk}/", roadmap.get_absolute_url())
    for page in pages:
        text = " ".join(learner_client.get(page).content.decode().split())
        assert "&lt;1% · 1 of 40 done" in text, page
        assert re.search(r'<progress [^>]*value="0"', text), page  # the bar itself stays at its rounded width
        assert "0% · 1 of 40 done" not in text.replace("&lt;1% · 1 of 40 done", ""), page
