"""Retrospectives in the admin: what exists, not what learners wrote.

Answers are the learner's private reflections, so the admin lists the rows
(for support: a reminder that did not arrive, a stuck draft) without them.
"""

from django.contrib import admin

from retrospectives.models import Retrospective


@admin.register(Retrospective)
class RetrospectiveAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "period_index", "period_end", "status", "submitted_at", "reminder_sent_at")
    list_filter = ("status",)
    list_select_related = ("enrolment__user", "enrolment__roadmap")
    search_fields = ("enrolment__user__email", "enrolment__roadmap__title")
    fields = (
        "enrolment", "period_index", "period_start", "period_end", "status", "created_at", "submitted_at",
        "skipped_at", "reminder_sent_at", "pace_old_hours", "pace_new_hours", "pace_changed_at",
    )
    readonly_fields = fields
    raw_id_fields = ("enrolment",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
