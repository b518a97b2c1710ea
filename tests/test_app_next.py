"""Tampered `next` values on every form that takes one: the learner lands
on a safe page of this site (never a 500, never another site) and the write
happens exactly once — or, for an invalid form, not at all."""

from __future__ import annotations

from datetime import date
from html import escape
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.test import RequestFactory
from django.urls import reverse

from config.navigation import NEXT_MAX_LENGTH, safe_next
from progress.models import ItemProgress, PlannedBreak, StudyEntry
from progress.schedule import local_today, week_start
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items

TAMPERED = [
    "foo",
    "//evil.com",
    "https://evil.com/",
    "javascript:alert(1)",
    "\\\\evil",
    "/\\evil.com",
    "/progress/log/\x00",
    "\x00",
    "/" + "a" * (NEXT_MAX_LENGTH + 10),
    "foo:bar",
    "/progress/\r\nSet-Cookie: x=1",
    "?page=2",
    "http://testserver.evil.com/",
]
IDS = ["word", "scheme-relative", "other-site", "javascript", "backslashes", "slash-backslash", "nul-in-path", "nul",
       "very-long", "word-colon", "crlf", "query-only", "lookalike-host"]


def _is_safe_location(location: str) -> bool:
    return location.startswith("/") and not location.startswith(("//", "/\\"))


# --- The helper -------------------------------------------------------------------------


@pytest.mark.parametrize("value", TAMPERED, ids=IDS)
def test_it_falls_back_to_the_default_for_a_tampered_next(rf: RequestFactory, value):
    request = rf.post("/x/", {"next": value})
    assert safe_next(request, "/dashboard/") == "/dashboard/"
    request = rf.get("/x/", {"next": value})
    assert safe_next(request, "/dashboard/") == "/dashboard/"


@pytest.mark.parametrize("value", ["/progress/log/#breaks", "/roadmaps/?level=beginner", "http://testserver/u/x/"])
def test_it_keeps_a_next_on_this_site(rf: RequestFactory, value):
    assert safe_next(rf.post("/x/", {"next": value}), "/dashboard/") == value


def test_it_reads_the_referer_only_when_asked(rf: RequestFactory):
    request = rf.post("/x/", HTTP_REFERER="http://testserver/roadmaps/")
    assert safe_next(request, "/") == "/"
    assert safe_next(request, "/", referer=True) == "http://testserver/roadmaps/"
    evil = rf.post("/x/", HTTP_REFERER="https://evil.com/")
    assert safe_next(evil, "/", referer=True) == "/"


def test_it_wants_https_next_on_a_secure_request(rf: RequestFactory):
    request = rf.post("/x/", {"next": "http://testserver/roadmaps/"}, secure=True)
    assert safe_next(request, "/") == "/"


# --- Every form that takes a next ----------------------------------------------------


@pytest.fixture
def enrolment(learner):
    return make_enrolment(learner, make_roadmap())


@pytest.fixture
def item(enrolment):
    return roadmap_items(enrolment.roadmap)[0]


@pytest.mark.parametrize("value", TAMPERED, ids=IDS)
def test_it_marks_an_item_once_and_goes_somewhere_safe(learner_client, enrolment, item, value):
    url = reverse("progress:item_state", args=[enrolment.pk, item.pk])
    response = learner_client.post(url, {"state": "done", "next": value})
    assert response.status_code == 302 and _is_safe_location(response["Location"])
    assert response["Location"] == reverse("roadmaps:detail", args=[enrolment.roadmap.slug]) + f"#item-{item.pk}"
    assert list(ItemProgress.objects.filter(enrolment=enrolment).values_list("state", flat=True)) == ["done"]


@pytest.mark.parametrize("value", TAMPERED, ids=IDS)
def test_it_refuses_a_bad_state_without_saving_and_goes_somewhere_safe(learner_client, enrolment, item, value):
    url = reverse("progress:item_state", args=[enrolment.pk, item.pk])
    response = learner_client.post(url, {"state": "finished", "next": value})
    assert response.status_code == 302 and _is_safe_location(response["Location"])
    assert not ItemProgress.objects.filter(enrolment=enrolment).exists()


@pytest.mark.parametrize("value", TAMPERED, ids=IDS)
def test_it_marks_from_the_roadmap_page_form_once(learner_client, enrolment, item, value):
    url = reverse("progress:item_state_pick", args=[enrolment.pk])
    response = learner_client.post(url, {"set": f"{item.pk} in_progress", "next": value})
    assert response.status_code == 302 and _is_safe_location(response["Location"])
    assert ItemProgress.objects.get(enrolment=enrolment).state == "in_progress"


@pytest.mark.parametrize("value", TAMPERED, ids=IDS)
def test_it_saves_item_details_once_and_goes_somewhere_safe(learner_client, enrolment, item, value):
    url = reverse("progress:item_details", args=[enrolment.pk, item.pk])
    response = learner_client.post(url, {"note": "My note", "next": value})
    assert response.status_code == 302 and _is_safe_location(response["Location"])
    assert list(ItemProgress.objects.filter(enrolment=enrolment).values_list("note", flat=True)) == ["My note"]


@pytest.mark.parametrize("value", TAMPERED, ids=IDS)
def test_it_saves_no_invalid_item_details_whatever_the_next(learner_client, enrolment, item, value):
    url = reverse("progress:item_details", args=[enrolment.pk, item.pk])
    response = learner_client.post(url, {"note": "x", "evidence_url": "not a url at all", "next": value})
    assert response.status_code == 400
    assert f'value="{escape(value)}"' not in response.content.decode()
    assert not ItemProgress.objects.filter(enrolment=enrolment).exists()


@pytest.mark.parametrize("value", TAMPERED, ids=IDS)
def test_it_shows_no_tampered_next_in_the_pages_links(learner_client, enrolment, item, value):
    for url in (reverse("progress:item_details", args=[enrolment.pk, item.pk]), reverse("progress:log_add")):
        response = learner_client.get(url, {"next": value})
        assert response.status_code == 200
        body = response.content.decode()
        assert f'href="{escape(value)}"' not in body and f'value="{escape(value)}"' not in body
        assert 'href="javascript' not in body


@pytest.mark.parametrize("value", TAMPERED, ids=IDS)
def test_it_logs_time_once_and_goes_somewhere_safe(learner_client, learner, value):
    today = local_today(learner.time_zone)
    response = learner_client.post(
        reverse("progress:log_add"), {"date": today.isoformat(), "minutes": 30, "next": value}
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert StudyEntry.objects.filter(user=learner).count() == 1


@pytest.mark.parametrize("value", TAMPERED, ids=IDS)
def test_it_logs_nothing_from_an_invalid_form_whatever_the_next(learner_client, learner, value):
    response = learner_client.post(reverse("progress:log_add"), {"date": "2001-13-45", "minutes": 30, "next": value})
    assert response.status_code == 400
    assert not StudyEntry.objects.filter(user=learner).exists()


@pytest.mark.parametrize("value", TAMPERED, ids=IDS)
def test_it_plans_a_break_once_and_goes_somewhere_safe(learner_client, learner, value):
    monday = week_start(local_today(learner.time_zone))
    url = reverse("progress:planned_break")
    response = learner_client.post(url, {"week": monday.isoformat(), "action": "mark", "next": value})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert list(PlannedBreak.objects.filter(user=learner).values_list("week_start", flat=True)) == [monday]
    # A bad date is drawn again on the study log page, at its box: no redirect at all.
    bad = learner_client.post(url, {"week": date(1990, 1, 1).isoformat(), "action": "mark", "next": value})
    assert bad.status_code == 400 and not bad.has_header("Location")
    assert PlannedBreak.objects.filter(user=learner).count() == 1


@pytest.mark.parametrize("value", TAMPERED, ids=IDS)
def test_it_sets_the_theme_and_goes_somewhere_safe(client, value):
    response = client.post("/theme/", {"theme": "dark", "next": value})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies["theme"].value == "dark"


@pytest.mark.parametrize("value", TAMPERED, ids=IDS)
def test_it_signs_in_and_goes_somewhere_safe(client, learner, value):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": learner.email, "password": "a-long-test-password", "next": value}
    )
    # allauth checks its own `next` (accounts/adapter.py, not ours here): it
    # may keep a relative "foo", but never leaves the site nor fails.
    location = urlsplit(response["Location"])
    assert response.status_code == 302 and location.netloc in ("", "testserver") and location.scheme in ("", "http")
    assert not response["Location"].startswith(("//", "/\\")) and "\x00" not in response["Location"]
    assert client.session.get("_auth_user_id") == str(learner.pk)
