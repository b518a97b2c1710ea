"""Review cards and answers, read-only: they are the learner's own record,
written only by their answers."""

from django.contrib import admin

from config.admin_readonly import ReadOnlyAdmin
from reviews.models import ReviewCard, ReviewLog


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
