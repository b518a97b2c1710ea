"""Signals the roadmaps app sends; it never imports the apps that listen."""

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

# A roadmap's content changed: `roadmap_id` is its pk, or None when content
# shared by every roadmap changed (the default retrospective prompts). Sent by
# `roadmap_touch` (a queryset update, which sends no post_save) and for every
# Roadmap.save(); the progress app moves its learners' data version on it, so
# their cached dashboards show the edit.
roadmap_changed = Signal()


@receiver(post_save, sender="roadmaps.Roadmap")
def _roadmap_saved(sender, instance, **kwargs) -> None:
    roadmap_changed.send(sender=sender, roadmap_id=instance.pk)
