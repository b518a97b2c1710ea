"""The weekly digest to organisers: who moved, who stalled, retrospectives
shared. Each organiser gets last week's, in their own calendar, once:
the `GroupDigest` row is claimed (a unique insert) before the email goes,
so a second run — or two at once on PostgreSQL — sends nothing twice. A
digest whose email fails is released, and the next run retries it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation

from groups import emails
from groups.board import load_board
from groups.models import GroupDigest, Membership, SharedRetrospective
from progress.models import ItemProgress, ItemState
from progress.schedule import local_today, week_start
from retrospectives import periods

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DueDigest:
    organiser: Membership
    week: date  # the Monday of the week summarised


def digests_due(*, now: datetime) -> list[DueDigest]:
    """Every organiser (with reminders on) whose last full week in their own
    calendar has no digest yet, for groups that existed by its end."""
    candidates = []
    organisers = (
        Membership.objects.organisers()
        .filter(user__is_active=True, user__email_notifications=True)
        .select_related("user", "group__roadmap")
        .order_by("pk")
    )
    for organiser in organisers:
        week = week_start(local_today(organiser.user.time_zone, now)) - timedelta(weeks=1)
        if local_today(organiser.user.time_zone, organiser.group.created_at) <= week + timedelta(days=6):
            candidates.append(DueDigest(organiser, week))
    if not candidates:
        return []
    sent = set(
        GroupDigest.objects.filter(organiser_id__in={c.organiser.user_id for c in candidates})
        .values_list("group_id", "organiser_id", "week")
    )
    return [c for c in candidates if (c.organiser.group_id, c.organiser.user_id, c.week) not in sent]


def digest_claim(*, due: DueDigest, now: datetime) -> GroupDigest | None:
    try:
        with transaction.atomic():
            return GroupDigest.objects.create(
                group_id=due.organiser.group_id, organiser_id=due.organiser.user_id, week=due.week, claimed_at=now
            )
    except IntegrityError:
        return None  # another run claimed it


def _bounds(week: date, time_zone: str) -> tuple[datetime, datetime]:
    zone = periods.zone(time_zone)
    return (datetime.combine(week, time.min, tzinfo=zone),
            datetime.combine(week + timedelta(weeks=1), time.min, tzinfo=zone))


def digest_context(*, due: DueDigest) -> dict:
    """What the digest says, from the group page's loader as of the week's
    last day (the figures the organiser would have seen on Sunday night)."""
    organiser = due.organiser
    group = organiser.group
    week_end = due.week + timedelta(days=6)
    board = load_board(organiser, today=week_end)
    first, after = _bounds(due.week, organiser.user.time_zone)
    done: dict[int, int] = {}
    sharers = [row.membership.user_id for row in board.rows if row.membership.share_progress]
    if group.roadmap_id and sharers:
        done = dict(
            ItemProgress.objects.filter(
                enrolment__roadmap_id=group.roadmap_id, enrolment__user_id__in=sharers, state=ItemState.DONE,
                completed_at__gte=first, completed_at__lt=after,
            ).order_by().values_list("enrolment__user_id").annotate(n=Count("pk"))
        )
    moved, stalled = [], []
    for row in sorted(board.rows, key=lambda row: row.name.casefold()):
        m = row.membership
        items_done = done.get(m.user_id, 0) if m.share_progress and group.roadmap_id else None
        hours = row.week_hours if m.share_hours else None
        if (items_done or 0) > 0 or (hours or Decimal(0)) > 0:
            moved.append({"name": row.name, "items_done": items_done, "hours": hours})
        if row.needs_attention:
            stalled.append({"name": row.name, "behind": row.is_behind, "quiet": row.is_quiet,
                            "weeks_quiet": row.weeks_quiet})
    shares = (
        SharedRetrospective.objects.filter(membership__group=group, shared_at__gte=first, shared_at__lt=after)
        .select_related("membership__user", "retrospective__enrolment__roadmap")
        .order_by("shared_at", "pk")
    )
    retrospectives = [
        {
            "name": share.membership.user.get_full_name(),
            "label": periods.Period(share.retrospective.period_index,
                                    share.retrospective.enrolment.roadmap.retrospective_interval_weeks,
                                    share.retrospective.period_start, share.retrospective.period_end).label,
            "roadmap_title": share.retrospective.enrolment.roadmap.title,
            "url": settings.SITE_URL + reverse("groups:shared_retrospective", args=[group.pk, share.pk]),
        }
        for share in shares
    ]
    return {
        "group": group, "organiser": organiser.user, "week": due.week, "week_end": week_end,
        "moved": moved, "stalled": stalled, "retrospectives": retrospectives,
        "group_url": settings.SITE_URL + reverse("groups:detail", args=[group.pk]),
        "settings_url": settings.SITE_URL + reverse("accounts:settings"),
    }


def digests_send(*, now: datetime | None = None) -> int:
    """Send every due digest exactly once; the number sent."""
    now = now or timezone.now()
    sent = 0
    for due in digests_due(now=now):
        claim = digest_claim(due=due, now=now)
        if claim is None:
            continue
        try:
            user = due.organiser.user
            with translation.override(user.language or settings.LANGUAGE_CODE):  # the labels in the context too
                context = digest_context(due=due)
            emails.send(to=user.email, template="digest", context=context, language=user.language)
        except Exception:
            GroupDigest.objects.filter(pk=claim.pk).delete()
            logger.exception("Group digest %s for user %s failed; it will be retried", due.organiser.group_id,
                             due.organiser.user_id)
            continue
        GroupDigest.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
        sent += 1
    return sent
