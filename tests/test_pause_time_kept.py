"""`Enrolment.closed_pause_days`: the finished pauses' days, kept on the row by
the writes that change them, so that no learner page sums the pauses.

The rule (also in tests/test_summaries.py's property): every EnrolmentPause
with `ended_on` whose `started_on` is on or after the start date counts
`ended_on - started_on` days; the running pause is `paused_on` and is not in
the column."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from progress import summaries
from progress.enrolments import services
from progress.learner import paused_days
from progress.models import Enrolment, EnrolmentPause, EnrolmentStatus
from tests.factories import make_roadmap, make_user
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db

START = date.today() - timedelta(days=60)


def enrolled(user=None, start_date: date = START) -> Enrolment:
    enrolment, created = services.enrolment_start(
        user=user or make_user(), roadmap=make_roadmap(steps=1, items_per_step=2),
        hours_per_week=Decimal(5), start_date=start_date,
    )
    assert created
    return enrolment


def pause_between(enrolment: Enrolment, first: date, last: date) -> None:
    services.enrolment_pause(enrolment=enrolment, today=first)
    services.enrolment_resume(enrolment=enrolment, today=last)


def kept_days(enrolment: Enrolment) -> int:
    return Enrolment.objects.get(pk=enrolment.pk).closed_pause_days


def recounted(enrolment: Enrolment) -> int:
    """The rule, read off the raw rows, independently of the app's code."""
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    return sum(
        (pause.ended_on - pause.started_on).days
        for pause in EnrolmentPause.objects.filter(enrolment=enrolment)
        if pause.ended_on is not None and pause.started_on >= enrolment.start_date
    )


# --- The writes ------------------------------------------------------------------


def test_a_pause_and_a_resume_keep_the_paused_days():
    enrolment = enrolled()
    pause_between(enrolment, START + timedelta(days=3), START + timedelta(days=10))
    pause_between(enrolment, START + timedelta(days=20), START + timedelta(days=22))

    loaded = Enrolment.objects.get(pk=enrolment.pk)
    assert loaded.closed_pause_days == 9 == recounted(enrolment)
    assert loaded.closed_pause_time == timedelta(days=9)
    assert paused_days(loaded, START + timedelta(days=30)) == 9


def test_an_enrolment_never_paused_has_no_pause_time():
    enrolment = Enrolment.objects.get(pk=enrolled().pk)
    assert enrolment.closed_pause_days == 0
    assert enrolment.closed_pause_time is None


def test_the_running_pause_is_not_in_the_column_but_on_the_row():
    enrolment = enrolled()
    pause_between(enrolment, START + timedelta(days=1), START + timedelta(days=3))
    services.enrolment_pause(enrolment=enrolment, today=START + timedelta(days=10))

    loaded = Enrolment.objects.get(pk=enrolment.pk)
    assert loaded.closed_pause_days == 2
    assert loaded.paused_on == START + timedelta(days=10)
    assert paused_days(loaded, START + timedelta(days=14)) == 2 + 4


def test_a_pause_before_the_start_date_does_not_count():
    enrolment = enrolled()
    pause_between(enrolment, START - timedelta(days=10), START - timedelta(days=5))
    assert kept_days(enrolment) == 0 == recounted(enrolment)


def test_moving_the_start_date_recounts_the_pauses():
    enrolment = enrolled()
    pause_between(enrolment, START - timedelta(days=10), START - timedelta(days=5))  # before the start
    pause_between(enrolment, START + timedelta(days=2), START + timedelta(days=6))
    assert kept_days(enrolment) == 4

    services.enrolment_change_start(enrolment=enrolment, start_date=START - timedelta(days=20), today=START)
    assert kept_days(enrolment) == 5 + 4 == recounted(enrolment)

    services.enrolment_change_start(
        enrolment=enrolment, start_date=START + timedelta(days=3), today=START + timedelta(days=7)
    )
    assert kept_days(enrolment) == 0 == recounted(enrolment)


def test_the_new_start_dates_pace_mark_counts_the_pauses_since_that_date():
    """The mark is taken after the recount: the pauses before the new start are not in it."""
    enrolment = enrolled()
    pause_between(enrolment, START + timedelta(days=2), START + timedelta(days=6))
    today = START + timedelta(days=30)
    services.enrolment_change_start(enrolment=enrolment, start_date=START + timedelta(days=10), today=today)
    assert Enrolment.objects.get(pk=enrolment.pk).pace_from_days == 20  # no pause since the new start


def test_leaving_closes_the_pause_and_counts_it():
    enrolment = enrolled()
    services.enrolment_pause(enrolment=enrolment, today=START + timedelta(days=1))
    services.enrolment_leave(enrolment=enrolment, today=START + timedelta(days=5))

    loaded = Enrolment.objects.get(pk=enrolment.pk)
    assert loaded.status == EnrolmentStatus.LEFT and loaded.paused_on is None
    assert loaded.closed_pause_days == 4 == recounted(enrolment)


def test_restarting_counts_only_the_pauses_since_the_new_start():
    enrolment = enrolled()
    pause_between(enrolment, START + timedelta(days=2), START + timedelta(days=6))
    services.enrolment_pause(enrolment=enrolment, today=START + timedelta(days=20))
    services.enrolment_restart(
        enrolment=enrolment, start_date=START + timedelta(days=10), today=START + timedelta(days=23)
    )
    # The running pause was closed (3 days, after the new start); the first one is before it.
    assert kept_days(enrolment) == 3 == recounted(enrolment)

    services.enrolment_restart(
        enrolment=enrolment, start_date=START + timedelta(days=30), today=START + timedelta(days=30)
    )
    assert kept_days(enrolment) == 0 == recounted(enrolment)


def test_enrolling_again_with_a_new_start_date_recounts():
    enrolment = enrolled()
    pause_between(enrolment, START + timedelta(days=2), START + timedelta(days=6))
    services.enrolment_leave(enrolment=enrolment, today=START + timedelta(days=8))
    services.enrolment_start(
        user=enrolment.user, roadmap=enrolment.roadmap, hours_per_week=Decimal(5),
        start_date=START + timedelta(days=9),
    )
    assert kept_days(enrolment) == 0 == recounted(enrolment)


def test_a_staff_edit_of_the_start_date_in_the_admin_recounts():
    enrolment = enrolled()
    pause_between(enrolment, START + timedelta(days=2), START + timedelta(days=6))
    staff = Client()
    staff.force_login(make_user("root@example.com", is_staff=True, is_superuser=True))
    url = reverse("admin:progress_enrolment_change", args=[enrolment.pk])
    data = form_data(staff.get(url), "enrolment_form")
    data["start_date"] = (START + timedelta(days=3)).isoformat()

    response = staff.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Enrolment.objects.get(pk=enrolment.pk).start_date == START + timedelta(days=3)
    assert kept_days(enrolment) == 0 == recounted(enrolment)


def test_rebuild_repairs_a_wrong_figure():
    enrolment = enrolled()
    pause_between(enrolment, START + timedelta(days=2), START + timedelta(days=6))
    other = enrolled()
    Enrolment.objects.filter(pk__in=[enrolment.pk, other.pk]).update(closed_pause_days=99)

    summaries.rebuild()
    assert (kept_days(enrolment), kept_days(other)) == (4, 0)


# --- The pages read the column -----------------------------------------------------


def page_queries(client: Client, path: str) -> list[str]:
    assert client.get(path).status_code == 200  # warm the shared content cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("page", ["dashboard", "roadmap page", "plan"])
def test_the_learner_pages_neither_query_the_pauses_nor_grow_with_them(page):
    paths = {
        "dashboard": lambda enrolment: "/dashboard/",
        "roadmap page": lambda enrolment: enrolment.roadmap.get_absolute_url(),
        "plan": lambda enrolment: reverse("progress:plan", args=[enrolment.pk]),
    }
    counts = {}
    for name, pauses in (("never paused", 0), ("paused five times", 5)):
        enrolment = enrolled()
        for n in range(pauses):
            pause_between(enrolment, START + timedelta(days=3 * n), START + timedelta(days=3 * n + 2))
        assert kept_days(enrolment) == 2 * pauses
        client = Client()
        client.force_login(enrolment.user)
        counts[name] = page_queries(client, paths[page](enrolment))
        assert not [sql for sql in counts[name] if "progress_enrolmentpause" in sql], name
    assert len(counts["never paused"]) == len(counts["paused five times"])


# --- The migration -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_column_from_the_pause_rows():
    before = [("progress", "0010_repair_skip_optional")]
    after = [("progress", "0011_enrolment_closed_pause_days")]
    user, roadmap, elsewhere = make_user(), make_roadmap(steps=1, items_per_step=1), make_roadmap(steps=1)
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        OldEnrolment, OldPause = old.get_model("progress", "Enrolment"), old.get_model("progress", "EnrolmentPause")
        paused = OldEnrolment.objects.create(
            user_id=user.pk, roadmap_id=roadmap.pk, hours_per_week=Decimal(5), start_date=START)
        never = OldEnrolment.objects.create(
            user_id=user.pk, roadmap_id=elsewhere.pk, hours_per_week=Decimal(5), start_date=START)
        for first, last in ((-10, -5), (2, 6), (10, 13), (20, None)):  # before the start; 4 + 3 days; running
            OldPause.objects.create(
                enrolment=paused, started_on=START + timedelta(days=first),
                ended_on=None if last is None else START + timedelta(days=last),
            )

        MigrationExecutor(connection).migrate(after)
        assert Enrolment.objects.get(pk=paused.pk).closed_pause_days == 7 == recounted(paused)
        assert Enrolment.objects.get(pk=never.pk).closed_pause_days == 0

        # db_default: the previous release, which does not know the column, still inserts.
        third = make_roadmap(steps=1)
        inserted = OldEnrolment.objects.create(
            user_id=user.pk, roadmap_id=third.pk, hours_per_week=Decimal(5), start_date=START)
        assert Enrolment.objects.get(pk=inserted.pk).closed_pause_days == 0
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
