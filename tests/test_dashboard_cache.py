"""The dashboard is rendered once per change and then served from the cache
(progress.dashboard_cache): never stale after a write, an editor's change or
midnight, never shared between learners or browser sessions."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from progress import dashboard_cache
from progress.dashboard import load_dashboard
from progress.models import ItemProgress
from progress.schedule import local_today
from progress.services import enrolment_leave
from roadmaps.models import Roadmap
from roadmaps.services import default_prompts_changed, roadmap_touch
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items

DASHBOARD = "/dashboard/"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _version(user) -> int:
    return User.objects.values_list("data_version", flat=True).get(pk=user.pk)


def _without_tokens(html: str) -> str:
    return CSRF_INPUT.sub("", html)


@pytest.fixture
def spy_load():
    with mock.patch("progress.views_dashboard.load_dashboard", wraps=load_dashboard) as spy:
        yield spy


def test_it_serves_a_repeat_view_from_the_cache_with_no_query_of_its_own(
    learner_client, learner, roadmap, spy_load, django_assert_num_queries
):
    make_enrolment(learner, roadmap)
    first = learner_client.get(DASHBOARD).content.decode()
    with django_assert_num_queries(2):  # session, user: the key is all on the user row
        again = learner_client.get(DASHBOARD).content.decode()
    assert spy_load.call_count == 1
    assert _without_tokens(again) == _without_tokens(first)
    assert roadmap.title in again
    assert dashboard_cache.CSRF_PLACEHOLDER not in again


def test_it_shows_the_learners_own_writes_on_the_next_view(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    item = roadmap_items(roadmap)[0]
    assert "0 of" in learner_client.get(DASHBOARD).content.decode()

    learner_client.post(reverse("progress:item_state", args=[enrolment.pk, item.pk]), {"state": "done"})
    body = learner_client.get(DASHBOARD).content.decode()
    assert "1 of" in body and item.title in body  # the bar, and recent activity

    today = local_today(learner.time_zone)
    learner_client.post(reverse("progress:log_add"), {"date": today.isoformat(), "minutes": "75"})
    assert "75 min" in learner_client.get(DASHBOARD).content.decode()


def test_it_moves_the_version_after_every_signed_in_write_only(client, learner_client, learner):
    before = _version(learner)
    learner_client.get(DASHBOARD)
    assert _version(learner) == before
    learner_client.post(reverse("progress:log_add"), {"date": "not a date", "minutes": "-5"})  # a form error
    assert _version(learner) == before + 1
    anonymous = Client()
    assert anonymous.post(reverse("progress:log_add"), {}).status_code == 302  # to sign in, nothing to move
    assert _version(learner) == before + 1


def test_it_shows_an_editors_change_to_the_roadmap_on_the_next_view(learner_client, learner, other_learner, roadmap):
    make_enrolment(learner, roadmap)
    elsewhere = make_roadmap()
    make_enrolment(other_learner, elsewhere)
    learner_client.get(DASHBOARD)
    untouched = _version(other_learner)

    Roadmap.objects.filter(pk=roadmap.pk).update(title="Renamed by the editor")
    roadmap_touch(roadmap=roadmap)  # what every admin save of the roadmap or a step does
    assert "Renamed by the editor" in learner_client.get(DASHBOARD).content.decode()

    roadmap.refresh_from_db()
    roadmap.title = "Saved by the importer"
    roadmap.save()  # Roadmap.save() is enough on its own (post_save)
    assert "Saved by the importer" in learner_client.get(DASHBOARD).content.decode()
    assert _version(other_learner) == untouched  # not on that roadmap: their dashboard stays cached


def test_it_draws_every_enrolled_learner_again_when_the_default_prompts_change(learner, other_learner, roadmap):
    make_enrolment(learner, roadmap)
    enrolment_leave(enrolment=make_enrolment(other_learner, make_roadmap()), today=local_today("UTC"))
    mine, theirs = _version(learner), _version(other_learner)
    default_prompts_changed()
    assert _version(learner) == mine + 1
    assert _version(other_learner) == theirs  # follows nothing: no dashboard card to redraw


def test_it_draws_again_on_the_learners_next_day(learner_client, learner, roadmap, spy_load):
    make_enrolment(learner, roadmap)
    learner_client.get(DASHBOARD)
    tomorrow = local_today(learner.time_zone) + timedelta(days=1)
    with mock.patch("progress.views_dashboard.local_today", return_value=tomorrow):
        learner_client.get(DASHBOARD)
    assert spy_load.call_count == 2
    assert spy_load.call_args.kwargs["today"] == tomorrow


def test_it_draws_again_when_the_goal_or_time_zone_changes(learner_client, learner, roadmap, spy_load):
    make_enrolment(learner, roadmap)
    learner_client.get(DASHBOARD)
    User.objects.filter(pk=learner.pk).update(weekly_hours_goal=21)  # e.g. staff, in the admin
    assert "of 21 h" in learner_client.get(DASHBOARD).content.decode()
    User.objects.filter(pk=learner.pk).update(time_zone="Pacific/Auckland")
    learner_client.get(DASHBOARD)
    assert spy_load.call_count == 3


def test_it_gives_each_browser_session_a_token_of_its_own(learner, roadmap):
    make_enrolment(learner, roadmap)
    laptop, phone = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    laptop.force_login(learner)
    phone.force_login(learner)
    laptop.get(DASHBOARD)  # fills the cache
    page = phone.get(DASHBOARD).content.decode()  # served from it
    token = CSRF_INPUT.search(page).group(1)
    today = local_today(learner.time_zone)
    response = phone.post(
        reverse("progress:planned_break"),
        {"week": today.isoformat(), "action": "mark", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert "Planned break" in phone.get(DASHBOARD).content.decode()


def test_it_never_serves_one_learners_dashboard_to_another(client, learner, other_learner, roadmap):
    plan = reverse("progress:plan", args=[make_enrolment(learner, roadmap).pk])
    client.force_login(learner)
    assert plan in client.get(DASHBOARD).content.decode()
    client.force_login(other_learner)
    body = client.get(DASHBOARD).content.decode()
    assert plan not in body and "Your dashboard" in body


def test_it_shows_a_message_once_outside_the_cached_part(learner_client, learner, roadmap):
    make_enrolment(learner, roadmap)
    today = local_today(learner.time_zone)
    response = learner_client.post(
        reverse("progress:planned_break"), {"week": today.isoformat(), "action": "mark"}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith(DASHBOARD)
    flash = [str(message) for message in response.context["messages"]]
    assert flash and flash[0] in response.content.decode()
    assert flash[0] not in learner_client.get(DASHBOARD).content.decode()


def test_it_shows_a_staff_change_to_a_learners_rows(client, editor, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    row = ItemProgress.objects.create(enrolment=enrolment, item=roadmap_items(roadmap)[0], state="in_progress")
    before = _version(learner)
    editor.is_superuser = True  # the delete view needs the model permission
    editor.save()
    client.force_login(editor)
    response = client.post(reverse("admin:progress_itemprogress_delete", args=[row.pk]), {"post": "yes"})
    assert response.status_code == 302 and not ItemProgress.objects.exists()
    assert _version(learner) == before + 1  # the learner's, not only the editor's own POST


def test_it_serves_the_page_when_the_cache_is_down(learner, roadmap):
    make_enrolment(learner, roadmap)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    with mock.patch("config.caching.cache.get", side_effect=ConnectionError("redis down")):
        page = browser.get(DASHBOARD).content.decode()
    assert roadmap.title in page
    token = CSRF_INPUT.search(page).group(1)
    assert token != dashboard_cache.CSRF_PLACEHOLDER.strip("\x00")
    response = browser.post(
        reverse("progress:planned_break"),
        {"week": local_today(learner.time_zone).isoformat(), "action": "mark", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_it_keys_on_the_code_so_a_deploy_never_serves_old_markup(tmp_path, settings):
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>before</p>")
    settings.BASE_DIR = tmp_path
    dashboard_cache.code_digest.cache_clear()
    try:
        before = dashboard_cache.code_digest()
        page.write_text("<p>after</p>")
        dashboard_cache.code_digest.cache_clear()
        assert dashboard_cache.code_digest() != before
    finally:
        dashboard_cache.code_digest.cache_clear()
