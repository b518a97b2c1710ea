"""Loading what a group URL names: the one place that checks membership.

Anyone outside a group gets 404 for all of it, as if it did not exist; a
member who is not an organiser gets 403 on the organisers' actions (they
know the group exists, they may not do this).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from groups.models import GroupInvite, Membership, SharedRetrospective


def get_membership_for_user(user, group_pk: int) -> Membership:
    """The signed-in learner's membership of group `group_pk`, with the group
    and its roadmap: 404 unless they belong to it."""
    membership = get_object_or_404(
        Membership.objects.select_related("group__roadmap"), group_id=group_pk, user=user
    )
    membership.user = user  # the signed-in learner: no query to load them again
    return membership


def get_organiser_membership(user, group_pk: int) -> Membership:
    membership = get_membership_for_user(user, group_pk)
    if not membership.is_organiser:
        raise PermissionDenied("Only the group's organisers can do this.")
    return membership


def get_member_of_group(viewer: Membership, membership_pk: int) -> Membership:
    """Another member of the viewer's group (404 for anyone else's)."""
    member = get_object_or_404(Membership.objects.select_related("user"), pk=membership_pk, group_id=viewer.group_id)
    member.group = viewer.group
    return member


def get_active_invite(token: str) -> GroupInvite:
    if not token:
        raise Http404("No invite")
    return get_object_or_404(
        GroupInvite.objects.select_related("group__roadmap"), token=token, revoked_at__isnull=True
    )


def can_see_member(viewer: Membership, member: Membership) -> bool:
    """Whether `viewer` sees what `member` shares: themselves, the
    organisers, and other members when both the group and the member allow it."""
    if viewer.pk == member.pk or viewer.is_organiser:
        return True
    return viewer.group.members_see_members and member.show_to_members


def get_shared_retrospective_for_viewer(viewer: Membership, share_pk: int) -> SharedRetrospective:
    share = get_object_or_404(
        SharedRetrospective.objects.select_related(
            "membership__user", "retrospective__enrolment__roadmap"
        ).prefetch_related("retrospective__answers"),
        pk=share_pk, membership__group_id=viewer.group_id,
    )
    if not can_see_member(viewer, share.membership):
        raise Http404("Not shared with you")
    return share
