"""Two workers given the same email at the same moment (a task delivered
twice, or a sweep racing a retry) send it once. On PostgreSQL two threads,
each with its own connection, meet just before their claim; SQLite cannot
run two writers, so there the second claim follows the first."""

from __future__ import annotations

import threading

from django.core import mail
from django.db import connection
from django.utils import timezone

from notifications import outbox
from notifications.models import EmailStatus, OutboundEmail


def test_two_workers_at_once_send_an_email_once(transactional_db, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    email = outbox.email_enqueue(key="test:race", to=["lea@example.com"], subject="Hello", body="Body")
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2, timeout=30)
        real_now, met = timezone.now, threading.local()

        def now_after_meeting():
            # email_deliver asks the time right before its claim: both
            # threads wait there for each other, then claim together.
            if not getattr(met, "done", False):
                met.done = True
                barrier.wait()
            return real_now()

        monkeypatch.setattr(outbox.timezone, "now", now_after_meeting)
        outcomes, errors = [], []

        def work():
            try:
                outcomes.append(outbox.email_deliver(email_id=email.pk))
            except Exception as error:  # surfaced below: a thread's assert would be lost
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=work) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
    else:
        outcomes = [outbox.email_deliver(email_id=email.pk), outbox.email_deliver(email_id=email.pk)]
    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(mail.outbox) == 1
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts) == (EmailStatus.SENT, 1)
