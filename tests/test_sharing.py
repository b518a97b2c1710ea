"""Sharing and export: the public page by handle and by secret link, the
learner's controls, CSV/JSON export, the iCalendar feed and "download my data"."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from progress import summaries
from progress.models import Enrolment, ItemProgress, MetricEntry, Milestone, PlannedBreak, StudyEntry
from roadmaps.models import ItemKind
from tests.factories import make_full_roadmap, make_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items

SECRET_NOTE = "my private note about this"

# Query bounds with kept step summaries (`summaries.rebuild`); they do not
# grow with the items, rows or enrolments (test_it_keeps_queries_flat).
# The learner-state loader is 2 of them: the step summaries, the front items.
# "loader" includes the hours due reviews take (the reviews app: one query).
PROFILE_QUERIES = 7  # owner, enrolments, loader, step titles, project links
SHARE_QUERIES = 6  # enrolment, loader, step titles, project links
EXPORT_QUERIES = 10  # session, user, enrolment, loader, items, rows, review cards (and answers)
# enrolment (with user), loader (no front items), step titles, pinned
# checkpoints, review days, due retrospectives (their pauses: one more)
CALENDAR_QUERIES = 8


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


def test_it_shows_shared_progress_read_only_and_never_the_notes(client, learner, django_assert_max_num_queries):
    roadmap = make_full_roadmap()
    learner.handle = "lea"
    learner.save()
    enrolment = _shared(learner, roadmap, is_public=True, share_token="t" * 43)
    summaries.rebuild(enrolments=[enrolment])
    with django_assert_max_num_queries(PROFILE_QUERIES):
        response = client.get(reverse("public_profile", args=["LEA"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert roadmap.title in body and "Foundations step" in body
    assert "https://git.example.org/me/cli" in body
    assert SECRET_NOTE not in body and "evidence.example.org" not in body and "Confidence" not in body
    assert learner.email not in body
    assert response["X-Robots-Tag"] == "noindex"
    assert "<form" not in body.split("<main")[1].split("</main>")[0]  # read-only (the footer has the language form)
    with django_assert_max_num_queries(SHARE_QUERIES):
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


def test_it_exports_progress_as_csv_with_notes_for_the_learner(learner_client, learner,
                                                               django_assert_max_num_queries):
    roadmap = make_full_roadmap()
    enrolment = _shared(learner, roadmap)
    summaries.rebuild(enrolments=[enrolment])
    with django_assert_max_num_queries(EXPORT_QUERIES):
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


def test_it_serves_the_calendar_feed_by_token_without_a_session(client, learner_client, learner,
                                                               django_assert_max_num_queries):
    roadmap = make_full_roadmap(title="Full, roadmap; with commas")
    enrolment = make_enrolment(learner, roadmap, start_date=date.today() - timedelta(days=3))
    learner_client.post(reverse("progress:sharing_calendar", args=[enrolment.pk]), {"action": "regenerate"})
    enrolment.refresh_from_db()
    summaries.rebuild(enrolments=[enrolment])
    url = reverse("calendar_feed", args=[enrolment.calendar_token])
    calendar_app = Client()  # `client` is learner_client, signed in: a calendar app has no session
    with django_assert_max_num_queries(CALENDAR_QUERIES):
        response = calendar_app.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Foundations step (Full\\, roadmap\\; with commas)" in unfolded
    summaries_ = [str(event["SUMMARY"]) for event in Calendar.from_ical(text).events]
    assert "Foundations step (Full, roadmap; with commas)" in summaries_
    assert "Checkpoint: Halfway review checkpoint" in summaries_
    assert unfolded.count("BEGIN:VEVENT") == unfolded.count("END:VEVENT") >= 5
    assert "DTSTART;VALUE=DATE:" in unfolded
    # Revoking: the old address stops working.
    learner_client.post(reverse("progress:sharing_calendar", args=[enrolment.pk]), {"action": "revoke"})
    assert calendar_app.get(url).status_code == 404


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


# --- One loader: the same figures everywhere, in queries that do not grow ------------------


def _everything_shared(user, roadmap, **fields) -> Enrolment:
    return make_enrolment(
        user, roadmap, is_public=True, share_token=f"s{roadmap.pk}".ljust(43, "s"),
        calendar_token=f"c{roadmap.pk}".ljust(43, "c"), **fields,
    )


def _queries(client, method: str, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(url)
    assert response.status_code == 200, url
    return len(context)


def _counts(client, enrolment) -> dict[str, int]:
    anonymous = Client()
    return {
        "profile": _queries(anonymous, "get", reverse("public_profile", args=[enrolment.user.handle])),
        "share": _queries(anonymous, "get", reverse("public_share", args=[enrolment.share_token])),
        "calendar": _queries(anonymous, "get", reverse("calendar_feed", args=[enrolment.calendar_token])),
        "export_one": _queries(client, "get", reverse("progress:export_one", args=[enrolment.pk, "csv"])),
        "export_all_csv": _queries(client, "get", reverse("progress:export_all", args=["csv"])),
        "export_all_json": _queries(client, "get", reverse("progress:export_all", args=["json"])),
        "download": _queries(client, "post", reverse("accounts:data_export_download")),
    }


def test_it_keeps_queries_flat(learner, other_learner):
    """A learner with one item and one with three roadmaps, a row on every
    item and a project link on each: the same number of queries. (With
    nothing left to plan the loader skips its front query: one fewer.)"""
    learner.handle, other_learner.handle = "lea", "otto"
    learner.save()
    other_learner.save()
    small = _everything_shared(learner, make_roadmap(steps=1, items_per_step=1))
    small.step_order = [small.roadmap.steps.get().pk]  # the step titles for "download my data" load only then
    small.save()
    ItemProgress.objects.create(enrolment=small, item=roadmap_items(small.roadmap)[0], state="in_progress")
    big = []
    for n in range(3):
        enrolment = _everything_shared(other_learner, make_full_roadmap(title=f"Full {n}"),
                                       start_date=date.today() - timedelta(weeks=n + 1), step_order=[])
        states = ["done", "in_progress", "skipped", "not_started"]
        ItemProgress.objects.bulk_create([
            ItemProgress(enrolment=enrolment, item=item, state=states[i % 4], note=f"note {i}",
                         repo_url="https://git.example.org/x" if item.kind == ItemKind.PROJECT else "")
            for i, item in enumerate(roadmap_items(enrolment.roadmap))
        ])
        Milestone.objects.create(enrolment=enrolment, title=f"Milestone {n}")
        big.append(enrolment)
    big[1].step_order = list(reversed(big[1].roadmap.steps.values_list("pk", flat=True)))
    big[1].save()
    summaries.rebuild(enrolments=[small, *big])
    small_client, big_client = Client(), Client()
    small_client.force_login(learner)
    big_client.force_login(other_learner)
    small_counts, big_counts = _counts(small_client, small), _counts(big_client, big[1])
    assert small_counts == big_counts
    assert small_counts["profile"] <= PROFILE_QUERIES and small_counts["share"] <= SHARE_QUERIES
    assert small_counts["calendar"] <= CALENDAR_QUERIES and small_counts["export_one"] <= EXPORT_QUERIES


def _plan_figures(html: str) -> tuple[int, str, dict[str, int]]:
    percent = int(re.search(r'value="(\d+)" aria-labelledby="roadmap-progress-label"', html)[1])
    finish = re.search(r'Target finish at [^<]*<time datetime="([\d-]+)"', html)[1]
    steps = {title: int(value) for title, value in re.findall(r'aria-label="([^"]+)" aria-valuetext="(\d+)%"', html)}
    return percent, finish, steps


@pytest.mark.parametrize("summarised", [False, True], ids=["from raw rows", "from kept summaries"])
def test_every_page_shows_the_plans_figures(client, learner_client, learner, summarised):
    learner.handle = "lea"
    learner.save()
    roadmap = make_full_roadmap()
    enrolment = _everything_shared(learner, roadmap, start_date=date.today() - timedelta(weeks=3), hours_per_week=4)
    items = {item.title: item for item in roadmap_items(roadmap)}
    ItemProgress.objects.bulk_create([
        ItemProgress(enrolment=enrolment, item=items["HTTP topic"], state="done", completed_at=timezone.now()),
        ItemProgress(enrolment=enrolment, item=items["Resource book"], state="in_progress"),
        ItemProgress(enrolment=enrolment, item=items["REST topic"], state="done", completed_at=timezone.now()),
        ItemProgress(enrolment=enrolment, item=items["Community forum"], state="skipped"),
    ])
    # The learner's own order of steps: APIs first.
    enrolment.step_order = list(roadmap.steps.order_by("-position").values_list("pk", flat=True))
    enrolment.save()
    if summarised:
        summaries.rebuild(enrolments=[enrolment])

    percent, finish, steps = _plan_figures(
        learner_client.get(reverse("progress:plan", args=[enrolment.pk])).content.decode()
    )
    assert 0 < percent < 100 and steps == {"APIs step": 50, "Foundations step": steps["Foundations step"]}

    public = client.get(reverse("public_share", args=[enrolment.share_token])).content.decode()
    bar = re.search(rf'value="(\d+)" aria-labelledby="shared-{enrolment.pk}-progress-label"', public)
    assert int(bar[1]) == percent
    assert re.search(r'target finish <time datetime="([\d-]+)"', public)[1] == finish
    public_steps = re.findall(r'<progress class="progress" max="100" value="(\d+)" aria-label="([^"]+)">', public)
    assert [(title, int(value)) for value, title in public_steps] == list(steps.items())  # the learner's order
    profile = client.get(reverse("public_profile", args=["lea"])).content.decode()
    assert f'datetime="{finish}"' in profile and f'value="{percent}" aria-labelledby="shared-' in profile

    [exported] = json.loads(
        learner_client.get(reverse("progress:export_one", args=[enrolment.pk, "json"])).content
    )["enrolments"]
    assert (exported["progress"]["percent"], exported["progress"]["target_finish"]) == (percent, finish)
    assert exported["step_order"] == list(steps)
    [downloaded] = json.loads(learner_client.post(reverse("accounts:data_export_download")).content)["enrolments"]
    assert downloaded["progress"] == exported["progress"]

    feed = Calendar.from_ical(client.get(reverse("calendar_feed", args=[enrolment.calendar_token])).content)
    events = {str(event["UID"]).split("@")[0]: event for event in feed.events}
    assert events[f"enrolment-{enrolment.pk}-finish"].start.isoformat() == finish
    in_feed = {
        str(event["SUMMARY"]).removesuffix(f" ({roadmap.title})"): int(re.search(r"(\d+)% done so far",
                                                                               str(event["DESCRIPTION"]))[1])
        for uid, event in events.items() if "-step-" in uid
    }
    assert in_feed and all(value == steps[title] for title, value in in_feed.items() if title in steps)
