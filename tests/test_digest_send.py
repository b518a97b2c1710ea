""""Your week on Waymark": who gets it and when (their weekday, their time
zone, their setting), what it says, and that a learner-week gets one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import default_task_backend

from notifications import digest
from notifications.models import DigestSent, OutboundEmail
from progress import summaries
from progress.items.services import item_progress_set_state
from progress.models import ItemProgress, StudyEntry
from roadmaps.models import Item
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment, roadmap_items

# Monday 9 March 2026, 09:00 UTC: Monday in London and Auckland (22:00),
# still Sunday in Honolulu (23:00 on the 8th).
NOW = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
LAST_WEEK = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://waymark.example.com"


def learner_on_a_roadmap(email="lea@example.com", **fields):
    user = make_user(email, display_name="Lea", **fields)
    roadmap = make_roadmap(title="Rust in 12 weeks")
    enrolment = make_enrolment(user, roadmap, start_date=LAST_WEEK - timedelta(weeks=1))
    return user, enrolment


def run() -> str:
    out = StringIO()
    call_command("send_weekly_digests", stdout=out)
    return out.getvalue()


def test_it_tells_the_learner_about_their_week(db):
    user, enrolment = learner_on_a_roadmap()
    first, second, *rest = roadmap_items(enrolment.roadmap)
    row = item_progress_set_state(enrolment=enrolment, item=first, state="done")
    ItemProgress.objects.filter(pk=row.pk).update(completed_at=datetime(2026, 3, 4, 18, tzinfo=UTC))
    for day, minutes in ((date(2026, 3, 3), 120), (date(2026, 3, 4), 60), (date(2026, 2, 25), 600)):
        StudyEntry.objects.create(user=user, enrolment=enrolment, date=day, minutes=minutes)

    assert digest.digests_enqueue(now=NOW) == 1
    [message] = mail.outbox
    assert message.to == ["lea@example.com"]
    assert message.subject == "Your week on Waymark: 2 Mar–8 Mar"
    text, html = message.body, message.alternatives[0][0]
    assert "3.0 of your 10.0 hours" in text  # last week's 180 minutes against the goal
    assert "Weekly streak: 1 week at your goal" in text  # the week of 23 Feb met it
    assert f"- {first.title} (Rust in 12 weeks)" in text  # finished last week
    assert f"- {second.title}" in text and "COMING UP" in text  # planned from today
    assert "TIME TO LOOK BACK" in text and "/retrospectives/" in text  # weeks 1–2 ended on the 8th
    assert "https://waymark.example.com/notifications/unsubscribe/?token=" in text
    assert f"<li>{first.title} <small>" in html and "Stop the weekly summary" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<https://waymark.example.com/notifications/unsubscribe/?token=")
    claim = DigestSent.objects.get()
    assert (claim.user, claim.week, claim.day) == (user, date(2026, 3, 9), date(2026, 3, 9))
    assert claim.email.status == "sent"


def test_a_quiet_week_still_lists_what_comes_next_and_no_empty_parts(db):
    learner_on_a_roadmap()
    digest.digests_enqueue(now=NOW)
    text = mail.outbox[0].body
    assert "0.0 of your 10.0 hours" in text and "COMING UP" in text
    assert "FINISHED" not in text


def test_coming_up_counts_the_hours_planned_this_week_not_the_items_sizes(db):
    user, enrolment = learner_on_a_roadmap()
    enrolment.hours_per_week = 6
    enrolment.save()
    first, *rest = roadmap_items(enrolment.roadmap)
    Item.objects.filter(pk=first.pk).update(estimated_hours=30)  # begun this week, weeks to go
    summaries.rebuild(enrolments=[enrolment])
    digest.digests_enqueue(now=NOW)
    text = mail.outbox[0].body
    assert "Rust in 12 weeks, about 6 hours:" in text and f"- {first.title}" in text  # was "about 30 hours"


def test_it_sends_once_when_run_twice(db):
    # The command runs at the real time: the learner's day is today (UTC).
    learner_on_a_roadmap(time_zone="UTC", digest_weekday=timezone.now().weekday())
    assert run() == "Queued 1 weekly digest.\n"
    assert run() == "Queued 0 weekly digests.\n"
    assert len(mail.outbox) == 1 and DigestSent.objects.count() == 1


def test_it_sends_once_when_the_task_runs_twice(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    learner_on_a_roadmap()
    assert digest.digests_enqueue(now=NOW) == 1
    [task] = default_task_backend.results
    assert task.task.name == "send_weekly_digest" and task.args == [DigestSent.objects.get().pk]
    assert task.task.call(*task.args) == "queued"
    assert task.task.call(*task.args) == "queued"
    assert OutboundEmail.objects.count() == 1
    assert [r.task.name for r in default_task_backend.results] == ["send_weekly_digest", "send_email"]
    default_task_backend.clear()


def test_it_respects_the_setting(db):
    learner_on_a_roadmap("off@example.com", weekly_digest=False)
    make_user("idle@example.com")  # follows no roadmap: nothing to tell
    learner_on_a_roadmap("gone@example.com", is_active=False)
    assert digest.digests_enqueue(now=NOW) == 0 and mail.outbox == []


def test_it_skips_a_learner_who_turned_it_off_after_the_claim(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    user, _ = learner_on_a_roadmap()
    digest.digests_enqueue(now=NOW)
    type(user).objects.filter(pk=user.pk).update(weekly_digest=False)
    [task] = default_task_backend.results
    assert task.task.call(*task.args) == "off"
    assert not OutboundEmail.objects.exists()
    default_task_backend.clear()


def test_it_waits_for_the_learners_weekday(db):
    learner_on_a_roadmap(digest_weekday=2)  # Wednesday
    assert digest.digests_enqueue(now=NOW) == 0
    assert digest.digests_enqueue(now=NOW + timedelta(days=1)) == 0
    assert digest.digests_enqueue(now=NOW + timedelta(days=2)) == 1
    assert DigestSent.objects.get().week == date(2026, 3, 9)


def test_later_the_same_day_sends_nothing_more(db):
    learner_on_a_roadmap()
    assert digest.digests_enqueue(now=NOW) == 1
    assert digest.digests_enqueue(now=NOW + timedelta(hours=5)) == 0
    assert len(mail.outbox) == 1


def test_a_new_weekday_in_the_same_week_sends_nothing_more(db):
    user, _ = learner_on_a_roadmap()
    assert digest.digests_enqueue(now=NOW) == 1
    type(user).objects.filter(pk=user.pk).update(digest_weekday=3)
    assert digest.digests_enqueue(now=NOW + timedelta(days=3)) == 0
    assert digest.digests_enqueue(now=NOW + timedelta(days=7)) == 0  # next Monday: not Thursday
    assert digest.digests_enqueue(now=NOW + timedelta(days=10)) == 1  # next Thursday


def test_it_follows_each_learners_time_zone(db):
    learner_on_a_roadmap("hnl@example.com", time_zone="Pacific/Honolulu")
    learner_on_a_roadmap("akl@example.com", time_zone="Pacific/Auckland")
    assert digest.digests_enqueue(now=NOW) == 1  # Monday 22:00 in Auckland, Sunday in Honolulu
    assert [m.to[0] for m in mail.outbox] == ["akl@example.com"]
    assert digest.digests_enqueue(now=NOW + timedelta(minutes=59)) == 0  # 23:59 Sunday in Honolulu
    assert digest.digests_enqueue(now=NOW + timedelta(hours=1)) == 1  # 00:00 Monday in Honolulu
    assert [m.to[0] for m in mail.outbox] == ["akl@example.com", "hnl@example.com"]
    assert digest.digests_enqueue(now=NOW + timedelta(hours=2)) == 0  # Tuesday in Auckland, sent in Honolulu
    assert set(DigestSent.objects.values_list("week", "day")) == {(date(2026, 3, 9), date(2026, 3, 9))}


def test_last_week_is_the_learners_own(db):
    # 23:30 on Sunday 8 March in UTC is Monday in Auckland: that entry is
    # last week's there; one from Monday 9 March (Auckland) is this week's.
    user, enrolment = learner_on_a_roadmap(time_zone="Pacific/Auckland")
    StudyEntry.objects.create(user=user, enrolment=enrolment, date=date(2026, 3, 8), minutes=90)
    StudyEntry.objects.create(user=user, enrolment=enrolment, date=date(2026, 3, 9), minutes=600)
    digest.digests_enqueue(now=datetime(2026, 3, 8, 23, 30, tzinfo=UTC))
    assert "1.5 of your 10.0 hours" in mail.outbox[0].body


def test_its_queries_do_not_grow_with_the_learners_roadmaps(db, django_assert_max_num_queries):
    user, _ = learner_on_a_roadmap()
    with django_assert_max_num_queries(25) as one:
        digest.digest_context(user=user, today=date(2026, 3, 9))
    for _ in range(3):
        make_enrolment(user, make_roadmap(steps=4, items_per_step=20), start_date=LAST_WEEK)
    with django_assert_max_num_queries(len(one.captured_queries)):
        digest.digest_context(user=user, today=date(2026, 3, 9))
