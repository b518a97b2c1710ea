"""Writes to study groups. Keyword-only, inside transactions; a repeated
submit (double-click, second tab) repeats the outcome instead of failing."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups import emails
from groups.models import GroupInvite, Membership, Nudge, Role, SharedRetrospective, StudyGroup
from progress.enrolments.services import enrolment_start
from progress.models import Enrolment
from progress.schedule import local_today, week_start

logger = logging.getLogger(__name__)

SHARING_FIELDS = (
    "share_progress", "share_hours", "share_activity", "share_streaks", "show_to_members", "nudges_allowed",
)


class GroupError(Exception):
    """A write the rules refuse; the message is shown to the learner as it is."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def group_create(*, user, name: str, description: str = "", roadmap=None, members_see: str) -> StudyGroup:
    """The group, its creator as organiser, and an invite link."""
    group = StudyGroup.objects.create(
        name=name, description=description, roadmap=roadmap, members_see=members_see, created_by=user
    )
    Membership.objects.create(group=group, user=user, role=Role.ORGANISER, show_to_members=True)
    GroupInvite.objects.create(group=group, token=new_token(), created_by=user)
    return group


@transaction.atomic
def group_update(*, group: StudyGroup, name: str, description: str, roadmap, members_see: str) -> StudyGroup:
    group.name, group.description, group.roadmap, group.members_see = name, description, roadmap, members_see
    group.save(update_fields=["name", "description", "roadmap", "members_see"])
    return group


# --- Invite link ---------------------------------------------------------------


def active_invite(group: StudyGroup) -> GroupInvite | None:
    return GroupInvite.objects.filter(group=group, revoked_at__isnull=True).order_by("pk").first()


@transaction.atomic
def invite_regenerate(*, group: StudyGroup, by) -> GroupInvite:
    """A new link; the old one stops working at once."""
    StudyGroup.objects.select_for_update().filter(pk=group.pk).first()  # two organisers at once: one wins
    GroupInvite.objects.filter(group=group, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return GroupInvite.objects.create(group=group, token=new_token(), created_by=by)


@transaction.atomic
def invite_switch_off(*, group: StudyGroup) -> int:
    return GroupInvite.objects.filter(group=group, revoked_at__isnull=True).update(revoked_at=timezone.now())


# --- Joining, sharing, leaving ---------------------------------------------------


@dataclass
class Joined:
    membership: Membership
    created: bool
    enrolment: Enrolment | None = None


@transaction.atomic
def membership_join(*, invite: GroupInvite, user, sharing: dict[str, bool], pace_plan=None,
                    today: date | None = None) -> Joined:
    """Join through an active invite with the sharing choices made on the
    invite page; with a pace plan, enrol on the group's roadmap too (the
    enrolment service decides what enrolling again means)."""
    group = invite.group
    existing = Membership.objects.filter(group=group, user=user).first()
    if existing is not None:
        return Joined(existing, False)
    choices = {name: bool(sharing.get(name, getattr(Membership, name).field.default)) for name in SHARING_FIELDS}
    try:
        with transaction.atomic():
            membership = Membership.objects.create(group=group, user=user, role=Role.MEMBER, **choices)
    except IntegrityError:  # the other tab joined first
        return Joined(Membership.objects.get(group=group, user=user), False)
    enrolment = None
    if pace_plan is not None and group.roadmap_id and pace_plan.roadmap_id == group.roadmap_id:
        enrolment, _created = enrolment_start(
            user=user, roadmap=group.roadmap, pace_plan=pace_plan, hours_per_week=pace_plan.hours_per_week,
            start_date=today or local_today(user.time_zone),
        )
    return Joined(membership, True, enrolment)


@transaction.atomic
def membership_update_sharing(*, membership: Membership, **choices: bool) -> Membership:
    fields = [name for name in SHARING_FIELDS if name in choices]
    for name in fields:
        setattr(membership, name, bool(choices[name]))
    membership.save(update_fields=fields)
    return membership


def _organisers_locked(group_id: int) -> list[int]:
    """The pks of the group's organisers, locked: of two organisers stepping
    down at once, the second sees the first's change."""
    return list(
        Membership.objects.select_for_update().filter(group_id=group_id, role=Role.ORGANISER)
        .order_by("pk").values_list("pk", flat=True)
    )


LAST_ORGANISER = gettext_lazy("You are the group's only organiser: make another member an organiser first.")


@transaction.atomic
def membership_leave(*, membership: Membership) -> bool:
    """Leave at once (what they shared goes with the membership). The last
    member leaving deletes the group; the last organiser of a group that
    still has members must hand over first. True when the group was deleted."""
    organisers = _organisers_locked(membership.group_id)
    others = Membership.objects.filter(group_id=membership.group_id).exclude(pk=membership.pk)
    if not others.exists():
        StudyGroup.objects.filter(pk=membership.group_id).delete()
        return True
    if organisers == [membership.pk]:
        raise GroupError(LAST_ORGANISER)
    Membership.objects.filter(pk=membership.pk).delete()
    return False


@transaction.atomic
def membership_remove(*, by: Membership, member: Membership) -> None:
    if not by.is_organiser:
        raise GroupError(_("Only organisers can remove members."))
    if member.pk == by.pk:
        raise GroupError(_("To leave the group yourself, use “Leave the group”."))
    Membership.objects.filter(pk=member.pk, group_id=by.group_id).delete()


@transaction.atomic
def membership_set_role(*, by: Membership, member: Membership, role: str) -> Membership:
    if not by.is_organiser:
        raise GroupError(_("Only organisers can change roles."))
    if role not in Role.values:
        raise GroupError(_("Choose organiser or member."))
    organisers = _organisers_locked(by.group_id)
    if role == Role.MEMBER and organisers == [member.pk]:
        raise GroupError(_("A group needs an organiser: make someone else an organiser first."))
    member.role = role
    member.save(update_fields=["role"])
    return member


# --- Retrospectives ------------------------------------------------------------------


def retrospective_share(*, membership: Membership, retrospective) -> SharedRetrospective:
    """Show a submitted retrospective of the member's own to the group."""
    if retrospective.enrolment.user_id != membership.user_id:
        raise GroupError(_("You can only share your own retrospectives."))
    if not retrospective.is_submitted:
        raise GroupError(_("Submit the retrospective before sharing it."))
    share, _created = SharedRetrospective.objects.get_or_create(membership=membership, retrospective=retrospective)
    return share


def retrospective_unshare(*, membership: Membership, retrospective) -> int:
    deleted, _rows = SharedRetrospective.objects.filter(membership=membership, retrospective=retrospective).delete()
    return deleted


# --- Nudges ------------------------------------------------------------------------------


def nudge_week(member: Membership, now=None) -> date:
    """The Monday of the member's own week: the one-a-week limit is theirs."""
    return week_start(local_today(member.user.time_zone, now))


def plan_url(member: Membership) -> str:
    """Where a nudge sends the learner: their plan on the group's roadmap,
    or their dashboard."""
    group = member.group
    enrolment = None
    if group.roadmap_id:
        enrolment = Enrolment.objects.filter(user_id=member.user_id, roadmap_id=group.roadmap_id).first()
    path = reverse("progress:plan", args=[enrolment.pk]) if enrolment else reverse("dashboard")
    return settings.SITE_URL + path


def nudge_send(*, sender: Membership, member: Membership, message: str, now=None) -> Nudge:
    """Claim this week's nudge (the unique row), then email it; a failed
    email releases the claim so the organiser can try again."""
    if not sender.is_organiser:
        raise GroupError(_("Only organisers can send nudges."))
    if member.pk == sender.pk:
        raise GroupError(_("You cannot nudge yourself."))
    if not member.nudges_allowed or not member.user.is_active:
        raise GroupError(_("%(name)s has turned nudges off.") % {"name": member.user.get_full_name()})
    now = now or timezone.now()
    try:
        with transaction.atomic():
            nudge = Nudge.objects.create(
                membership=member, sender=sender.user, week=nudge_week(member, now), message=message, sent_at=now
            )
    except IntegrityError:
        raise GroupError(
            _("%(name)s had a nudge this week already: one a week is the limit.")
            % {"name": member.user.get_full_name()}
        ) from None
    context = {
        "group": sender.group,
        "sender": sender.user,
        "member": member,
        "message": message,
        "plan_url": plan_url(member),
        "settings_url": settings.SITE_URL + reverse("groups:sharing", args=[sender.group_id]),
    }
    try:
        emails.send(to=member.user.email, template="nudge", context=context, language=member.user.language)
    except Exception:
        Nudge.objects.filter(pk=nudge.pk).delete()
        logger.exception("Nudge email to membership %s failed; the claim was released", member.pk)
        raise GroupError(_("The email could not be sent just now. Try again in a few minutes.")) from None
    return nudge
