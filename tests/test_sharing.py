"""Sharing and export: the public page by handle and by secret link, the
learner's controls, CSV/JSON export, the iCalendar feed and "download my data"."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from progress.models import Enrolment, ItemProgress, MetricEntry, Milestone, PlannedBreak, StudyEntry
from progress.sharing.calendar import ical_escape, ical_fold
from roadmaps.models import ItemKind
from tests.factories import make_full_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items

SECRET_NOTE = "my private note about this"


def _shared(learner, roadmap, **fields) -> Enrolment:
    enrolment = make_enrolment(learner, roadmap, **fields)
    items = roadmap_items(roadmap)
    project = next(item for item in items if item.kind == ItemKind.PROJECT)
    ItemProgress.objects.create(
        enrolment=enrolment, item=project, state="done", note=SECRET_NOTE, confidence=1,
        evidence_url="https://evidence.example.org/x", repo_url="https://git.example.org/me/cli",
        completed_at=timezone.now(),
    )
    return enrolment


def _control_urls(enrolment) -> list[str]:
    return [
        reverse("progress:sharing", args=[enrolment.pk]),
        reverse("progress:sharing_public", args=[enrolment.pk]),
        reverse("progress:sharing_link", args=[enrolment.pk]),
        reverse("progress:sharing_calendar", args=[enrolment.pk]),
        reverse("progress:export_one", args=[enrolment.pk, "csv"]),
        reverse("progress:export_one", args=[enrolment.pk, "json"]),
    ]


# --- Controls ------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    urls = [*_control_urls(enrolment), reverse("progress:export_all", args=["csv"])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login")), url
    client.post(reverse("progress:sharing_public", args=[enrolment.pk]), {"public": "1"})
    enrolment.refresh_from_db()
    assert not enrolment.is_public


def test_it_answers_404_for_another_learners_enrolment(learner_client, other_learner, roadmap):
    enrolment = make_enrolment(other_learner, roadmap)
    for url in _control_urls(enrolment):
        assert learner_client.get(url).status_code in (404, 405), url
        assert learner_client.post(url, {"public": "1", "action": "regenerate"}).status_code in (404, 405), url
    enrolment.refresh_from_db()
    assert (enrolment.is_public, enrolment.share_token, enrolment.calendar_token) == (False, None, None)


def test_it_refuses_wrong_methods(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    sharing, public, link, calendar, csv_url, _ = _control_urls(enrolment)
    assert learner_client.post(sharing).status_code == 405
    for url in (public, link, calendar):
        assert learner_client.get(url).status_code == 405
    assert learner_client.post(csv_url).status_code == 405
    assert learner_client.post(reverse("public_share", args=["x" * 20])).status_code == 405
    assert learner_client.post(reverse("calendar_feed", args=["x" * 20])).status_code == 405


def test_it_shows_the_controls(learner_client, learner, roadmap, django_assert_num_queries):
    enrolment = make_enrolment(learner, roadmap)
    with django_assert_num_queries(3):
        response = learner_client.get(reverse("progress:sharing", args=[enrolment.pk]))
    body = response.content.decode()
    assert "Choose a public handle" in body
    assert "Make a secret link" in body and "Make a calendar feed" in body


def test_it_turns_the_public_page_on_and_off(learner_client, learner, roadmap):
    learner.handle = "lea"
    learner.save()
    enrolment = _shared(learner, roadmap)
    url = reverse("progress:sharing_public", args=[enrolment.pk])
    profile = reverse("public_profile", args=["lea"])
    assert learner_client.get(profile).status_code == 404
    for _ in range(2):  # a double-click changes nothing more
        assert learner_client.post(url, {"public": "1"}).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.is_public
    assert learner_client.get(profile).status_code == 200
    assert learner_client.post(url, {"public": "maybe"}).status_code == 404
    learner_client.post(url, {"public": "0"})
    assert learner_client.get(profile).status_code == 404


def test_it_makes_regenerates_and_revokes_the_secret_link(client, learner_client, learner, roadmap):
    enrolment = _shared(learner, roadmap)
    url = reverse("progress:sharing_link", args=[enrolment.pk])
    learner_client.post(url, {"action": "regenerate"})
    enrolment.refresh_from_db()
    first = enrolment.share_token
    assert first and len(first) >= 40
    assert client.get(reverse("public_share", args=[first])).status_code == 200
    learner_client.post(url, {"action": "regenerate"})
    enrolment.refresh_from_db()
    assert enrolment.share_token != first
    assert client.get(reverse("public_share", args=[first])).status_code == 404
    assert client.get(reverse("public_share", args=[enrolment.share_token])).status_code == 200
    learner_client.post(url, {"action": "revoke"})
    enrolment.refresh_from_db()
    assert enrolment.share_token is None
    assert learner_client.post(url, {"action": "delete-everything"}).status_code == 404


# --- Public pages -----------------------------------------------------------------------


def test_it_shows_shared_progress_read_only_and_never_the_notes(client, learner, django_assert_num_queries):
    roadmap = make_full_roadmap()
    learner.handle = "lea"
    learner.save()
    enrolment = _shared(learner, roadmap, is_public=True, share_token="t" * 43)
    with django_assert_num_queries(4):  # owner, enrolments, items, rows
        response = client.get(reverse("public_profile", args=["LEA"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert roadmap.title in body and "Foundations step" in body
    assert "https://git.example.org/me/cli" in body
    assert SECRET_NOTE not in body and "evidence.example.org" not in body and "Confidence" not in body
    assert learner.email not in body
    assert response["X-Robots-Tag"] == "noindex"
    assert "<form" not in body.split("<main")[1]  # read-only
    with django_assert_num_queries(3):  # enrolment, items, rows
        response = client.get(reverse("public_share", args=[enrolment.share_token]))
    assert SECRET_NOTE not in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"


def test_it_answers_404_when_nothing_is_shared(client, learner, other_learner, roadmap):
    learner.handle = "lea"
    learner.save()
    enrolment = make_enrolment(learner, roadmap)
    assert client.get(reverse("public_profile", args=["lea"])).status_code == 404
    assert client.get(reverse("public_profile", args=["nobody"])).status_code == 404
    assert client.get(reverse("public_share", args=["not-a-token"])).status_code == 404
    enrolment.share_token = "s" * 43
    enrolment.is_public = True
    enrolment.status = "left"
    enrolment.left_at = timezone.now()
    enrolment.save()
    assert client.get(reverse("public_share", args=[enrolment.share_token])).status_code == 404
    assert client.get(reverse("public_profile", args=["lea"])).status_code == 404


# --- Export ------------------------------------------------------------------------------


def test_it_exports_progress_as_csv_with_notes_for_the_learner(learner_client, learner, django_assert_num_queries):
    roadmap = make_full_roadmap()
    enrolment = _shared(learner, roadmap)
    with django_assert_num_queries(5):  # session, user, enrolment, items, rows
        response = learner_client.get(reverse("progress:export_one", args=[enrolment.pk, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(roadmap_items(roadmap))
    done = [row for row in rows if row["state"] == "done"]
    assert len(done) == 1 and done[0]["note"] == SECRET_NOTE and done[0]["repo_url"] == "https://git.example.org/me/cli"


def test_it_neutralises_spreadsheet_formulas_in_the_csv(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    ItemProgress.objects.create(enrolment=enrolment, item=roadmap_items(roadmap)[0], note="=HYPERLINK(\"x\")")
    response = learner_client.get(reverse("progress:export_all", args=["csv"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert any(row["note"] == "'=HYPERLINK(\"x\")" for row in rows)


def test_it_exports_every_enrolment_as_json(learner_client, learner, other_learner, roadmap):
    _shared(learner, roadmap)
    other = make_full_roadmap()
    make_enrolment(learner, other)
    _shared(other_learner, make_full_roadmap())
    response = learner_client.get(reverse("progress:export_all", args=["json"]))
    data = json.loads(response.content)
    assert sorted(e["roadmap_slug"] for e in data["enrolments"]) == sorted([roadmap.slug, other.slug])
    first = next(e for e in data["enrolments"] if e["roadmap_slug"] == roadmap.slug)
    assert first["progress"]["done"] == 1
    assert learner_client.get(reverse("progress:export_all", args=["xml"])).status_code == 404


# --- iCalendar ---------------------------------------------------------------------------


def test_it_escapes_and_folds_icalendar_lines():
    assert ical_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "é" * 60
    folded = ical_fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_it_serves_the_calendar_feed_by_token_without_a_session(client, learner_client, learner,
                                                               django_assert_num_queries):
    roadmap = make_full_roadmap(title="Full, roadmap; with commas")
    enrolment = make_enrolment(learner, roadmap, start_date=date.today() - timedelta(days=3))
    learner_client.post(reverse("progress:sharing_calendar", args=[enrolment.pk]), {"action": "regenerate"})
    enrolment.refresh_from_db()
    url = reverse("calendar_feed", args=[enrolment.calendar_token])
    with django_assert_num_queries(3):  # enrolment (with user), items, rows
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Foundations step (Full\\, roadmap\\; with commas)" in unfolded
    assert "SUMMARY:Checkpoint: Halfway review checkpoint" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == unfolded.count("END:VEVENT") >= 5
    assert "DTSTART;VALUE=DATE:" in unfolded
    # Revoking: the old address stops working.
    learner_client.post(reverse("progress:sharing_calendar", args=[enrolment.pk]), {"action": "revoke"})
    assert client.get(url).status_code == 404


# --- Download my data / delete my account -------------------------------------------------


def test_it_puts_all_progress_in_download_my_data(learner_client, learner, roadmap):
    enrolment = _shared(learner, roadmap)
    Milestone.objects.create(enrolment=enrolment, title="Ship the CLI")
    StudyEntry.objects.create(user=learner, enrolment=enrolment, date=date.today(), minutes=33, note="log note")
    PlannedBreak.objects.create(user=learner, week_start=date(2026, 1, 5))
    MetricEntry.objects.create(enrolment=enrolment, metric=roadmap.metrics.get(), date=date.today(), amount=4)
    response = learner_client.post(reverse("accounts:data_export_download"))
    data = json.loads(response.content)
    assert data["enrolments"][0]["roadmap_slug"] == roadmap.slug
    assert data["item_progress"][0]["note"] == SECRET_NOTE
    assert data["submissions"] == [
        {"roadmap": roadmap.title, "project": data["submissions"][0]["project"], "state": "done",
         "repo_url": "https://git.example.org/me/cli", "live_url": ""}
    ]
    assert data["milestones"][0]["title"] == "Ship the CLI"
    assert data["study_log"][0]["minutes"] == 33 and data["study_log"][0]["note"] == "log note"
    assert data["planned_breaks"] == ["2026-01-05"]
    assert data["metric_entries"][0]["amount"] == 4


def test_it_deletes_all_progress_with_the_account(learner, roadmap):
    enrolment = _shared(learner, roadmap)
    StudyEntry.objects.create(user=learner, enrolment=enrolment, date=date.today(), minutes=33)
    PlannedBreak.objects.create(user=learner, week_start=date(2026, 1, 5))
    MetricEntry.objects.create(enrolment=enrolment, metric=roadmap.metrics.get(), date=date.today(), amount=4)
    Milestone.objects.create(enrolment=enrolment, title="Ship")
    learner.delete()
    for model in (Enrolment, ItemProgress, StudyEntry, PlannedBreak, MetricEntry, Milestone):
        assert not model.objects.exists(), model
