"""What the progress app does when other apps' data changes."""

from __future__ import annotations

from django.db.models import F
from django.dispatch import receiver

from accounts.models import User
from roadmaps.signals import roadmap_changed


@receiver(roadmap_changed)
def learners_see_roadmap_change(sender, roadmap_id: int | None, **kwargs) -> None:
    """Move the data version of every learner following the roadmap (every
    learner with a current enrolment when `roadmap_id` is None), so their
    cached dashboards show the edit. One UPDATE, however many learners: an
    editor's save is rare next to the learners' page views."""
    enrolled = {"enrolments__status__in": ["active", "paused"]}
    if roadmap_id is not None:
        enrolled["enrolments__roadmap_id"] = roadmap_id
    learner_ids = User.objects.filter(**enrolled).values("pk")
    User.objects.filter(pk__in=learner_ids).update(data_version=F("data_version") + 1)
