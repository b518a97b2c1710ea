"""Writes for the counters a roadmap tracks: the same rules as the study log
(keyword-only, transactional, a double-click returns the first row)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from progress.models import Enrolment, MetricEntry
from progress.studylog.services import DUPLICATE_WINDOW, _lock_user


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
