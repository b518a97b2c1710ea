"""Writes to roadmap content that span rows or models (used by the admin)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from roadmaps.cache import roadmap_content_cache_clear
from roadmaps.models import (
    Guidance,
    Item,
    MetricDefinition,
    PacePlan,
    RetrospectivePrompt,
    Roadmap,
    Status,
    Step,
)
from roadmaps.signals import content_changed

SLUG_MAX_LENGTH = Roadmap._meta.get_field("slug").max_length


def roadmap_touch(*, roadmap: Roadmap) -> None:
    """Mark the roadmap as updated now.

    A targeted UPDATE rather than `save()`, so that it never writes back stale
    field values and can be called after any child row (step, item, …) was
    saved. `updated_at` is shown on the site and keys the cached roadmap content.
    """
    now = timezone.now()
    Roadmap.objects.filter(pk=roadmap.pk).update(updated_at=now)
    roadmap.updated_at = now
    content_changed.send(sender=Roadmap, roadmap_id=roadmap.pk)


def default_prompts_changed() -> None:
    """The global default retrospective prompts changed: they belong to no
    roadmap, so every roadmap's cached content must be read again."""
    roadmap_content_cache_clear()


@transaction.atomic
def roadmap_publish(*, roadmap: Roadmap) -> Roadmap:
    now = timezone.now()
    roadmap.status = Status.PUBLISHED
    # The first publication date stays: republishing after a correction is not news.
    if roadmap.published_at is None:
        roadmap.published_at = now
    roadmap.updated_at = now
    roadmap.save(update_fields=["status", "published_at", "updated_at"])
    return roadmap


@transaction.atomic
def roadmap_unpublish(*, roadmap: Roadmap) -> Roadmap:
    roadmap.status = Status.DRAFT
    roadmap.updated_at = timezone.now()
    roadmap.save(update_fields=["status", "updated_at"])
    return roadmap


def _free_copy_slug(slug: str) -> str:
    """"<slug>-copy", then "<slug>-copy-2", "-copy-3"… whichever is free."""
    taken = set(Roadmap.objects.filter(slug__startswith=slug[:40]).values_list("slug", flat=True))
    number = 1
    while True:
        suffix = "-copy" if number == 1 else f"-copy-{number}"
        candidate = slug[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        number += 1


def _copy_rows(model, rows, **changes) -> list:
    """Unsaved copies of `rows` with a fresh primary key and `changes` applied."""
    copies = []
    for row in rows:
        row.pk = None
        row._state.adding = True
        for name, value in changes.items():
            setattr(row, name, value(row) if callable(value) else value)
        copies.append(row)
    return model.objects.bulk_create(copies)


@transaction.atomic
def roadmap_duplicate(*, roadmap: Roadmap, created_by=None) -> Roadmap:
    """A draft copy of the roadmap with everything it holds.

    Retired items are left behind: they only exist to keep learners' records
    of the original, and a copy has no learners yet.
    """
    original_pk = roadmap.pk
    tags = list(roadmap.tags.all())
    copy = Roadmap.objects.get(pk=original_pk)
    copy.pk = None
    copy._state.adding = True
    copy.slug = _free_copy_slug(roadmap.slug)
    # The title is content: "(copy)" in the language the roadmap is written
    # in, not the language of the editor's interface.
    with translation.override(roadmap.language):
        copy_title = gettext("%(title)s (copy)") % {"title": roadmap.title}
    copy.title = copy_title[: Roadmap._meta.get_field("title").max_length]
    copy.status = Status.DRAFT
    copy.featured = False
    copy.published_at = None
    copy.created_by = created_by
    copy.updated_at = timezone.now()
    copy.save()
    copy.tags.set(tags)

    old_steps = list(Step.objects.filter(roadmap_id=original_pk).order_by("position"))
    old_step_keys = {step.pk: step.key for step in old_steps}
    _copy_rows(Step, old_steps, roadmap=copy)
    # Look the new steps up by key (unique in a roadmap) rather than relying
    # on bulk_create returning primary keys, which not every database does.
    new_steps = {step.key: step for step in Step.objects.filter(roadmap=copy)}
    _copy_rows(
        Item,
        Item.objects.filter(roadmap_id=original_pk).active(),
        roadmap=copy,
        step=lambda item: new_steps[old_step_keys[item.step_id]] if item.step_id else None,
        created_at=timezone.now(),
    )
    for model in (PacePlan, Guidance, MetricDefinition, RetrospectivePrompt):
        _copy_rows(model, model.objects.filter(roadmap_id=original_pk), roadmap=copy)
    return copy
