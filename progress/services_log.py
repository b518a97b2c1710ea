"""Writes for the study log, metric entries, planned breaks and sharing.

Kept apart from services.py (enrolment and item state) only because two
engineers write them at once; the rules are the same: keyword-only,
transactional, idempotent under a double-click or a second tab.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from progress.models import Enrolment, MetricEntry, PlannedBreak, StudyEntry

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


@transaction.atomic
def metric_entry_add(
    *, enrolment: Enrolment, metric, date: date, amount: int, note: str = ""
) -> tuple[MetricEntry, bool]:
    _lock_user(enrolment.user_id)
    recent = MetricEntry.objects.filter(
        enrolment=enrolment, metric=metric, date=date, amount=amount, note=note,
        created_at__gte=timezone.now() - DUPLICATE_WINDOW,
    ).first()
    if recent is not None:
        return recent, False
    return MetricEntry.objects.create(enrolment=enrolment, metric=metric, date=date, amount=amount, note=note), True


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


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def enrolment_set_public(*, enrolment: Enrolment, public: bool) -> Enrolment:
    if enrolment.is_public != public:
        enrolment.is_public = public
        enrolment.save(update_fields=["is_public", "updated_at"])
    return enrolment


def enrolment_rotate_share_link(*, enrolment: Enrolment, revoke: bool = False) -> Enrolment:
    """A new secret link (the old one stops working), or none at all."""
    enrolment.share_token = None if revoke else _new_token()
    enrolment.save(update_fields=["share_token", "updated_at"])
    return enrolment


def enrolment_rotate_calendar_token(*, enrolment: Enrolment, revoke: bool = False) -> Enrolment:
    enrolment.calendar_token = None if revoke else _new_token()
    enrolment.save(update_fields=["calendar_token", "updated_at"])
    return enrolment
