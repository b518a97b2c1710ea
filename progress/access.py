"""Loading a learner's objects: the one place that checks ownership.

Every view of progress (and of retrospectives) loads what a URL names through
one of these helpers, each of which 404s on anything the signed-in learner
does not own.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from progress.models import Enrolment, MetricEntry, Milestone, StudyEntry
from roadmaps.models import Item, Step


def get_enrolment_for_user(user, pk: int) -> Enrolment:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("roadmap", "pace_plan"), pk=pk, user=user
    )
    enrolment.user = user  # the signed-in learner: no query to load them again
    return enrolment


def load_enrolment_on_roadmap(user, roadmap) -> Enrolment | None:
    """The learner's enrolment on `roadmap`, if any (the roadmap page)."""
    return (
        Enrolment.objects.filter(user=user, roadmap=roadmap).select_related("pace_plan").first()
    )


def get_enrolment_for_item(user, item_id: int) -> tuple[Enrolment, Item]:
    """The learner's enrolment on the roadmap of an active item, and the item:
    404 unless they follow that roadmap (the roadmap page's widgets name the
    item only, so that every learner's page can share them)."""
    item = get_object_or_404(Item.objects.active(), pk=item_id)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("roadmap", "pace_plan"), roadmap_id=item.roadmap_id,
        user=user,
    )
    enrolment.user = user
    return enrolment, item


def get_item_for_enrolment(enrolment: Enrolment, item_id: int) -> Item:
    return get_object_or_404(Item.objects.active(), pk=item_id, roadmap_id=enrolment.roadmap_id)


def get_step_for_enrolment(enrolment: Enrolment, step_id: int) -> Step:
    return get_object_or_404(Step, pk=step_id, roadmap_id=enrolment.roadmap_id)


def get_milestone_for_user(user, enrolment_pk: int, pk: int) -> Milestone:
    return get_object_or_404(
        Milestone.objects.select_related("enrolment", "step"), pk=pk, enrolment_id=enrolment_pk, enrolment__user=user
    )


def get_entry_for_user(user, pk: int) -> StudyEntry:
    return get_object_or_404(
        StudyEntry.objects.select_related("item", "enrolment__roadmap"), pk=pk, user=user
    )


def get_metric_entry_for_user(user, enrolment_pk: int, pk: int) -> MetricEntry:
    return get_object_or_404(
        MetricEntry.objects.select_related("enrolment__roadmap", "metric"),
        pk=pk, enrolment_id=enrolment_pk, enrolment__user=user,
    )
