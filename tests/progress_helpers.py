"""Helpers for the progress tests (an enrolment factory, a big roadmap)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from progress.models import Enrolment


def make_enrolment(user, roadmap, *, hours_per_week=10, start_date: date | None = None, **fields) -> Enrolment:
    """An active enrolment, starting today unless told."""
    return Enrolment.objects.create(
        user=user,
        roadmap=roadmap,
        hours_per_week=Decimal(hours_per_week),
        start_date=start_date or date.today(),
        **fields,
    )


def roadmap_items(roadmap) -> list:
    from roadmaps.models import Item

    return list(Item.objects.filter(roadmap=roadmap).active().in_reading_order())
