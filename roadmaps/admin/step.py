"""The step page: a step's details and its topics, resources, projects and checkpoints."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from roadmaps.admin.forms import StepAdminForm
from roadmaps.admin.inlines import STEP_ITEM_INLINES
from roadmaps.admin.ordering import fill_blank_keys
from roadmaps.admin.warnings import save_warnings
from roadmaps.markdown import mark_markdown_box
from roadmaps.models import Item, Step
from roadmaps.services import roadmap_touch


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    form = StepAdminForm
    list_display = ("title", "roadmap_link", "position", "active_items", "duration_weeks", "estimated_hours")
    list_filter = ("roadmap",)
    list_select_related = ("roadmap",)
    search_fields = ("title", "key", "summary", "roadmap__title")
    ordering = ("roadmap__title", "position")
    prepopulated_fields = {"key": ("title",)}
    inlines = STEP_ITEM_INLINES
    save_on_top = True
    fieldsets = (
        (None, {"fields": ("roadmap", "position", "title", "key", "summary", "motto", "any_order")}),
        (_("Goal"), {"fields": ("goal", "success_metric", "weekly_goals")}),
        (_("Time"), {"fields": ("duration_weeks", "estimated_hours")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(active_item_count=Count("items", filter=Q(items__retired_at__isnull=True)))
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return mark_markdown_box(db_field, super().formfield_for_dbfield(db_field, request, **kwargs))

    def get_readonly_fields(self, request, obj=None):
        # Items belong to the step's roadmap too; moving a step would split them.
        return ("roadmap",) if obj is not None else ()

    @admin.display(description=_("roadmap"), ordering="roadmap__title")
    def roadmap_link(self, step: Step):
        url = reverse("admin:roadmaps_roadmap_change", args=[step.roadmap_id])
        return format_html('<a href="{}">{}</a>', url, step.roadmap.title)

    @admin.display(description=_("items"), ordering="active_item_count")
    def active_items(self, step: Step) -> int:
        return step.active_item_count

    def view_on_site(self, step: Step) -> str:
        return f"{step.roadmap.get_absolute_url()}#step-{step.key}"

    def has_delete_permission(self, request, obj=None) -> bool:
        # Learners may have tracked a step's items: those are retired, not deleted.
        if obj is not None and Item.objects.filter(step=obj).exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, step: Step, form, change: bool) -> None:
        if step.position is None:
            top = Step.objects.filter(roadmap_id=step.roadmap_id).aggregate(top=Max("position"))["top"]
            step.position = 1 if top is None else top + 1
        fill_blank_keys(Step, step.roadmap_id, [step])
        super().save_model(request, step, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        roadmap_touch(roadmap=form.instance.roadmap)
        for warning in save_warnings(form.instance.roadmap):
            self.message_user(request, warning, messages.WARNING)

    def delete_model(self, request, step: Step) -> None:
        roadmap = step.roadmap
        super().delete_model(request, step)
        roadmap_touch(roadmap=roadmap)
