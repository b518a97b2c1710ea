"""send_retrospective_reminders: each due retrospective is reminded of once."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from progress.models import EnrolmentPause
from progress.schedule import local_today
from retrospectives import services
from retrospectives.models import Retrospective
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://waymark.example.com"


def due_enrolment(user, *, weeks=2, **fields):
    start = local_today(user.time_zone) - timedelta(weeks=weeks)
    return make_enrolment(user, make_roadmap(), start_date=start, **fields)


def run() -> str:
    out = StringIO()
    call_command("send_retrospective_reminders", stdout=out)
    return out.getvalue()


def test_it_emails_a_due_retrospective_with_a_link_straight_to_the_form(db):
    learner = make_user("due@example.com", display_name="Dee")
    enrolment = due_enrolment(learner, weeks=5)  # periods 1 and 2 due: only the latest is reminded of
    assert run() == "Sent 1 retrospective reminder.\n"
    [message] = mail.outbox
    assert message.to == ["due@example.com"]
    assert message.subject == f"Time to look back: {enrolment.roadmap.title}, weeks 3–4"
    link = "https://waymark.example.com" + reverse("retrospectives:form", args=[enrolment.pk, 2])
    assert link in message.body
    assert message.alternatives[0][1] == "text/html" and f'href="{link}"' in message.alternatives[0][0]
    retro = Retrospective.objects.get()
    assert (retro.period_index, retro.status) == (1, "draft") and retro.reminder_sent_at is not None


def test_it_sends_each_reminder_once_across_repeated_runs(db):
    for n in range(3):
        due_enrolment(make_user(f"l{n}@example.com"))
    assert run() == "Sent 3 retrospective reminders.\n"
    assert run() == "Sent 0 retrospective reminders.\n"
    assert services.reminders_send() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["l0@example.com", "l1@example.com", "l2@example.com"]


def test_it_reminds_again_when_the_next_period_falls_due(db):
    learner = make_user()
    due_enrolment(learner)
    run()
    assert services.reminders_send(now=timezone.now() + timedelta(weeks=2)) == 1
    assert len(mail.outbox) == 2
    assert sorted(Retrospective.objects.values_list("period_index", flat=True)) == [0, 1]


def test_it_never_emails_opted_out_inactive_or_paused_learners(db):
    due_enrolment(make_user("optout@example.com", email_notifications=False))
    due_enrolment(make_user("gone@example.com", is_active=False))
    paused_user = make_user("paused@example.com")
    today = local_today("UTC")
    paused = due_enrolment(paused_user, weeks=3, status="paused", paused_on=today - timedelta(days=10))
    EnrolmentPause.objects.create(enrolment=paused, started_on=today - timedelta(days=10))
    due_enrolment(make_user("left@example.com"), status="left", left_at=timezone.now())
    make_enrolment(make_user("early@example.com"), make_roadmap(), start_date=today - timedelta(days=12))
    assert run() == "Sent 0 retrospective reminders.\n"
    assert mail.outbox == []
    assert not Retrospective.objects.exists()


def test_it_skips_retrospectives_already_written_or_skipped(learner_client, learner):
    enrolment = due_enrolment(learner)
    learner_client.post(reverse("retrospectives:form", args=[enrolment.pk, 1]), {"answer_0": "x", "action": "submit"})
    skipped = due_enrolment(learner)
    learner_client.post(reverse("retrospectives:skip", args=[skipped.pk, 1]))
    assert run() == "Sent 0 retrospective reminders.\n"


def test_it_uses_the_learners_own_date(db):
    # Period 1 from Mon 2 Mar 2026 ends on Sun 15 Mar. At 11:00 UTC on the 14th
    # it is already the 15th in Auckland, still the 14th in Los Angeles and UTC.
    now = datetime(2026, 3, 14, 11, 0, tzinfo=UTC)
    for email, zone in (("nz@example.com", "Pacific/Auckland"), ("la@example.com", "America/Los_Angeles")):
        make_enrolment(make_user(email, time_zone=zone), make_roadmap(), start_date=date(2026, 3, 2))
    assert services.reminders_send(now=now) == 1
    assert [m.to[0] for m in mail.outbox] == ["nz@example.com"]
    assert services.reminders_send(now=now + timedelta(hours=20)) == 1  # 00:00 on the 15th in Los Angeles
    assert [m.to[0] for m in mail.outbox] == ["nz@example.com", "la@example.com"]


def test_it_releases_the_claim_when_the_email_cannot_be_queued(db, monkeypatch):
    # A failing SMTP server is the queue's to retry (tests/test_queue_outbox.py).
    due_enrolment(make_user())

    def fail(*args, **kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setattr("notifications.outbox._queue", fail)
    assert run() == "Sent 0 retrospective reminders.\n"
    assert Retrospective.objects.get().reminder_sent_at is None
    monkeypatch.undo()
    assert run() == "Sent 1 retrospective reminder.\n"


def test_it_sends_once_when_two_runs_overlap(transactional_db):
    """Two copies at once. On PostgreSQL, two threads (each with its own
    connection) run the whole command together; SQLite cannot run writers in
    parallel, so there both runs plan first and then send, interleaved — the
    claim alone must stop the second."""
    learners = [make_user(f"c{n}@example.com") for n in range(4)]
    for learner in learners:
        due_enrolment(learner)
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)
        counts, errors = [], []

        def worker():
            try:
                barrier.wait()
                counts.append(services.reminders_send())
            except Exception as error:  # surfaced below: a thread's assert would be lost
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert sum(counts) == 4
    else:
        now = timezone.now()
        first, second = services.reminders_due(now=now), services.reminders_due(now=now)
        assert len(first) == len(second) == 4
        sent = 0
        for a, b in zip(first, second, strict=True):
            for due in (a, b):
                retro = services.reminder_claim(enrolment=due.enrolment, period=due.period, now=now)
                if retro is not None:
                    services.reminder_send(retro=retro, enrolment=due.enrolment, period=due.period)
                    sent += 1
        assert sent == 4
    assert sorted(m.to[0] for m in mail.outbox) == [f"c{n}@example.com" for n in range(4)]
    assert Retrospective.objects.count() == 4
