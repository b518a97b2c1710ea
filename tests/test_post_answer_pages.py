"""A page drawn in answer to a POST that did not validate (the form given
back with its errors) lives at the form's address, which answers POST only.
Its own links and "next" fields (theme, language, pagination) must go to
the page's own address: back at the POST URL they would answer 405."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from progress.models import StudyEntry
from tests.groups_helpers import add_member, make_group
from tests.progress_helpers import make_enrolment, roadmap_items

pytestmark = pytest.mark.django_db


def nexts(body: str) -> set[str]:
    return set(re.findall(r'<input type="hidden" name="next" value="([^"]*)">', body))


def page_links(body: str) -> set[str]:
    return set(re.findall(r'rel="(?:prev|next)" href="([^"]*)"', body))


def assert_all_go_to(response, page: str, post_url: str) -> None:
    assert response.status_code == 400
    body = response.content.decode()
    theme_and_language = {value for value in nexts(body) if value.startswith("/") and "#" not in value}
    assert theme_and_language == {page}, theme_and_language
    assert all(not value.startswith(post_url) for value in nexts(body))


def test_a_bad_planned_break_page_links_to_the_study_log(learner_client, learner):
    # Enough entries for a second page, so the pagination links are there.
    today = timezone.localdate()
    StudyEntry.objects.bulk_create([StudyEntry(user=learner, date=today - timedelta(days=n), minutes=10)
                                    for n in range(60)])
    url = reverse("progress:planned_break")
    response = learner_client.post(url, {"week": "", "action": "mark"})
    log_list = reverse("progress:log_list")
    assert_all_go_to(response, log_list, url)
    links = page_links(response.content.decode())
    assert links and all(link.startswith(f"{log_list}?") for link in links), links
    assert learner_client.get(next(iter(links)).replace("&amp;", "&")).status_code == 200


def test_a_failed_quick_log_page_links_to_the_dashboard(learner_client, learner, roadmap):
    make_enrolment(learner, roadmap)
    item = roadmap_items(roadmap)[0]
    url = reverse("progress:dashboard_item_log")
    response = learner_client.post(url, {"item": item.pk, "minutes": 0})
    assert_all_go_to(response, reverse("dashboard"), url)


def test_a_bad_pace_page_links_to_the_plan(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    url = reverse("progress:change_pace", args=[enrolment.pk])
    response = learner_client.post(url, {"pace": "own", "hours_per_week": "0"})
    assert_all_go_to(response, reverse("progress:plan", args=[enrolment.pk]), url)


def test_a_bad_nudge_page_links_to_the_member(learner_client, learner, other_learner, roadmap):
    group = make_group(learner, roadmap=roadmap)
    member = add_member(group, other_learner)
    url = reverse("groups:nudge", args=[group.pk, member.pk])
    response = learner_client.post(url, {"message": ""})
    assert_all_go_to(response, reverse("groups:member", args=[group.pk, member.pk]), url)


def test_a_page_read_by_get_keeps_its_own_address(learner_client):
    body = learner_client.get(reverse("progress:log_list") + "?page=1").content.decode()
    assert reverse("progress:log_list") + "?page=1" in nexts(body)
