"""Review cards and answers, read-only: they are the learner's own record,
written only by their answers."""

from django.contrib import admin

from reviews.models import ReviewCard, ReviewLog


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReviewCard)
class ReviewCardAdmin(ReadOnlyAdmin):
    list_display = ("item", "enrolment", "due_on", "state", "suspended_at", "opted_out_at")
    list_select_related = ("item", "enrolment__user", "enrolment__roadmap")
    raw_id_fields = ("enrolment", "item")


@admin.register(ReviewLog)
class ReviewLogAdmin(ReadOnlyAdmin):
    list_display = ("card", "rating", "source", "reviewed_at", "next_due")
    list_select_related = ("card__item",)
    raw_id_fields = ("card",)
