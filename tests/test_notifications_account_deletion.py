"""Deleting an account deletes its emails: the outbox rows that hold its
address and subjects, and any still queued, which are then never sent."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core import mail
from django_tasks import default_task_backend

from notifications import outbox
from notifications.models import OutboundEmail
from notifications.tasks import send_email


def test_an_email_knows_the_account_of_its_address(db, learner, other_learner):
    EmailAddress.objects.create(user=learner, email="lea.work@example.com", verified=True)
    rows = [
        outbox.email_enqueue(key="test:1", to=["Learner@Example.com"], subject="Hello", body="…"),
        outbox.email_enqueue(key="test:2", to=["lea.work@example.com"], subject="Hello", body="…"),
        outbox.email_enqueue(key="test:3", to=["other@example.com"], subject="Hello", body="…"),
        outbox.email_enqueue(key="test:4", to=["nobody@example.com"], subject="Hello", body="…"),
    ]
    assert [row.user_id for row in rows] == [learner.pk, learner.pk, other_learner.pk, None]


def test_deleting_the_account_deletes_its_emails_and_sends_none_still_queued(db, settings, learner, other_learner):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    sent = outbox.email_enqueue(key="test:sent", to=["learner@example.com"], subject="Your code", body="…")
    assert outbox.email_deliver(email_id=sent.pk) == "sent"
    queued = outbox.email_enqueue(key="test:queued", to=["learner@example.com"], subject="Your week", body="…")
    theirs = outbox.email_enqueue(key="test:theirs", to=["other@example.com"], subject="Your week", body="…")
    mail.outbox.clear()

    learner.delete()  # accounts.services.account_delete: every row owned goes by CASCADE
    assert list(OutboundEmail.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert send_email.call(queued.pk) == "skipped" and mail.outbox == []
    default_task_backend.clear()
