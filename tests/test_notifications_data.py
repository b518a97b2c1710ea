"""The emails sent to a learner are in "download my data": kind, subject,
status and times, never a body, never another learner's."""

from __future__ import annotations

import json

from django.urls import reverse

from notifications import outbox


def test_download_my_data_lists_the_learners_emails_without_bodies(learner_client, learner, other_learner, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sent = outbox.email_enqueue(key="weekly-digest:1:2026-03-09", to=["learner@example.com"],
                                subject="Your week on Waymark", body="Week body")
    outbox.email_deliver(email_id=sent.pk)
    outbox.email_enqueue(key="allauth-login_code:x", to=["learner@example.com"], subject="Sign-in code",
                         body="Your code is 424242.")
    outbox.email_enqueue(key="group-nudge:y", to=["other@example.com"], subject="A nudge", body="…")
    response = learner_client.post(reverse("accounts:data_export_download"))
    emails = json.loads(response.content)["emails"]
    assert [(e["kind"], e["subject"], e["status"], bool(e["sent_at"])) for e in emails] == [
        ("weekly-digest", "Your week on Waymark", "sent", True),
        ("allauth-login_code", "Sign-in code", "queued", False),
    ]
    assert "424242" not in response.content.decode() and "Week body" not in response.content.decode()
