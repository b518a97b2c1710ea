"""What the progress app does when roadmap content changes."""

from __future__ import annotations

from django.dispatch import receiver

from progress import summaries
from roadmaps.signals import content_changed


@receiver(content_changed)
def rebuild_learner_summaries(sender, roadmap_id: int, **kwargs) -> None:
    """Rebuild the step summaries of everyone on the roadmap, in the edit's
    transaction: two aggregate queries and one insert, however many items.
    (Were it missed, the loader would see the summaries as stale and
    recompute: the figures are right either way, this keeps them fast.)"""
    summaries.rebuild(roadmap_id=roadmap_id)
