"""The "study_groups" section of "download my data"."""

from __future__ import annotations

from typing import Any

from groups.models import Membership, Nudge


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_memberships(user) -> list[dict[str, Any]]:
    """Each group the learner belongs to, what they share with it, the
    retrospectives they shared and the nudges they received."""
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("group__roadmap")
        .prefetch_related("shared_retrospectives__retrospective__enrolment__roadmap")
        .order_by("joined_at", "pk")
    )
    nudges: dict[int, list[dict]] = {}
    for nudge in Nudge.objects.filter(membership__user=user).select_related("sender").order_by("sent_at"):
        nudges.setdefault(nudge.membership_id, []).append({
            "week": _iso(nudge.week), "sent_at": _iso(nudge.sent_at), "message": nudge.message,
            "from": nudge.sender.get_full_name() if nudge.sender else None,
        })
    return [
        {
            "group": membership.group.name,
            "roadmap": membership.group.roadmap.slug if membership.group.roadmap else None,
            "role": membership.role,
            "joined_at": _iso(membership.joined_at),
            "sharing": {
                "progress": membership.share_progress,
                "hours_this_week": membership.share_hours,
                "last_activity": membership.share_activity,
                "streaks": membership.share_streaks,
                "visible_to_members": membership.show_to_members,
                "nudges_allowed": membership.nudges_allowed,
            },
            "shared_retrospectives": [
                {
                    "roadmap": share.retrospective.enrolment.roadmap.slug,
                    "period_start": _iso(share.retrospective.period_start),
                    "period_end": _iso(share.retrospective.period_end),
                    "shared_at": _iso(share.shared_at),
                }
                for share in membership.shared_retrospectives.all()
            ],
            "nudges_received": nudges.get(membership.pk, []),
        }
        for membership in memberships
    ]
