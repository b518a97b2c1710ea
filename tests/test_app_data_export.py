""""Download my data" holds every table a learner owns: the pause history
and the sign-in sessions included, and a guard that names, for every model
that hangs off a user, the section it is in (or why it is not exported)."""

from __future__ import annotations

import json
from datetime import date

from allauth.usersessions.models import UserSession
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse

from accounts.userdata import _sections
from progress.models import EnrolmentPause, PlanRepair
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment

# Every model reachable from the user through foreign keys, and the export
# section that holds it — or, as a sentence, why it is not in the export.
COVERED = {
    "accounts.User": "account",
    "account.EmailAddress": "account",
    "account.EmailConfirmation": "A confirmation key sent by email: a secret, never exported.",
    "mfa.Authenticator": "account",  # the kinds and dates; never a secret
    "socialaccount.SocialAccount": "account",
    "socialaccount.SocialToken": "A provider's OAuth token: a secret, never exported.",
    "usersessions.UserSession": "account",
    "admin.LogEntry": "An editor's admin history, not a learner's data.",
    "roadmaps.Roadmap": "Content an editor wrote, public on the site.",
    "progress.Enrolment": "enrolments",
    "progress.EnrolmentPause": "pauses",
    "progress.PlanRepair": "plan_repairs",
    "progress.ItemProgress": "item_progress",
    "progress.Milestone": "milestones",
    "progress.StudyEntry": "study_log",
    "progress.PlannedBreak": "planned_breaks",
    "progress.MetricEntry": "metric_entries",
    "progress.EnrolmentStep": "Summaries computed from item_progress, rebuilt at will.",
    "retrospectives.Retrospective": "retrospectives",
    "retrospectives.RetrospectiveAnswer": "retrospectives",
    "retrospectives.RetrospectiveRevision": "retrospectives",
    "groups.StudyGroup": "study_groups",
    "groups.Membership": "study_groups",
    "groups.SharedRetrospective": "study_groups",
    "groups.Nudge": "study_groups",
    "groups.GroupInvite": "The group's invite link: a secret of the group, not the learner's data.",
    "groups.GroupDigest": "A claim that a weekly email was sent, no content of its own.",
    "notifications.DigestSent": "A claim that a weekly digest was sent, no content of its own.",
    "notifications.OutboundEmail": "emails",
    "reviews.ReviewCard": "reviews",
    "reviews.ReviewLog": "reviews",
}


def _reachable_from_the_user() -> set[str]:
    """Models with a foreign key to the user, then to those models, and so on;
    a model that is not exported (content, secrets) is not followed further."""
    found = {get_user_model()._meta.label}
    frontier = set(found)
    while frontier:
        step = set()
        for model in apps.get_models():
            if model._meta.proxy or model._meta.label in found:
                continue
            for field in model._meta.get_fields():
                if isinstance(field, models.ForeignKey) and field.related_model._meta.label in frontier:
                    step.add(model._meta.label)
        found |= step
        frontier = {label for label in step if COVERED.get(label) in _sections}
    return found


def test_it_names_a_section_for_every_model_a_learner_owns():
    unclassified = sorted(_reachable_from_the_user() - set(COVERED))
    assert unclassified == [], "Add these to a download-my-data section (or say why not): " + ", ".join(unclassified)
    for label, section in COVERED.items():
        if label in _reachable_from_the_user() and not section.endswith("."):
            assert section in _sections, (label, section)


def test_it_exports_the_pause_history(learner_client, learner, other_learner):
    enrolment = make_enrolment(learner, make_roadmap())
    EnrolmentPause.objects.create(enrolment=enrolment, started_on=date(2026, 1, 5), ended_on=date(2026, 1, 19))
    EnrolmentPause.objects.create(enrolment=enrolment, started_on=date(2026, 2, 2))
    theirs = make_enrolment(other_learner, enrolment.roadmap)
    EnrolmentPause.objects.create(enrolment=theirs, started_on=date(2026, 3, 2))
    data = json.loads(learner_client.post(reverse("accounts:data_export_download")).content)
    assert data["pauses"] == [
        {"roadmap": enrolment.roadmap.title, "roadmap_slug": enrolment.roadmap.slug,
         "started_on": "2026-01-05", "ended_on": "2026-01-19"},
        {"roadmap": enrolment.roadmap.title, "roadmap_slug": enrolment.roadmap.slug,
         "started_on": "2026-02-02", "ended_on": ""},
    ]


def test_it_exports_the_sign_in_sessions_without_their_keys(learner_client, learner, other_learner):
    session = UserSession.objects.create(
        user=learner, ip="203.0.113.7", user_agent="Firefox on a laptop", session_key="k" * 32
    )
    UserSession.objects.create(user=other_learner, ip="198.51.100.1", user_agent="Theirs", session_key="o" * 32)
    data = json.loads(learner_client.post(reverse("accounts:data_export_download")).content)
    rows = [row for row in data["account"]["sessions"] if row["ip"] == "203.0.113.7"]
    assert rows == [{"ip": "203.0.113.7", "user_agent": "Firefox on a laptop",
                     "created_at": session.created_at.isoformat(), "last_seen_at": session.last_seen_at.isoformat()}]
    body = json.dumps(data)
    assert session.session_key not in body and "198.51.100.1" not in body


def test_it_exports_the_plan_repairs(learner_client, learner, other_learner):
    enrolment = make_enrolment(learner, make_roadmap())
    PlanRepair.objects.create(
        enrolment=enrolment, kind="raise_pace", made_on=date(2026, 3, 2), behind_hours=6,
        hours_per_week_before=5, hours_per_week_after=8, finish_before=date(2026, 9, 1), finish_after=date(2026, 9, 1),
    )
    PlanRepair.objects.create(enrolment=make_enrolment(other_learner, enrolment.roadmap), kind="move_date",
                              made_on=date(2026, 3, 2), behind_hours=1, hours_per_week_before=5, hours_per_week_after=5)
    data = json.loads(learner_client.post(reverse("accounts:data_export_download")).content)
    assert [(r["kind"], r["made_on"], r["hours_per_week_after"]) for r in data["plan_repairs"]] == [
        ("raise_pace", "2026-03-02", "8.0")
    ]
