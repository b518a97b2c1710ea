"""Two runs of send_weekly_digests at once (two machines' cron) send each
learner one digest. On PostgreSQL two threads, each with its own connection,
run the whole command together, meeting before every claim so that both
have found the same learners due; SQLite cannot run two writers, so there
both runs plan first and then claim, interleaved: the claim alone must
stop the second."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

from django.core import mail
from django.db import connection

from notifications import digest
from notifications.models import DigestSent, OutboundEmail
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment

NOW = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)  # a Monday


def test_two_runs_at_once_send_each_learner_one_digest(transactional_db, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    roadmap = make_roadmap()
    for n in range(4):
        make_enrolment(make_user(f"l{n}@example.com"), roadmap, start_date=date(2026, 2, 23))
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2, timeout=30)
        claim = digest.digest_claim

        def claim_together(**kwargs):
            barrier.wait()
            return claim(**kwargs)

        monkeypatch.setattr(digest, "digest_claim", claim_together)
        counts, errors = [], []

        def run():
            try:
                counts.append(digest.digests_enqueue(now=NOW))
            except Exception as error:  # surfaced below: a thread's assert would be lost
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == [] and sorted(counts) in ([0, 4], [1, 3], [2, 2]) and sum(counts) == 4
    else:
        first, second = digest.digests_due(now=NOW), digest.digests_due(now=NOW)
        assert len(first) == len(second) == 4
        claimed = [digest.digest_claim(due=due, now=NOW) for pair in zip(first, second, strict=True) for due in pair]
        assert sum(claim is not None for claim in claimed) == 4
        for claim in claimed:
            if claim is not None:
                digest.digest_send(digest_id=claim.pk)
    assert DigestSent.objects.count() == 4 and OutboundEmail.objects.count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == [f"l{n}@example.com" for n in range(4)]
