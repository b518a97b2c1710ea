"""'Skip the optional items': offered to a learner behind with optional items
in progress, with the finish it gives; applied through the item service."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse

from progress import repairs
from progress.enrolments import services
from progress.items.services import item_progress_set_state
from progress.models import Enrolment, ItemProgress, PlanRepair, RepairKind
from progress.state import load_state
from progress.summaries import rebuild
from tests.progress_helpers import make_enrolment, roadmap_items


def state_of(enrolment, today):
    enrolment = Enrolment.objects.select_related("roadmap").with_pause_time().get(pk=enrolment.pk)
    return load_state(enrolment, today=today, front_items=False)


@pytest.fixture
def behind(learner, roadmap):
    """Four weeks in at 5 h a week, nothing done; two 20 h items optional."""
    roadmap.items.update(estimated_hours=D(20))
    enrolment = make_enrolment(learner, roadmap, hours_per_week=5, start_date=date.today() - timedelta(days=28))
    rebuild(enrolments=[enrolment])
    return enrolment


def optional_items(roadmap, n=2):
    items = roadmap_items(roadmap)[-n:]
    for item in items:
        type(item).objects.filter(pk=item.pk).update(status="optional")
    from roadmaps.services import roadmap_touch
    roadmap_touch(roadmap=roadmap)
    return items


def kinds(enrolment):
    today = date.today()
    return [offer.kind for offer in repairs.offers(state_of(enrolment, today), today=today)]


def test_not_offered_without_optional_items_or_when_not_taken_up(behind, roadmap):
    assert "skip_optional" not in kinds(behind)
    optional_items(roadmap)
    assert "skip_optional" not in kinds(behind)  # not taken up: outside the plan already


def test_another_learner_gets_404(client, other_learner, behind):
    client.force_login(other_learner)
    assert client.post(reverse("progress:plan_repair", args=[behind.pk]), {"kind": "skip_optional"}).status_code == 404
