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
    enrolment = Enrolment.objects.select_related("roadmap").get(pk=enrolment.pk)
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
    # Fresh objects: the item service reads an item's status to know what it counts as.
    return list(type(items[0]).objects.filter(pk__in=[item.pk for item in items]).order_by("pk"))


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


def take_up(enrolment, items, note="my notes on it"):
    for item in items:
        item_progress_set_state(enrolment=enrolment, item=item, state="in_progress")
    ItemProgress.objects.filter(enrolment=enrolment, item__in=items).update(note=note)
    return items


def test_offered_with_the_finish_it_gives(behind, roadmap):
    take_up(behind, optional_items(roadmap))
    today = date.today()
    state = state_of(behind, today)
    offers = {offer.kind: offer for offer in repairs.offers(state, today=today)}
    skip = offers["skip_optional"]
    assert (skip.skipped_count, skip.skipped_hours, skip.hours_per_week) == (2, D(40), D(5))
    # 40 h fewer at 5 h a week: eight weeks earlier than only moving the date.
    assert skip.finish_date == offers["move_date"].finish_date - timedelta(weeks=8)


def test_skipping_keeps_notes_puts_the_learner_on_track_and_is_recorded(learner_client, behind, roadmap):
    items = take_up(behind, optional_items(roadmap))
    today = date.today()
    offer = next(o for o in repairs.offers(state_of(behind, today), today=today) if o.kind == "skip_optional")
    plan = reverse("progress:plan", args=[behind.pk])
    body = learner_client.get(plan).content.decode()
    assert 'name="kind" value="skip_optional"' in body and "Skip the 2 optional items in progress" in body
    assert 'value="skip_optional"' in learner_client.get("/dashboard/").content.decode()
    url = reverse("progress:plan_repair", args=[behind.pk])
    assert learner_client.get(url).status_code == 405
    response = learner_client.post(url, {"kind": "skip_optional", "next": plan})
    assert response.status_code == 302 and response["Location"] == plan
    rows = ItemProgress.objects.filter(enrolment=behind, item__in=items)
    assert sorted(rows.values_list("state", "note")) == [("skipped", "my notes on it")] * 2
    repair = PlanRepair.objects.get(enrolment=behind)
    assert (repair.kind, repair.made_on, repair.finish_after) == ("skip_optional", today, offer.finish_date)
    after = state_of(behind, today)
    assert after.schedule.finish_date == offer.finish_date and after.pace.status == "on_track"
    assert after.progress.optional_open_count == 0
    # A second tap finds nothing to skip.
    assert services.enrolment_repair(enrolment=behind, kind=RepairKind.SKIP_OPTIONAL, today=today) is None
    assert PlanRepair.objects.count() == 1
    assert "nothing was changed" in learner_client.post(url, {"kind": "skip_optional"}, follow=True).content.decode()


def test_the_summaries_equal_a_recompute_after_skipping(behind, roadmap):
    from progress.models import EnrolmentStep

    take_up(behind, optional_items(roadmap))
    services.enrolment_repair(enrolment=behind, kind=RepairKind.SKIP_OPTIONAL, today=date.today())
    fields = ("step_id", "item_count", "skipped_count", "in_progress_count", "optional_open_count",
              "optional_open_hours", "done_hours", "total_hours")
    kept = sorted(EnrolmentStep.objects.filter(enrolment=behind).values_list(*fields))
    rebuild(enrolments=[behind])
    assert sorted(EnrolmentStep.objects.filter(enrolment=behind).values_list(*fields)) == kept


def test_needs_a_csrf_token(behind, roadmap, learner):
    from django.test import Client

    take_up(behind, optional_items(roadmap))
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    url = reverse("progress:plan_repair", args=[behind.pk])
    assert client.post(url, {"kind": "skip_optional"}).status_code == 403
    assert not PlanRepair.objects.exists()


def test_the_retrospective_facts_name_the_repair(behind, roadmap):
    from retrospectives.facts import compute_facts
    from retrospectives.periods import period

    take_up(behind, optional_items(roadmap))
    today = date.today()
    services.enrolment_repair(enrolment=behind, kind=RepairKind.SKIP_OPTIONAL, today=today)
    enrolment = Enrolment.objects.select_related("roadmap", "user").get(pk=behind.pk)
    facts = compute_facts(enrolment=enrolment, period=period(start=behind.start_date, interval_weeks=6, index=0),
                          today=today)
    assert [(r["kind"], r["made_on"]) for r in facts["repairs"]] == [("skip_optional", today.isoformat())]


def test_the_repair_costs_the_same_queries_on_a_big_roadmap(learner, other_learner, django_assert_max_num_queries):
    """Bounded by the optional items in progress (each goes through the item
    service), not by the roadmap's size or the learner's rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_roadmap

    counts = {}
    for name, user, steps, per_step in (("small", learner, 2, 3), ("big", other_learner, 20, 30)):
        roadmap = make_roadmap(steps=steps, items_per_step=per_step)
        roadmap.items.update(estimated_hours=D(20))
        enrolment = make_enrolment(user, roadmap, hours_per_week=5, start_date=date.today() - timedelta(days=28))
        optional = optional_items(roadmap)
        others = [item for item in roadmap_items(roadmap) if item.pk not in {o.pk for o in optional}]
        ItemProgress.objects.bulk_create(ItemProgress(enrolment=enrolment, item=item, state="in_progress")
                                         for item in others[: len(others) // 2])
        rebuild(enrolments=[enrolment])
        take_up(enrolment, optional)
        with django_assert_max_num_queries(40), CaptureQueriesContext(connection) as captured:
            assert services.enrolment_repair(enrolment=enrolment, kind=RepairKind.SKIP_OPTIONAL) is not None
        counts[name] = len([q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]])
    assert counts["small"] == counts["big"], counts
