"""The dashboard's one-tap forms: start, finish, skip or undo an item and log
time on it without leaving the dashboard, with and without htmx."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from progress.models import ItemProgress, StudyEntry
from progress.schedule import local_today
from tests.progress_helpers import make_enrolment, roadmap_items
from tests.test_query_bounds import big_learner, one_item_learner, show, statements

HTMX = {"HTTP_HX_REQUEST": "true"}


STATE_URL = reverse("progress:dashboard_item_state")
LOG_URL = reverse("progress:dashboard_item_log")


def tap(client, item, headers=None, **data):
    return client.post(STATE_URL, {"item": item.pk, **data}, **(headers or {}))


def log(client, item, headers=None, **data):
    return client.post(LOG_URL, {"item": item.pk, **data}, **(headers or {}))


@pytest.fixture
def enrolment(learner, roadmap):
    return make_enrolment(learner, roadmap, hours_per_week=4)


@pytest.fixture
def item(enrolment, roadmap):
    return roadmap_items(roadmap)[0]


# --- Who may tap ----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_changes(client, item):
    for url, data in ((STATE_URL, {"item": item.pk, "state": "done"}), (LOG_URL, {"item": item.pk, "minutes": 30})):
        response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert not ItemProgress.objects.exists() and not StudyEntry.objects.exists()


def test_another_learner_gets_404_and_nothing_changes(client, other_learner, item):
    client.force_login(other_learner)  # not enrolled on the item's roadmap
    assert tap(client, item, state="done").status_code == 404
    assert log(client, item, minutes=30).status_code == 404
    assert not ItemProgress.objects.exists() and not StudyEntry.objects.exists()


def test_get_is_refused(learner_client, item):
    assert learner_client.get(STATE_URL).status_code == 405
    assert learner_client.get(LOG_URL).status_code == 405


@pytest.mark.parametrize("bad", ["", "abc", "0", "-3", "99999999999999", "1 OR 1=1"])
def test_a_tap_naming_no_item_of_the_learners_is_a_404(learner_client, enrolment, bad):
    assert learner_client.post(STATE_URL, {"item": bad, "state": "done"}).status_code == 404
    assert learner_client.post(LOG_URL, {"item": bad, "minutes": 30}).status_code == 404
    assert not ItemProgress.objects.exists() and not StudyEntry.objects.exists()


# --- Ticks ----------------------------------------------------------------------------


def test_each_listed_item_carries_its_forms_and_is_listed_once(learner_client, enrolment, item):
    body = learner_client.get("/dashboard/").content.decode()
    assert f'action="{STATE_URL}"' in body and f'action="{LOG_URL}"' in body
    assert f'<input type="hidden" name="item" value="{item.pk}">' in body
    listed = re.findall(r'<li class="dashboard__item" id="dash-item-(\d+)"', body)
    assert listed and len(listed) == len(set(listed))
    assert "<h4>Up next</h4>" not in body and "Planned this week" not in body


def test_a_plain_tap_marks_the_item_and_comes_back_to_it(learner_client, enrolment, item):
    response = tap(learner_client, item, state="done")
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/?ticked={item.pk}#dash-item-{item.pk}"
    assert ItemProgress.objects.get(enrolment=enrolment, item=item).state == "done"
    body = learner_client.get(response["Location"]).content.decode()
    assert f"Marked “{item.title}” as done." in body
    # Still listed, now with a way to take the tick back.
    assert re.search(rf'id="dash-item-{item.pk}-main" name="state" value="not_started">Undo', body)


def test_an_htmx_tap_answers_with_the_card_its_figures_and_a_sentence(learner_client, enrolment, item):
    response = tap(learner_client, item, state="done", headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<article") and f'id="enrolment-{enrolment.pk}"' in body
    card = response.context["card"]
    assert card.learner.progress.done_count == 1
    assert f'value="{card.learner.progress.percent}"' in body  # the bar, current
    live = re.search(r'<p id="live-status" data-hx-swap-oob="innerHTML">([^<]+)</p>', body).group(1)
    assert live.startswith(f"Marked “{item.title}” as done. {card.learner.progress.percent}% of ")
    # A tick on its own leaves the week's study figures alone…
    assert 'id="dashboard-study"' not in body
    # …but the recent activity gets the tick as its newest line, out of band.
    activity = re.search(r'<section class="section" id="dashboard-activity"[^>]*>(.*?)</section>', body, re.S)
    assert 'data-hx-swap-oob="true"' in activity.group(0)
    first = re.search(r"<li>(.*?)</li>", activity.group(1), re.S).group(1)
    assert item.title in first and "Nothing yet" not in activity.group(1)


def test_undo_takes_a_tick_back(learner_client, enrolment, item):
    tap(learner_client, item, state="done")
    tap(learner_client, item, state="not_started")
    assert ItemProgress.objects.get(enrolment=enrolment, item=item).state == "not_started"


@pytest.mark.parametrize("state", ["", "finished", "done;drop"])
def test_a_bad_state_changes_nothing_and_says_so(learner_client, enrolment, item, state):
    response = learner_client.post(STATE_URL, {"item": item.pk, "state": state}, follow=True)
    assert "That is not a state an item can have." in response.content.decode()
    assert not ItemProgress.objects.exists()
    assert tap(learner_client, item, state=state, headers=HTMX).status_code == 400


# --- Log time -------------------------------------------------------------------------


def test_a_plain_log_records_today_on_the_item_and_comes_back(learner_client, learner, enrolment, item):
    response = log(learner_client, item, minutes="45", note="Read the chapter")
    assert response.status_code == 302 and response["Location"] == f"/dashboard/?ticked={item.pk}#dash-item-{item.pk}"
    entry = StudyEntry.objects.get()
    assert (entry.user, entry.enrolment, entry.item, entry.minutes, entry.note) == (
        learner, enrolment, item, 45, "Read the chapter"
    )
    assert entry.date == local_today(learner.time_zone)


def test_a_double_click_logs_once(learner_client, item):
    for _ in range(2):
        log(learner_client, item, minutes="45")
    assert StudyEntry.objects.count() == 1


def test_an_htmx_log_answers_with_the_card_and_the_weeks_figures(learner_client, item):
    response = log(learner_client, item, minutes="90", headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="dashboard-study"' in body and 'data-hx-swap-oob="true"' in body
    assert "1.5 <span class=\"muted\">of" in body  # hours this week, out of band
    assert f"Logged 90 minutes on “{item.title}”." in body


@pytest.mark.parametrize("minutes", ["", "abc", "0", "5000", "1.5"])
def test_a_bad_log_keeps_what_was_typed_ties_the_error_and_saves_nothing(learner_client, item, minutes):
    response = log(learner_client, item, minutes=minutes, note="My long note")
    body = response.content.decode()
    assert response.status_code == 400
    assert not StudyEntry.objects.exists()
    error_id = f"dash-item-{item.pk}-minutes-error"
    assert f'aria-describedby="{error_id}"' in body and f'id="{error_id}"' in body
    assert 'value="My long note"' in body
    assert re.search(rf'<details class="dashboard__log" open>\s*<summary id="dash-item-{item.pk}-log"', body)

    response = log(learner_client, item, minutes=minutes, note="My long note", headers=HTMX)
    assert response.status_code == 200  # htmx swaps only a 2xx: the card comes back with the error
    assert f'id="{error_id}"' in response.content.decode()
    assert not StudyEntry.objects.exists()


# --- Bounded queries ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_tap_issues_the_same_few_queries_for_a_one_item_and_a_big_learner(htmx):
    headers = HTMX if htmx else {}
    counts = {}
    for name, (client, _enrolment, item) in (("one-item learner", one_item_learner()), ("big learner", big_learner())):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(STATE_URL, {"item": item.pk, "state": "done"}, **headers)
        assert response.status_code == (200 if htmx else 302)
        counts[name] = statements(captured)
        print(show(name, counts[name]))
        # The write (8; a topic marked done also writes its review card and
        # first answer: 10) and, for htmx, the dashboard's own loads (12).
        assert len(counts[name]) <= (22 if htmx else 10), show(name, counts[name])
    # The one-item learner's tick finishes their roadmap, so their answer
    # skips the plan's front query; nothing else differs.
    assert len(counts["big learner"]) - len(counts["one-item learner"]) in (0, 1 if htmx else 0), "\n".join(
        show(name, sql) for name, sql in counts.items()
    )
