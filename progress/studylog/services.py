"""Writes for the study log and planned breaks.

Keyword-only, transactional, idempotent under a double-click or a second tab.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from progress.models import Enrolment, PlannedBreak, StudyEntry

# The same entry submitted again within this window is a double-click or a
# re-sent form, not a second session of study: it returns the first row.
DUPLICATE_WINDOW = timedelta(seconds=30)


def _lock_user(user_id: int) -> None:
    """Serialise a learner's log writes (PostgreSQL row lock; SQLite locks
    the whole database on write anyway), so the duplicate check below holds
    under two racing requests."""
    get_user_model().objects.select_for_update().filter(pk=user_id).values_list("pk", flat=True).first()


@transaction.atomic
def study_entry_add(
    *, user, date: date, minutes: int, enrolment: Enrolment | None = None, item=None, note: str = ""
) -> tuple[StudyEntry, bool]:
    """Log study time. Returns (entry, created); an identical entry made
    moments ago is returned instead of a duplicate."""
    _lock_user(user.pk)
    recent = StudyEntry.objects.filter(
        user=user, date=date, minutes=minutes, enrolment=enrolment, item=item, note=note,
        created_at__gte=timezone.now() - DUPLICATE_WINDOW,
    ).first()
    if recent is not None:
        return recent, False
    entry = StudyEntry.objects.create(
        user=user, date=date, minutes=minutes, enrolment=enrolment, item=item, note=note
    )
    return entry, True


def planned_break_set(*, user, week_start: date, on: bool) -> bool:
    """Mark (on=True) or unmark a week as a planned break. Idempotent: the
    unique constraint on (user, week) absorbs a racing second request."""
    if not on:
        PlannedBreak.objects.filter(user=user, week_start=week_start).delete()
        return False
    try:
        with transaction.atomic():
            PlannedBreak.objects.get_or_create(user=user, week_start=week_start)
    except IntegrityError:
        pass  # the other request created it
    return True
