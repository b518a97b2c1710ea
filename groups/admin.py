"""Study groups in the admin, for staff: what exists and who is in it.

Memberships, shares, nudges and digests belong to learners (or record what
was sent): staff may look, never change. Tokens and nudge messages are not
shown. Staff may delete a group (moderation); everything in it goes with it.
"""

from __future__ import annotations

from django.contrib import admin

from groups.models import GroupDigest, GroupInvite, Membership, Nudge, SharedRetrospective, StudyGroup


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "share_progress", "share_hours", "share_activity", "share_streaks", "joined_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StudyGroup)
class StudyGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "roadmap", "members_see", "created_at"]
    list_filter = ["members_see"]
    search_fields = ["name", "memberships__user__email"]
    list_select_related = ["roadmap"]
    readonly_fields = ["name", "description", "roadmap", "members_see", "created_by", "created_at"]
    inlines = [MembershipInline]

    def has_add_permission(self, request) -> bool:
        return False  # learners start groups themselves


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "group", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "group__name"]
    list_select_related = ["user", "group"]


@admin.register(GroupInvite)
class GroupInviteAdmin(ReadOnlyAdmin):
    list_display = ["group", "created_by", "created_at", "revoked_at"]
    list_select_related = ["group", "created_by"]
    search_fields = ["group__name"]
    exclude = ["token"]  # a live token in the admin would let staff join as anyone they pass it to


@admin.register(SharedRetrospective)
class SharedRetrospectiveAdmin(ReadOnlyAdmin):
    list_display = ["membership", "retrospective", "shared_at"]
    list_select_related = ["membership__user", "membership__group", "retrospective__enrolment__roadmap",
                           "retrospective__enrolment__user"]


@admin.register(Nudge)
class NudgeAdmin(ReadOnlyAdmin):
    list_display = ["membership", "sender", "week", "sent_at"]
    list_select_related = ["membership__user", "membership__group", "sender"]
    exclude = ["message"]  # between organiser and member


@admin.register(GroupDigest)
class GroupDigestAdmin(ReadOnlyAdmin):
    list_display = ["group", "organiser", "week", "claimed_at", "sent_at"]
    list_select_related = ["group", "organiser"]
