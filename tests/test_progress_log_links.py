""""Log time on this" where a learner works on items: an item's notes page
(the roadmap page's shared widgets link there) and the plan's weeks ahead,
as on the dashboard's up next."""

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from progress import summaries
from progress.models import ItemProgress, StudyEntry
from tests.progress_helpers import make_enrolment, roadmap_items

pytestmark = pytest.mark.django_db

LOG_LINK = re.compile(r'<a class="learner-(?:item|weeks)__log" href="([^"]+)">Log time'
                      r'<span class="visually-hidden"> on ([^<]+)</span></a>')


def log_links(html: str) -> list[tuple[str, str]]:
    return [(unescape(href), title) for href, title in LOG_LINK.findall(html)]


def test_it_offers_log_time_on_the_items_notes_page(learner_client, learner, roadmap):
    """The roadmap page's widgets are shared by every learner and kept light
    (a state's buttons and "Notes"); logging time on an item is one click
    further, on the item's own page."""
    enrolment = make_enrolment(learner, roadmap)
    item = roadmap_items(roadmap)[0]
    html = learner_client.get(reverse("progress:item_details", args=[enrolment.pk, item.pk])).content.decode()
    assert f"/progress/log/add/?item={item.pk}" in html

def test_it_offers_no_log_link_to_visitors_readers_and_leavers(client, learner_client, learner, roadmap):
    assert log_links(client.get(roadmap.get_absolute_url()).content.decode()) == []
    assert log_links(learner_client.get(roadmap.get_absolute_url()).content.decode()) == []  # not enrolled
    enrolment = make_enrolment(learner, roadmap, status="left", left_at=timezone.now())
    ItemProgress.objects.create(enrolment=enrolment, item=roadmap_items(roadmap)[0], state="done")
    html = learner_client.get(roadmap.get_absolute_url()).content.decode()
    assert 'id="learner-item-' in html and log_links(html) == [] and '<form id="ls"' not in html
    notes = learner_client.get(reverse("progress:item_details", args=[enrolment.pk, roadmap_items(roadmap)[0].pk]))
    assert "Log time on this item" not in notes.content.decode()
    plan = learner_client.get(reverse("progress:plan", args=[enrolment.pk])).content.decode()
    assert "The weeks ahead" in plan and log_links(plan) == []
    client.logout()
    assert client.get(reverse("progress:plan", args=[enrolment.pk])).status_code == 302  # to sign in


def test_it_logs_time_from_an_items_notes_page_and_returns_to_the_item(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    item = roadmap_items(roadmap)[2]
    notes = learner_client.get(reverse("progress:item_details", args=[enrolment.pk, item.pk])).content.decode()
    href = unescape(re.search(r'<a href="(/progress/log/add/[^"]+)">Log time on this item</a>', notes)[1])
    assert href == f"/progress/log/add/?item={item.pk}&next=/roadmaps/{roadmap.slug}/%23item-{item.pk}"
    form = learner_client.get(href).content.decode()
    assert f"Log time on {item.title}" in form
    assert re.search(rf'<option value="{item.pk}" selected>', form)
    assert f'name="next" value="/roadmaps/{roadmap.slug}/#item-{item.pk}"' in form
    response = learner_client.post(href, {"date": date.today().isoformat(), "minutes": "40", "item": item.pk,
                                          "next": f"/roadmaps/{roadmap.slug}/#item-{item.pk}"})
    assert response.status_code == 302 and response["Location"] == f"/roadmaps/{roadmap.slug}/#item-{item.pk}"
    entry = StudyEntry.objects.get()
    assert entry.item == item and entry.minutes == 40


def test_it_offers_log_time_in_the_plans_weeks_ahead(learner_client, learner, roadmap,
                                                    django_assert_max_num_queries):
    enrolment = make_enrolment(learner, roadmap)
    summaries.rebuild(enrolments=[enrolment])
    plan_url = reverse("progress:plan", args=[enrolment.pk])
    learner_client.get(plan_url)  # the content cache, warm
    with django_assert_max_num_queries(10):  # as test_it_shows_the_plan: the links cost nothing
        html = learner_client.get(plan_url).content.decode()
    links = log_links(html)
    titles = re.findall(r'<li><a href="/roadmaps/[^"]+#item-\d+">([^<]+)</a>', html)  # the weeks' items
    assert titles and [title for _, title in links] == titles
    by_title = {item.title: item for item in roadmap_items(roadmap)}
    assert [href for href, _ in links] == [f"/progress/log/add/?item={by_title[t].pk}&next={plan_url}" for t in titles]
    form = learner_client.get(links[0][0]).content.decode()
    assert f'name="next" value="{plan_url}"' in form
