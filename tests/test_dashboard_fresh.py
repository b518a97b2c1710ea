"""The dashboard is rendered afresh on every request: whatever changed the
learner's data (their own POST, an editor, staff in the admin) shows on the
next view, and nothing of one learner or one browser session reaches another."""

from __future__ import annotations

import re

from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from progress.models import Enrolment
from progress.schedule import local_today
from roadmaps.models import Roadmap
from roadmaps.services import roadmap_touch
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items

DASHBOARD = "/dashboard/"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _page(client) -> str:
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_new_figure_after_an_item_state_change(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    item = roadmap_items(roadmap)[0]
    assert "0 of" in _page(learner_client)

    learner_client.post(reverse("progress:item_state", args=[enrolment.pk, item.pk]), {"state": "done"})
    body = _page(learner_client)
    assert "1 of" in body and item.title in body  # the bar, and recent activity


def test_it_shows_logged_time_in_the_figures_and_the_chart_at_once(learner_client, learner):
    today = local_today(learner.time_zone)
    learner_client.post(reverse("progress:log_add"), {"date": today.isoformat(), "minutes": "75"})
    body = _page(learner_client)
    assert "75 min" in body  # recent activity
    assert "1.2 h</title></rect>" in body  # this week's bar (75 min = 1.25 h, to one decimal)

    learner_client.post(reverse("progress:log_add"), {"date": today.isoformat(), "minutes": "45"})
    assert "2 h</title></rect>" in _page(learner_client)


def test_it_shows_an_editors_change_to_the_roadmap_on_the_next_view(learner_client, learner, roadmap):
    make_enrolment(learner, roadmap)
    _page(learner_client)
    Roadmap.objects.filter(pk=roadmap.pk).update(title="Renamed by the editor")
    roadmap_touch(roadmap=roadmap)
    assert "Renamed by the editor" in _page(learner_client)


def test_it_shows_a_goal_changed_outside_the_learners_own_posts(learner_client, learner, roadmap):
    make_enrolment(learner, roadmap)
    _page(learner_client)
    User.objects.filter(pk=learner.pk).update(weekly_hours_goal=21)  # e.g. staff, in the admin
    assert "of 21 h" in _page(learner_client)


def test_it_drops_an_enrolment_moved_to_another_learner(learner, other_learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    owner, newcomer = Client(), Client()
    owner.force_login(learner)
    newcomer.force_login(other_learner)
    plan = reverse("progress:plan", args=[enrolment.pk])
    assert plan in _page(owner) and plan not in _page(newcomer)

    # The admin no longer lets staff re-own a row (tests/test_auth_admin_owners.py);
    # a move in the database (a repair script, a restore) must still show at once.
    Enrolment.objects.filter(pk=enrolment.pk).update(user=other_learner)

    assert plan not in _page(owner) and roadmap.title not in _page(owner)
    assert plan in _page(newcomer)


def test_it_never_serves_one_learners_dashboard_to_another(client, learner, other_learner, roadmap):
    plan = reverse("progress:plan", args=[make_enrolment(learner, roadmap).pk])
    client.force_login(learner)
    assert plan in _page(client)
    client.force_login(other_learner)
    body = _page(client)
    assert plan not in body and "Your dashboard" in body


def test_it_gives_each_browser_session_a_token_of_its_own(learner, roadmap):
    make_enrolment(learner, roadmap)
    laptop, phone = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    laptop.force_login(learner)
    phone.force_login(learner)
    laptop_token = CSRF_INPUT.search(_page(laptop)).group(1)
    phone_token = CSRF_INPUT.search(_page(phone)).group(1)
    assert laptop_token != phone_token
    response = phone.post(
        reverse("progress:planned_break"),
        {"week": local_today(learner.time_zone).isoformat(), "action": "mark", "csrfmiddlewaretoken": phone_token},
    )
    assert response.status_code == 302
    assert "Planned break" in _page(phone)


def test_it_renders_a_title_that_looks_like_the_old_token_placeholder_as_text(learner_client, learner):
    # PostgreSQL text cannot hold a NUL character: there, the placeholder's
    # visible part (what an import could bring) is the title.
    marker = "waymark-csrf" if connection.vendor == "postgresql" else "\x00waymark-csrf\x00"
    make_enrolment(learner, make_roadmap(title=f"{marker} & <b>friends</b>"))
    body = _page(learner_client)
    assert f"{marker} &amp; &lt;b&gt;friends&lt;/b&gt;</a>" in body  # the title, escaped, as it is
    tokens = CSRF_INPUT.findall(body)
    assert tokens and all(body.count(token) == tokens.count(token) for token in tokens)  # only in the forms


def test_it_shows_a_message_once(learner_client, learner, roadmap):
    make_enrolment(learner, roadmap)
    response = learner_client.post(
        reverse("progress:planned_break"),
        {"week": local_today(learner.time_zone).isoformat(), "action": "mark"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(DASHBOARD)
    flash = [str(message) for message in response.context["messages"]]
    assert flash and flash[0] in response.content.decode()
    assert flash[0] not in _page(learner_client)


def test_it_keeps_the_weekly_chart_and_links_to_the_heatmap_on_the_study_log(learner_client, learner):
    today = local_today(learner.time_zone).isoformat()
    learner_client.post(reverse("progress:log_add"), {"date": today, "minutes": "30"})
    body = _page(learner_client)
    assert 'class="chart chart--bars"' in body and "Hours per week (goal" in body
    assert "chart--heatmap" not in body
    assert f'href="{reverse("progress:log_list")}#study-days"' in body
