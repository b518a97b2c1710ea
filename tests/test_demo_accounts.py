"""`make run`'s demo accounts: seed_demo_accounts, then seed_demo_progress,
which puts Dana two weeks into a roadmap once and leaves her alone after."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from progress.models import Enrolment, ItemProgress, StudyEntry
from tests.factories import make_roadmap

pytestmark = pytest.mark.django_db


def _dana_client() -> Client:
    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="dana@example.com"))
    return client


def test_dana_is_two_weeks_into_the_first_featured_roadmap_once():
    make_roadmap()
    featured = make_roadmap(featured=True, items_per_step=6)
    call_command("seed_demo_accounts", stdout=StringIO())
    call_command("seed_demo_progress", stdout=StringIO())
    enrolment = Enrolment.objects.get(user__email="dana@example.com")
    assert enrolment.roadmap == featured
    assert ItemProgress.objects.filter(enrolment=enrolment).count() == 5
    assert StudyEntry.objects.filter(user=enrolment.user).count() == 7
    assert enrolment.user.weekly_hours_goal == enrolment.hours_per_week == 6  # no "your goal differs" at first
    assert not Enrolment.objects.filter(user__email="learner@example.com").exists()  # starts from nothing
    # Her ticks are dated within her two weeks, so her first retrospective counts them.
    done_days = sorted(
        (timezone.now() - row.completed_at).days
        for row in ItemProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False)
    )
    assert done_days == [8, 10, 13]
    response = _dana_client().get(f"/retrospectives/{enrolment.pk}/1/")
    assert re.search(r"Items completed</dt>\s*<dd>3</dd>", response.content.decode())

    # What she did since stays: the next `make run` adds nothing.
    StudyEntry.objects.filter(user=enrolment.user).first().delete()
    call_command("seed_demo_accounts", stdout=StringIO())
    call_command("seed_demo_progress", stdout=StringIO())
    assert Enrolment.objects.filter(user__email="dana@example.com").count() == 1
    assert StudyEntry.objects.filter(user=enrolment.user).count() == 6


def test_it_says_what_is_missing():
    with pytest.raises(CommandError, match="seed_demo_accounts"):
        call_command("seed_demo_progress")
    call_command("seed_demo_accounts", stdout=StringIO())
    with pytest.raises(CommandError, match="no published roadmap"):
        call_command("seed_demo_progress")


def test_it_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo_progress")
