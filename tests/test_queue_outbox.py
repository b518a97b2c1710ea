"""The outbox: every email is a row and a queued task; a worker sends it
once, retries a failing SMTP server with backoff, never sends twice."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.utils import timezone
from django_tasks import default_task_backend

from notifications import outbox
from notifications.models import EmailStatus, OutboundEmail

CODE = "SECRET-CODE-424242"
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class FlakyBackend(LocmemBackend):
    """SMTP that refuses the first `failures` sends, then delivers."""

    failures = 1
    calls = 0

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls <= FlakyBackend.failures:
            raise ConnectionRefusedError(f"550 no thanks for someone@example.com: {messages[0].body}")
        return super().send_messages(messages)


@pytest.fixture
def dummy_queue(settings):
    settings.TASKS = DUMMY
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.test_queue_outbox.FlakyBackend"
    FlakyBackend.calls = 0
    FlakyBackend.failures = 1
    return FlakyBackend


def queue_one(key="test:1", **fields) -> OutboundEmail:
    fields = {"to": ["someone@example.com"], "subject": "Your code", "body": f"Code: {CODE}",
              "html": f"<p>Code: <b>{CODE}</b></p>", **fields}
    return outbox.email_enqueue(key=key, **fields)


def run_queued(backend) -> list[str]:
    """What a worker does: run every queued task (then forget them)."""
    results = list(backend.results)
    backend.clear()
    return [result.task.call(*result.args, **result.kwargs) for result in results]


def test_it_queues_instead_of_sending(db, dummy_queue):
    email = queue_one()
    assert mail.outbox == []
    [result] = dummy_queue.results
    assert result.task.name == "send_email"
    # The task's arguments hold the row's id only: no address, no code.
    assert result.args == [email.pk] and result.kwargs == {}
    assert run_queued(dummy_queue) == ["sent"]
    [sent] = mail.outbox
    assert sent.to == ["someone@example.com"] and CODE in sent.body
    assert sent.alternatives[0][1] == "text/html" and CODE in sent.alternatives[0][0]


def test_it_sends_once_when_the_task_runs_twice(db, dummy_queue):
    email = queue_one()
    assert outbox.email_deliver(email_id=email.pk) == "sent"
    assert outbox.email_deliver(email_id=email.pk) == "skipped"
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.sent_at is not None and email.attempts == 1
    # The code is gone from the database once it went.
    assert CODE not in email.body + email.html


def test_a_key_queues_one_email_however_often_it_is_asked(db, dummy_queue):
    first = queue_one(key="digest:7:2026-03-02")
    again = queue_one(key="digest:7:2026-03-02", subject="Another")
    assert again.pk == first.pk
    assert len(dummy_queue.results) == 1
    run_queued(dummy_queue)
    assert len(mail.outbox) == 1


def test_it_retries_a_failing_smtp_server_with_backoff(db, dummy_queue, flaky):
    email = queue_one()
    before = timezone.now()
    assert run_queued(dummy_queue) == ["retrying"]
    assert mail.outbox == []
    email.refresh_from_db()
    assert email.status == EmailStatus.QUEUED and email.attempts == 1
    assert email.last_error == "builtins.ConnectionRefusedError"
    assert email.next_attempt_at >= before + outbox.retry_delay(1)
    # The retry is queued for later, not now.
    [retry] = dummy_queue.results
    assert retry.args == [email.pk] and retry.task.run_after == email.next_attempt_at
    assert run_queued(dummy_queue) == ["sent"]
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 2


def test_the_waits_grow(db):
    delays = [outbox.retry_delay(n) for n in range(1, outbox.MAX_ATTEMPTS)]
    assert delays == sorted(delays) and delays[0] < delays[-1]


def test_it_gives_up_after_the_last_attempt(db, dummy_queue, flaky):
    flaky.failures = outbox.MAX_ATTEMPTS
    email = queue_one()
    outcomes = []
    for _ in range(outbox.MAX_ATTEMPTS):
        outcomes += run_queued(dummy_queue)
    assert outcomes == ["retrying"] * (outbox.MAX_ATTEMPTS - 1) + ["failed"]
    assert dummy_queue.results == []
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and email.sent_at is None
    assert CODE not in email.body + email.html
    assert mail.outbox == []


def test_failures_log_no_address_subject_or_body(db, dummy_queue, flaky, caplog):
    queue_one(subject="Sign in with SUBJECT-SECRET")
    with caplog.at_level(logging.DEBUG):
        run_queued(dummy_queue)
    assert "retrying" in caplog.text
    for secret in (CODE, "someone@example.com", "SUBJECT-SECRET"):
        assert secret not in caplog.text


def test_a_backend_that_cannot_wait_leaves_the_retry_to_the_sweep(db, flaky):
    # The immediate backend (TASK_BACKEND=immediate) runs the task at once and
    # cannot defer the retry: the row waits for `manage.py requeue_emails`.
    email = queue_one()
    email.refresh_from_db()
    assert email.status == EmailStatus.QUEUED and email.attempts == 1
    later = email.next_attempt_at + outbox.REQUEUE_AFTER
    assert outbox.emails_sweep(now=later).requeued == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and len(mail.outbox) == 1


def test_the_sweep_requeues_lost_tasks_once_and_reports_stuck_rows(db, dummy_queue):
    lost = queue_one(key="lost:1")
    stuck = queue_one(key="stuck:1")
    dummy_queue.clear()  # both tasks lost
    now = timezone.now() + outbox.REQUEUE_AFTER + timedelta(minutes=1)
    OutboundEmail.objects.filter(pk=stuck.pk).update(status=EmailStatus.SENDING, claimed_at=now - outbox.STUCK_AFTER)
    sweep = outbox.emails_sweep(now=now)
    assert (sweep.requeued, sweep.stuck) == (1, 1)
    assert [r.args for r in dummy_queue.results] == [[lost.pk]]
    # Its task is queued again: the next sweep waits for it.
    assert outbox.emails_sweep(now=now + timedelta(minutes=1)).requeued == 0
    run_queued(dummy_queue)
    assert len(mail.outbox) == 1  # the stuck one is never resent


def test_the_sweep_deletes_old_sent_rows(db, dummy_queue):
    email = queue_one()
    run_queued(dummy_queue)
    assert outbox.emails_sweep(now=timezone.now()).pruned == 0
    assert outbox.emails_sweep(now=email.created_at + outbox.KEEP_FOR + timedelta(seconds=1)).pruned == 1
    assert not OutboundEmail.objects.exists()


def test_requeue_emails_command_says_what_it_did(db, dummy_queue):
    from io import StringIO

    out = StringIO()
    call_command("requeue_emails", stdout=out)
    assert "Queued 0 emails again" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_the_queued_email(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    from django_tasks_db.models import DBTaskResult

    email = queue_one()
    [row] = DBTaskResult.objects.all()
    assert row.args_kwargs == {"args": [email.pk], "kwargs": {}}
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and row.return_value == "sent"
