"""Adding a personal milestone is idempotent: a double-click, a re-sent form
or ten identical POSTs at once make one row, and positions stay unique."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from progress.enrolments import services
from progress.models import Milestone
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment


@pytest.fixture
def enrolment(learner):
    return make_enrolment(learner, make_roadmap())


def test_it_makes_one_milestone_of_a_double_click(learner_client, enrolment):
    url = reverse("progress:milestone_add", args=[enrolment.pk])
    for _ in range(2):
        response = learner_client.post(url, {"title": "Ship the API", "due_date": ""})
        assert response.status_code == 302
    assert list(Milestone.objects.filter(enrolment=enrolment).values_list("title", "position")) == [("Ship the API", 1)]


def test_it_adds_two_different_milestones_in_order(enrolment):
    first, created_first = services.milestone_add(enrolment=enrolment, title="One")
    second, created_second = services.milestone_add(enrolment=enrolment, title="Two")
    assert created_first and created_second
    assert (first.position, second.position) == (1, 2)


def test_it_adds_the_same_title_again_once_the_moment_has_passed(enrolment):
    first, _ = services.milestone_add(enrolment=enrolment, title="Revise")
    Milestone.objects.filter(pk=first.pk).update(created_at=timezone.now() - services.DUPLICATE_WINDOW - timedelta(1))
    second, created = services.milestone_add(enrolment=enrolment, title="Revise")
    assert created and second.pk != first.pk and second.position == 2


def test_it_keeps_one_position_per_enrolment_in_the_database(enrolment):
    Milestone.objects.create(enrolment=enrolment, title="A", position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.create(enrolment=enrolment, title="B", position=1)
    other = make_enrolment(make_user(), enrolment.roadmap)
    Milestone.objects.create(enrolment=other, title="A", position=1)  # another enrolment's numbering


@pytest.mark.django_db(transaction=True)
def test_it_renumbers_duplicate_positions_before_the_constraint():
    """Rows an old release made with repeated positions get 1..n in their old
    order before the constraint goes on; other enrolments keep theirs."""
    before, after = [("progress", "0004_enrolment_step_summaries")], [("progress", "0006_milestone_unique_position")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        user_model = old.get_model("accounts", "User")
        roadmap = old.get_model("roadmaps", "Roadmap").objects.create(slug="old", title="Old", summary="s")
        enrolment_model = old.get_model("progress", "Enrolment")
        milestone_model = old.get_model("progress", "Milestone")
        first, second = (
            enrolment_model.objects.create(user=user_model.objects.create(email=email, password="!"), roadmap=roadmap,
                                           hours_per_week=5, start_date="2025-01-06")
            for email in ("old@example.com", "old2@example.com")
        )
        for title, position in [("a", 1), ("b", 1), ("c", 2), ("d", 2), ("e", 0)]:
            milestone_model.objects.create(enrolment=first, title=title, position=position)
        milestone_model.objects.create(enrolment=second, title="kept", position=7)
        MigrationExecutor(connection).migrate(after)
        rows = milestone_model.objects.order_by("enrolment_id", "position")
        assert [(row.enrolment_id, row.title, row.position) for row in rows] == [
            (first.pk, "e", 1), (first.pk, "a", 2), (first.pk, "b", 3), (first.pk, "c", 4), (first.pk, "d", 5),
            (second.pk, "kept", 7),
        ]
    finally:
        # Back to the latest schema, whatever came after 0006, for the tests that follow.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_it_makes_one_milestone_of_ten_concurrent_posts():
    learner = make_user()
    enrolment = make_enrolment(learner, make_roadmap())
    url = reverse("progress:milestone_add", args=[enrolment.pk])
    data = {"title": "Deploy it", "due_date": ""}
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(10)
        statuses, errors = [], []

        def worker():
            client = Client()
            client.force_login(learner)
            try:
                barrier.wait()
                statuses.append(client.post(url, data).status_code)
            except Exception as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == [] and statuses == [302] * 10
    else:  # SQLite serialises writers: the POSTs arrive one after another
        client = Client()
        client.force_login(learner)
        for _ in range(10):
            assert client.post(url, data).status_code == 302
    assert list(Milestone.objects.filter(enrolment=enrolment).values_list("title", "position")) == [("Deploy it", 1)]
