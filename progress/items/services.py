"""Writes to item progress: an item's state and the learner's details on it.
Keyword-only and idempotent: a double-click or a second open tab repeats the
same outcome instead of creating a duplicate row or failing."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from progress import extensions, summaries
from progress.models import Enrolment, ItemProgress, ItemState
from roadmaps.hours import item_role


def _apply_state(row: ItemProgress, state: str, now) -> list[str]:
    """Set the state and its timestamps on `row`; the changed field names."""
    if row.state == state:
        return []
    row.state = state
    row.state_changed_at = now
    changed = ["state", "state_changed_at"]
    if state in (ItemState.IN_PROGRESS, ItemState.DONE) and row.started_at is None:
        row.started_at = now
        changed.append("started_at")
    completed_at = now if state == ItemState.DONE else None
    if row.completed_at != completed_at:
        row.completed_at = completed_at
        changed.append("completed_at")
    return changed


def item_progress_set_state(*, enrolment: Enrolment, item, state: str, at: datetime | None = None) -> ItemProgress:
    """Move an item to `state`, and its step's summary with it, in one
    transaction. Idempotent: setting the state it has changes nothing
    (timestamps included). The enrolment's row is locked first, so two tabs
    (or an editor's rebuild of the summaries) never interleave with it:
    each change is applied to the summary exactly once. `at` dates the
    change back (the demo learner's past days); a learner's is now."""
    if state not in ItemState.values:
        raise ValueError(f"Unknown state {state!r}")
    now = at or timezone.now()
    with transaction.atomic():
        # The item's place in the plan (optional, one of alternatives, a
        # topic with subtopics) is read in the same query as the lock.
        summarised_at, content_version, parent_status, has_subtopics = (
            Enrolment.objects.select_for_update(of=("self",))
            .filter(pk=enrolment.pk)
            .annotate(**summaries.role_columns(item))
            .values_list("summarised_at", "roadmap__updated_at", "item_parent_status", "item_has_subtopics")
            .get()
        )
        role = item_role(item.status, parent_status=parent_status, has_subtopics=bool(has_subtopics))
        row = ItemProgress.objects.filter(enrolment=enrolment, item=item).first()
        before = row.state if row is not None else ItemState.NOT_STARTED
        if row is None:
            row = ItemProgress(enrolment=enrolment, item=item, state=ItemState.NOT_STARTED, updated_at=now)
            if not _apply_state(row, state, now):
                return row  # "not started" on an item without a row: nothing to store
            row.save(force_insert=True)
        else:
            changed = _apply_state(row, state, now)
            if not changed:
                return row
            row.save(update_fields=[*changed, "updated_at"])
        summaries.apply_state_change(
            enrolment=enrolment, item=item, before=before, after=state,
            fresh=summarised_at is not None and summarised_at == content_version, role=role,
        )
        # Other apps' part of the change (the reviews app's card), in this transaction.
        extensions.state_changed(enrolment=enrolment, row=row, item=item, before=before, now=now)
    return row


def item_progress_save_details(*, enrolment: Enrolment, item, **details) -> ItemProgress:
    """Save the note, evidence, confidence and project links of an item.
    `details` are cleaned form fields; the state is not touched."""
    allowed = {"note", "evidence_url", "confidence", "repo_url", "live_url"}
    unknown = set(details) - allowed
    if unknown:
        raise TypeError(f"Unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        row, _ = ItemProgress.objects.get_or_create(enrolment=enrolment, item=item)
        for name, value in details.items():
            setattr(row, name, value)
        row.save(update_fields=[*details, "updated_at"])
    return row
