"""Study groups: learners who follow a roadmap together.

A group has members (one `Membership` a learner, holding what that learner
lets the group see), at most one active invite link, nudges organisers send
and the weekly digests they receive. Everything a learner owns here hangs
off their user with CASCADE, so "delete my account" removes it; a group
itself outlives any one member.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.querysets import MembershipQuerySet, StudyGroupQuerySet

NAME_MAX = 80
DESCRIPTION_MAX = 1000
NUDGE_MAX = 280


class Visibility(models.TextChoices):
    ORGANISERS = "organisers", _("Organisers only")
    EVERYONE = "everyone", _("Every member")


class Role(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    MEMBER = "member", _("Member")


class StudyGroup(models.Model):
    name = models.CharField(_("name"), max_length=NAME_MAX)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    # PROTECT, as everywhere learner state points at content: editors retire
    # roadmaps, they do not delete ones learners use.
    roadmap = models.ForeignKey(
        "roadmaps.Roadmap", on_delete=models.PROTECT, null=True, blank=True, related_name="study_groups",
        verbose_name=_("roadmap")
    )
    members_see = models.CharField(
        _("who sees members' figures"), max_length=12, choices=Visibility.choices, default=Visibility.ORGANISERS,
        help_text=_("Organisers always see what members share; with “every member”, members who agree see it too."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = StudyGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("study group")
        verbose_name_plural = _("study groups")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="study_group_name_not_empty"),
            models.CheckConstraint(condition=Q(members_see__in=Visibility.values), name="study_group_visibility_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def members_see_members(self) -> bool:
        return self.members_see == Visibility.EVERYONE


class Membership(models.Model):
    """One learner in one group, and what they let it see. The defaults are
    what the issue promises: progress, hours this week and last activity;
    streaks only when asked; retrospectives one at a time
    (`SharedRetrospective`); notes, links and log notes never."""

    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("group"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    share_progress = models.BooleanField(_("my progress on the group's roadmap"), default=True)
    share_hours = models.BooleanField(_("my hours this week"), default=True)
    share_activity = models.BooleanField(_("when I was last active"), default=True)
    share_streaks = models.BooleanField(_("my study streak"), default=False)
    # Off until the member says yes: a group switched to "every member"
    # later must not show anyone's figures to the others without asking.
    show_to_members = models.BooleanField(_("other members may see it too (not only organisers)"), default=False)
    nudges_allowed = models.BooleanField(_("organisers may send me a nudge by email"), default=True)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now, editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["group", "joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="membership_one_per_group"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]
        indexes = [models.Index(fields=["group", "role"], name="membership_group_role")]

    def __str__(self) -> str:
        return f"{self.user} in {self.group}"

    @property
    def is_organiser(self) -> bool:
        return self.role == Role.ORGANISER


class GroupInvite(models.Model):
    """The group's invite link. Regenerating revokes the old row and makes a
    new one; switching off only revokes. Revoked rows stay, for the admin."""

    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="invites", verbose_name=_("group"))
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("group invite")
        verbose_name_plural = _("group invites")
        ordering = ["group", "-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group"], condition=Q(revoked_at__isnull=True), name="group_invite_one_active"
            ),
            models.CheckConstraint(condition=~Q(token=""), name="group_invite_token_not_empty"),
        ]

    def __str__(self) -> str:
        # Never the token: this string reaches the admin's history and logs.
        return f"Invite to {self.group_id} ({'active' if self.is_active else 'off'})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SharedRetrospective(models.Model):
    """A retrospective its author chose to show one group."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="shared_retrospectives", verbose_name=_("membership")
    )
    retrospective = models.ForeignKey(
        "retrospectives.Retrospective", on_delete=models.CASCADE, related_name="group_shares",
        verbose_name=_("retrospective")
    )
    shared_at = models.DateTimeField(_("shared at"), default=timezone.now)

    class Meta:
        verbose_name = _("shared retrospective")
        verbose_name_plural = _("shared retrospectives")
        ordering = ["membership", "-shared_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "retrospective"], name="shared_retrospective_once"),
        ]

    def __str__(self) -> str:
        return f"Retrospective {self.retrospective_id} shared with {self.membership}"


class Nudge(models.Model):
    """An organiser's nudge to a member: at most one per member per week,
    the Monday of the member's own week."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="nudges", verbose_name=_("membership")
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="nudges_sent",
        verbose_name=_("sender")
    )
    week = models.DateField(_("week"), help_text=_("The Monday of the week it counts for."))
    message = models.CharField(_("message"), max_length=NUDGE_MAX)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("nudge")
        verbose_name_plural = _("nudges")
        ordering = ["membership", "-week"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "week"], name="nudge_one_per_member_week"),
            models.CheckConstraint(condition=~Q(message=""), name="nudge_message_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Nudge to {self.membership} in the week of {self.week}"


class GroupDigest(models.Model):
    """The weekly digest one organiser got for one group: the row is the
    claim, made before the email goes, so a week is sent at most once."""

    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="digests", verbose_name=_("group"))
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("organiser")
    )
    week = models.DateField(_("week"), help_text=_("The Monday of the week it summarises (the organiser's calendar)."))
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("group digest")
        verbose_name_plural = _("group digests")
        ordering = ["group", "-week"]
        constraints = [
            models.UniqueConstraint(fields=["group", "organiser", "week"], name="group_digest_once_per_week"),
        ]

    def __str__(self) -> str:
        return f"Digest of {self.group} for the week of {self.week}"
