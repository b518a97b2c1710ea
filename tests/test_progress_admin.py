"""Editors' learner statistics in the admin, and the seed_load command."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from progress.admin import median_logged_hours
from progress.models import Enrolment, ItemProgress, StudyEntry
from tests.factories import make_user
from tests.progress_helpers import make_enrolment, roadmap_items

pytestmark = pytest.mark.django_db


def log(user, item, minutes):
    StudyEntry.objects.create(user=user, item=item, date=date.today(), minutes=minutes)


def test_it_takes_the_median_of_per_learner_totals(learner, other_learner, roadmap):
    topic = roadmap_items(roadmap)[0]
    third = make_user()
    log(learner, topic, 60)
    log(learner, topic, 60)  # learner: 2 h in total
    log(other_learner, topic, 30)  # 0.5 h
    log(third, topic, 300)  # 5 h
    assert median_logged_hours(roadmap) == {topic.pk: (2.0, 3)}


def test_it_shows_editors_the_learner_counts_and_medians(editor_client, learner, roadmap):
    make_enrolment(learner, roadmap)
    topic = roadmap_items(roadmap)[0]
    log(learner, topic, 90)
    changelist = editor_client.get("/admin/progress/roadmaplearnerstats/")
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_list[0].enrolled_count == 1
    detail = editor_client.get(f"/admin/progress/roadmaplearnerstats/{roadmap.pk}/change/")
    assert detail.status_code == 200
    assert b"1 active" in detail.content and b"1.5" in detail.content


def test_it_keeps_learners_out_of_the_statistics(learner_client, roadmap):
    response = learner_client.get("/admin/progress/roadmaplearnerstats/")
    assert response.status_code == 302


def test_it_seeds_load_learners_idempotently(roadmap):
    call_command("seed_load", "--learners", "5", "--roadmap", roadmap.slug)
    assert User.objects.filter(email__startswith="load-").count() == 5
    assert Enrolment.objects.count() == 5
    first = ItemProgress.objects.count()
    assert first > 0 and StudyEntry.objects.exists()
    call_command("seed_load", "--learners", "3", "--roadmap", roadmap.slug)
    assert User.objects.filter(email__startswith="load-").count() == 3
    assert Enrolment.objects.count() == 3


def test_it_refuses_an_unknown_roadmap(roadmap):
    with pytest.raises(CommandError):
        call_command("seed_load", "--learners", "2", "--roadmap", "nope")
