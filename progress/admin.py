"""Admin for learner state: read-mostly views for staff, and per-roadmap
learner statistics for editors (enrolled learners; per item the median
logged hours against the editor's estimate)."""

from __future__ import annotations

from collections import defaultdict
from statistics import median

from django.contrib import admin
from django.db.models import Count, Q, Sum
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_owner import OwnerReadOnlyOnChange
from config.admin_readonly import ReadOnlyAdmin
from progress import summaries
from progress.models import Enrolment, ItemProgress, RoadmapLearnerStats, StudyEntry
from roadmaps.models import Item


def median_logged_hours(roadmap) -> dict[int, tuple[float, int]]:
    """item id → (median hours logged per learner, number of learners), from
    study-log entries that name the item. One query; the median in Python."""
    per_learner = (
        StudyEntry.objects.filter(item__roadmap=roadmap)
        .order_by()
        .values("item_id", "user_id")
        .annotate(minutes=Sum("minutes"))
    )
    minutes: dict[int, list[int]] = defaultdict(list)
    for row in per_learner:
        minutes[row["item_id"]].append(row["minutes"])
    return {item_id: (median(values) / 60, len(values)) for item_id, values in minutes.items()}


@admin.register(RoadmapLearnerStats)
class RoadmapLearnerStatsAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "enrolled", "active"]
    search_fields = ["title", "slug"]
    list_filter = ["status"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                enrolled_count=Count("enrolments", distinct=True),
                active_count=Count("enrolments", filter=Q(enrolments__status="active"), distinct=True),
            )
        )

    @admin.display(description=_("enrolled learners"), ordering="enrolled_count")
    def enrolled(self, obj) -> int:
        return obj.enrolled_count

    @admin.display(description=_("active now"), ordering="active_count")
    def active(self, obj) -> int:
        return obj.active_count

    # Editors may look, never change: the roadmap itself is edited in its own admin.
    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff and request.user.has_perm("roadmaps.view_roadmap")

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        roadmap = self.get_object(request, object_id)
        if roadmap is None or not self.has_view_permission(request, roadmap):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        medians = median_logged_hours(roadmap)
        items = list(
            Item.objects.filter(roadmap=roadmap).active().select_related("step").in_reading_order()
        )
        rows = [(item, *medians.get(item.pk, (None, 0))) for item in items]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Learners of %(roadmap)s") % {"roadmap": roadmap.title},
            "roadmap": roadmap,
            "rows": rows,
            "counts": Enrolment.objects.filter(roadmap=roadmap)
            .values("status")
            .annotate(n=Count("pk"))
            .order_by("status"),
        }
        return TemplateResponse(request, "admin/progress/learner_stats.html", context)


@admin.register(Enrolment)
class EnrolmentAdmin(OwnerReadOnlyOnChange, admin.ModelAdmin):
    list_display = ["user", "roadmap", "status", "hours_per_week", "start_date", "created_at"]
    list_filter = ["status", "roadmap"]
    search_fields = ["user__email", "roadmap__title"]
    list_select_related = ["user", "roadmap"]
    raw_id_fields = ["user", "roadmap", "pace_plan"]
    readonly_fields = ["created_at", "updated_at", "share_token", "calendar_token"]

    def has_add_permission(self, request) -> bool:
        return False  # learners enrol themselves

    def save_model(self, request, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        summaries.rebuild(enrolments=[obj])  # staff may have moved it to another roadmap


@admin.register(ItemProgress)
class ItemProgressAdmin(OwnerReadOnlyOnChange, admin.ModelAdmin):
    # The row is the learner's progress on one item of their roadmap: moving it
    # to another enrolment or item would carry the state (and the hidden note)
    # into someone else's plan, or onto another roadmap's item.
    owner_fields = ("enrolment", "item")
    list_display = ["enrolment", "item", "state", "state_changed_at"]
    list_filter = ["state"]
    list_select_related = ["enrolment__user", "enrolment__roadmap", "item"]
    raw_id_fields = ["enrolment", "item"]
    # Notes are private: staff see that a row exists, not what the learner wrote.
    exclude = ["note"]

    def has_add_permission(self, request) -> bool:
        return False

    # Staff edits bypass the item service: rebuild the learner's summaries.
    def save_model(self, request, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        summaries.rebuild(enrolments=[obj.enrolment])

    def delete_model(self, request, obj) -> None:
        enrolment = obj.enrolment
        super().delete_model(request, obj)
        summaries.rebuild(enrolments=[enrolment])

    def delete_queryset(self, request, queryset) -> None:
        enrolments = list(Enrolment.objects.filter(pk__in=queryset.values("enrolment_id")))
        super().delete_queryset(request, queryset)
        summaries.rebuild(enrolments=enrolments)
