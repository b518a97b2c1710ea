"""send_group_digests: each organiser gets last week's digest of each group
once, in their own calendar; idempotent across runs and concurrent runs."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from groups import digest
from groups.models import GroupDigest, Role, SharedRetrospective, StudyGroup
from progress import summaries
from progress.items.services import item_progress_set_state
from progress.studylog.services import study_entry_add
from retrospectives.models import Retrospective
from tests.factories import make_roadmap, make_user
from tests.groups_helpers import add_member, make_group
from tests.progress_helpers import make_enrolment, roadmap_items

# Wednesday 11 March 2026, noon UTC: last week is Monday 2 – Sunday 8 March.
NOW = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)
LAST_MONDAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://waymark.example.com"


def old_group(organiser, **kwargs) -> StudyGroup:
    group = make_group(organiser, **kwargs)
    StudyGroup.objects.filter(pk=group.pk).update(created_at=NOW - timedelta(weeks=8))
    group.refresh_from_db()
    return group


def run() -> str:
    out = StringIO()
    call_command("send_group_digests", stdout=out)
    return out.getvalue()


def test_it_summarises_who_moved_who_stalled_and_retrospectives_shared(db):
    organiser = make_user("org@example.com", display_name="Olga")
    roadmap = make_roadmap()
    group = old_group(organiser, roadmap=roadmap, name="Evening club")
    mover = add_member(group, make_user(display_name="Mo Mover"))
    stalled = add_member(group, make_user(display_name="Stan Still"))
    private = add_member(group, make_user(display_name="Pat Private"), share_progress=False, share_hours=False,
                         share_activity=False)
    enrolment = make_enrolment(mover.user, roadmap, start_date=date(2026, 2, 23), hours_per_week=2)
    items = roadmap_items(roadmap)
    for item in items[:2]:
        row = item_progress_set_state(enrolment=enrolment, item=item, state="done")
        type(row).objects.filter(pk=row.pk).update(completed_at=datetime(2026, 3, 4, 18, tzinfo=UTC),
                                                   state_changed_at=datetime(2026, 3, 4, 18, tzinfo=UTC))
    study_entry_add(user=mover.user, date=date(2026, 3, 5), minutes=150, enrolment=enrolment)
    study_entry_add(user=private.user, date=date(2026, 3, 5), minutes=600)
    stalled_enrolment = make_enrolment(stalled.user, roadmap, start_date=date(2026, 1, 5))
    study_entry_add(user=stalled.user, date=date(2026, 2, 1), minutes=30, enrolment=stalled_enrolment)
    retro = Retrospective.objects.create(
        enrolment=enrolment, cycle_start=enrolment.start_date, period_index=0, status="submitted",
        submitted_at=NOW, period_start=enrolment.start_date, period_end=enrolment.start_date + timedelta(days=13),
    )
    SharedRetrospective.objects.create(
        membership=mover, retrospective=retro, shared_at=datetime(2026, 3, 6, tzinfo=UTC)
    )
    summaries.rebuild(enrolments=[enrolment, stalled_enrolment])

    assert digest.digests_send(now=NOW) == 1
    [message] = mail.outbox
    assert message.to == ["org@example.com"]
    assert message.subject == "Evening club: the week of 2 March"
    body = message.body
    moved = body[body.index("Who moved"):body.index("Who stalled")]
    assert "Mo Mover: 2 items done, 2.5 h logged" in moved and "Pat" not in moved and "Stan" not in moved
    stalled_part = body[body.index("Who stalled"):body.index("Retrospectives shared")]
    assert "Stan Still: behind the plan, quiet for" in stalled_part and "Mo" not in stalled_part
    assert "Mo Mover: Weeks 1–2" in body[body.index("Retrospectives shared"):]
    assert "https://waymark.example.com/groups/" in body
    assert GroupDigest.objects.get().week == LAST_MONDAY


def test_it_sends_each_digest_once_across_runs(db):
    organisers = [make_user(f"o{n}@example.com") for n in range(3)]
    for organiser in organisers:
        old_group(organiser)
    assert run() == "Sent 3 group digests.\n"
    assert run() == "Sent 0 group digests.\n"
    assert len(mail.outbox) == 3


def test_it_writes_to_every_organiser_and_again_the_next_week(db):
    organiser = make_user("a@example.com")
    group = old_group(organiser)
    add_member(group, make_user("b@example.com"), role=Role.ORGANISER)
    add_member(group, make_user("c@example.com"))
    assert digest.digests_send(now=NOW) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.com", "b@example.com"]
    assert digest.digests_send(now=NOW + timedelta(days=2)) == 0
    assert digest.digests_send(now=NOW + timedelta(weeks=1)) == 2


def test_it_follows_the_organisers_time_zone(db):
    # Sunday 8 March, 12:00 UTC: Monday already in Auckland, not in Los Angeles.
    sunday_noon = datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
    old_group(make_user("nz@example.com", time_zone="Pacific/Auckland"))
    old_group(make_user("la@example.com", time_zone="America/Los_Angeles"))
    assert digest.digests_send(now=sunday_noon) == 2  # both: their last full weeks differ
    weeks = dict(GroupDigest.objects.values_list("organiser__email", "week"))
    assert weeks == {"nz@example.com": date(2026, 3, 2), "la@example.com": date(2026, 2, 23)}
    assert digest.digests_send(now=sunday_noon + timedelta(hours=12)) == 0  # still Sunday afternoon in Los Angeles
    assert digest.digests_send(now=sunday_noon + timedelta(hours=20)) == 1  # Monday in Los Angeles
    assert GroupDigest.objects.filter(organiser__email="la@example.com", week=date(2026, 3, 2)).exists()


def test_it_skips_new_groups_and_organisers_without_reminders(db):
    make_group(make_user("new@example.com"))  # created after last week ended
    old_group(make_user("quiet@example.com", email_notifications=False))
    assert digest.digests_send() == 0 and mail.outbox == []


def test_it_releases_the_claim_when_the_email_cannot_be_queued(db, monkeypatch):
    old_group(make_user("o@example.com"))

    def fail(*args, **kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setattr("notifications.outbox._queue", fail)
    assert digest.digests_send(now=NOW) == 0 and not GroupDigest.objects.exists()
    monkeypatch.undo()
    assert digest.digests_send(now=NOW) == 1


def test_it_sends_once_when_two_runs_overlap(transactional_db):
    """On PostgreSQL two threads, each with its own connection, run the whole
    command at once; SQLite cannot run two writers, so there both runs plan
    first and then claim, interleaved: the claim alone must stop the second."""
    for n in range(4):
        old_group(make_user(f"c{n}@example.com"))
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)
        counts, errors = [], []

        def worker():
            try:
                barrier.wait()
                counts.append(digest.digests_send(now=NOW))
            except Exception as error:  # surfaced below: a thread's assert would be lost
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == [] and sum(counts) == 4
    else:
        first, second = digest.digests_due(now=NOW), digest.digests_due(now=NOW)
        assert len(first) == len(second) == 4
        claimed = [digest.digest_claim(due=due, now=NOW) for pair in zip(first, second, strict=True) for due in pair]
        assert sum(claim is not None for claim in claimed) == 4
    assert GroupDigest.objects.count() == 4
    if connection.vendor == "postgresql":
        assert sorted(m.to[0] for m in mail.outbox) == [f"c{n}@example.com" for n in range(4)]
