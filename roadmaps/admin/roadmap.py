"""Roadmap, tag and default-prompt admin: list, edit with inlines, actions, YAML import."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from roadmaps.admin.forms import HealthForm, RoadmapAdminForm, RoadmapImportConfirmForm, RoadmapImportForm
from roadmaps.admin.health import DEFAULT_STALL_WEEKS, roadmap_health
from roadmaps.admin.inlines import ROADMAP_INLINES
from roadmaps.admin.ordering import OrderedFormMixin
from roadmaps.admin.warnings import save_warnings
from roadmaps.languages import language_name
from roadmaps.markdown import mark_markdown_box, render_markdown
from roadmaps.models import RetrospectivePrompt, Roadmap, Status, Tag
from roadmaps.services import (
    default_prompts_changed,
    roadmap_duplicate,
    roadmap_publish,
    roadmap_touch,
    roadmap_unpublish,
)
from roadmaps.yaml_io import RoadmapImportError, export_roadmap
from roadmaps.yaml_io.changes import plan_changes
from roadmaps.yaml_io.importer import import_parsed, parse_file, unchanged_roadmap

MARKDOWN_PREVIEW_MAX_CHARS = 200_000


class LanguageListFilter(admin.SimpleListFilter):
    """The languages roadmaps are written in, by name: not the hundred the field allows."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        codes = Roadmap.objects.order_by().values_list("language", flat=True).distinct()
        return sorted(((code, language_name(code)) for code in codes), key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


@admin.register(Roadmap)
class RoadmapAdmin(admin.ModelAdmin):
    list_display = (
        "title", "status", "featured", "skill_level", "step_count", "item_count", "total_hours", "updated",
    )
    list_display_links = ("title",)
    form = RoadmapAdminForm
    list_filter = ("status", "featured", "skill_level", LanguageListFilter, "tags")
    search_fields = ("title", "summary", "slug", "tags__name")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("published_at", "created_by", "created_at", "updated_at")
    inlines = ROADMAP_INLINES
    actions = ("publish", "unpublish", "duplicate", "export_yaml")
    save_on_top = True
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "language", "status", "featured")}),
        (_("About"), {"fields": (
            "description", "audience", "skill_level", "tags", "new_tags", "prerequisites", "outcomes",
        )}),
        (
            _("Time"),
            {"fields": ("duration_weeks", "weekly_hours", "duration_note", "retrospective_interval_weeks")},
        ),
        (_("Credits and dates"), {"fields": ("author_name", "created_by", "published_at", "created_at", "updated_at")}),
    )

    def get_queryset(self, request: HttpRequest):
        # Counts come from correlated subqueries: no query per row in the list.
        return super().get_queryset(request).with_stats()

    @admin.display(description=_("steps"), ordering="step_count")
    def step_count(self, roadmap: Roadmap) -> int:
        return roadmap.step_count

    @admin.display(description=_("items"), ordering="item_count")
    def item_count(self, roadmap: Roadmap) -> int:
        return roadmap.item_count

    @admin.display(description=_("updated"), ordering="updated_at")
    def updated(self, roadmap: Roadmap):
        return roadmap.updated_at

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            # A plain multiple select rather than the select2 autocomplete, whose
            # search box has no label (axe); new tags are typed in "New technologies".
            kwargs["widget"] = forms.SelectMultiple(attrs={"size": 8})
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("title", "summary", "duration_note"):
            # Wide boxes for the lines people read first (admin's CSS class, no inline style).
            field.widget.attrs["class"] = "vLargeTextField"
        return mark_markdown_box(db_field, field)

    @admin.display(description=_("total hours"), ordering="total_hours")
    def total_hours(self, roadmap: Roadmap) -> str:
        # The same figure on every database ("24", "141.5"), whatever type the
        # SUM comes back as, written the editor's way ("141,5" in Spanish).
        return number_format(Decimal(str(roadmap.total_hours or 0)).normalize(), use_l10n=True)

    # --- saving --------------------------------------------------------------

    def save_model(self, request, roadmap: Roadmap, form, change: bool) -> None:
        if not change:
            roadmap.created_by = request.user
        super().save_model(request, roadmap, form, change)
        if "status" in form.changed_data:
            # Through the services, so that the publication date is kept right.
            if roadmap.status == Status.PUBLISHED:
                roadmap_publish(roadmap=roadmap)
            else:
                roadmap_unpublish(roadmap=roadmap)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("new_tags"):
            form.instance.tags.add(*tags_get_or_create(names=form.cleaned_data["new_tags"]))
        roadmap_touch(roadmap=form.instance)
        for warning in save_warnings(form.instance):
            self.message_user(request, warning, messages.WARNING)

    # --- actions -------------------------------------------------------------

    @admin.action(description=_("Publish the selected roadmaps"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset) -> None:
        roadmaps = [roadmap_publish(roadmap=roadmap) for roadmap in queryset.order_by("title")]
        self.message_user(request, _summary(roadmaps, published=True), messages.SUCCESS)

    @admin.action(description=_("Unpublish the selected roadmaps (back to draft)"), permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset) -> None:
        roadmaps = [roadmap_unpublish(roadmap=roadmap) for roadmap in queryset.order_by("title")]
        self.message_user(request, _summary(roadmaps, published=False), messages.SUCCESS)

    @admin.action(description=_("Duplicate the selected roadmaps as drafts"), permissions=["add"])
    def duplicate(self, request: HttpRequest, queryset) -> None:
        for roadmap in queryset.order_by("title"):
            copy = roadmap_duplicate(roadmap=roadmap, created_by=request.user)
            url = reverse("admin:roadmaps_roadmap_change", args=[copy.pk])
            self.message_user(
                request,
                format_html(
                    gettext("Duplicated “{title}” as the draft {link}."),
                    title=roadmap.title, link=format_html('<a href="{}">{}</a>', url, copy.slug),
                ),
                messages.SUCCESS,
            )

    @admin.action(description=_("Export the selected roadmaps as YAML"), permissions=["view"])
    def export_yaml(self, request: HttpRequest, queryset) -> HttpResponse:
        roadmaps = list(queryset.order_by("slug"))
        if len(roadmaps) == 1:
            response = HttpResponse(export_roadmap(roadmaps[0]), content_type="application/yaml; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{roadmaps[0].slug}.yaml"'
            return response
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for roadmap in roadmaps:
                archive.writestr(f"{roadmap.slug}.yaml", export_roadmap(roadmap))
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="roadmaps.zip"'
        return response

    # --- YAML import ---------------------------------------------------------

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(require_http_methods(["GET", "POST"])(self.import_view)),
                name="roadmaps_roadmap_import",
            ),
            path(
                "markdown-preview/",
                self.admin_site.admin_view(require_POST(self.markdown_preview_view)),
                name="roadmaps_roadmap_markdown_preview",
            ),
            path(
                "<path:object_id>/health/",
                self.admin_site.admin_view(require_http_methods(["GET"])(self.health_view)),
                name="roadmaps_roadmap_health",
            ),
        ]
        return urls + super().get_urls()

    def markdown_preview_view(self, request: HttpRequest) -> HttpResponse:
        """The sanitised HTML a Markdown box would show on the site (for the Preview button)."""
        if not (self.has_change_permission(request) or self.has_add_permission(request)):
            raise PermissionDenied
        text = request.POST.get("text", "")
        if len(text) > MARKDOWN_PREVIEW_MAX_CHARS:
            return HttpResponse(gettext("Too long to preview."), status=413, content_type="text/plain; charset=utf-8")
        return HttpResponse(render_markdown(text), content_type="text/html; charset=utf-8")

    def health_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Where learners reach, stall and skip, step by step (figures for editors, no learner named)."""
        roadmap = self.get_object(request, object_id)
        if roadmap is None:
            raise Http404(gettext("No such roadmap."))
        if not self.has_view_permission(request, roadmap):
            raise PermissionDenied
        form = HealthForm(request.GET or None)
        weeks = form.cleaned_data["weeks"] if form.is_valid() and form.cleaned_data["weeks"] else DEFAULT_STALL_WEEKS
        return self._import_page(
            request, "admin/roadmaps/roadmap/health.html",
            title=gettext("Health of “%(title)s”") % {"title": roadmap.title}, original=roadmap, form=form,
            health=roadmap_health(roadmap, stall_weeks=weeks),
        )

    def has_import_permission(self, request: HttpRequest) -> bool:
        # An import may update an existing roadmap in place, so it takes both.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "has_import_permission": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload → (for a roadmap that exists) a preview of what will change → import.

        A new roadmap is imported at once. An existing one is only written
        after the editor has seen which items will be added, renamed, moved
        and retired, and how many learners each touches, and confirmed.
        """
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "confirm" in request.POST:
            confirm = RoadmapImportConfirmForm(request.POST)
            if confirm.is_valid():
                return self._import(request, confirm.cleaned_data["text"], confirm.cleaned_data["source"])
            return HttpResponseRedirect(reverse("admin:roadmaps_roadmap_import"))
        form = RoadmapImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload, text = form.cleaned_data["file"], form.cleaned_data["text"]
            try:
                parsed = parse_file(text, source=upload.name)
            except RoadmapImportError as error:
                for problem in error.problems:
                    form.add_error("file", problem.render(error.source))
                if error.total > len(error.problems):
                    hidden = error.total - len(error.problems)
                    form.add_error("file", ngettext(
                        "… and %(count)d more problem not listed.", "… and %(count)d more problems not listed.", hidden,
                    ) % {"count": hidden})
            else:
                plan = plan_changes(parsed.data)
                # Nothing to confirm for a new roadmap, nor for a file it already holds.
                if not plan.exists or unchanged_roadmap(parsed.data):
                    return self._import(request, text, upload.name, parsed=parsed)
                confirm = RoadmapImportConfirmForm(initial={"text": text, "source": upload.name})
                return self._import_page(request, "admin/roadmaps/roadmap/import_confirm.html",
                                         plan=plan, parsed=parsed, confirm=confirm)
        return self._import_page(request, "admin/roadmaps/roadmap/import.html", form=form)

    def _import_page(self, request, template: str, **context) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import a roadmap"),
            "opts": self.opts,
            **context,
        }
        return TemplateResponse(request, template, context)

    def _import(self, request, text: str, source: str, *, parsed=None) -> HttpResponse:
        try:
            parsed = parsed or parse_file(text, source=source)
            roadmap, written = import_parsed(parsed, created_by=request.user)
        except RoadmapImportError as error:
            # Only after a confirm: the file changed meaning since the preview
            # (another import in between, a learner recording a metric).
            message = gettext("Nothing was imported: %(problems)s") % {"problems": error}
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:roadmaps_roadmap_import"))
        if not written:
            self.message_user(
                request, gettext("Nothing changed: %(source)s holds what “%(title)s” holds already.")
                % {"title": roadmap.title, "source": source}, messages.INFO,
            )
        else:
            roadmap_touch(roadmap=roadmap)
            self.message_user(
                request, gettext("Imported “%(title)s” from %(source)s.") % {"title": roadmap.title, "source": source},
                messages.SUCCESS,
            )
        for warning in parsed.warnings:
            self.message_user(request, f"{source}: {warning}", messages.WARNING)
        return HttpResponseRedirect(reverse("admin:roadmaps_roadmap_change", args=[roadmap.pk]))


def tags_get_or_create(*, names: list[str]) -> list[Tag]:
    """The tags with these names (any case) or their slugs, created when new."""
    found = []
    for name in names:
        slug = slugify(name)[:60]
        tag = Tag.objects.filter(Q(name__iexact=name) | Q(slug=slug)).first()
        found.append(tag or Tag.objects.create(name=name, slug=slug))
    return found


def _summary(roadmaps: list[Roadmap], *, published: bool):
    """"Published 2 roadmaps: “A”, “B”." — whole sentences, so each language words them its own way."""
    if not roadmaps:
        return gettext("Published nothing.") if published else gettext("Unpublished nothing.")
    names = format_html_join(", ", "“{}”", ((roadmap.title,) for roadmap in roadmaps))
    count = len(roadmaps)
    if published:
        text = ngettext("Published {count} roadmap: {names}.", "Published {count} roadmaps: {names}.", count)
    else:
        text = ngettext("Unpublished {count} roadmap: {names}.", "Unpublished {count} roadmaps: {names}.", count)
    return format_html(text, count=count, names=names)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "roadmap_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(roadmap_count=Count("roadmaps"))

    @admin.display(description=_("roadmaps"), ordering="roadmap_count")
    def roadmap_count(self, tag: Tag) -> int:
        return tag.roadmap_count

    # A roadmap page shows its tags from the cached sections: renaming or
    # deleting a tag is an edit of every roadmap that carries it.
    # Roadmaps are looked up before a delete (it takes the links with it) and
    # touched after it, so no reader caches the page between the two.
    @staticmethod
    def _carrying(tags) -> list[Roadmap]:
        return list(Roadmap.objects.filter(tags__in=tags).distinct())

    def save_model(self, request, tag: Tag, form, change: bool) -> None:
        super().save_model(request, tag, form, change)
        for roadmap in self._carrying([tag]):
            roadmap_touch(roadmap=roadmap)

    def delete_model(self, request, tag: Tag) -> None:
        carrying = self._carrying([tag])
        super().delete_model(request, tag)
        for roadmap in carrying:
            roadmap_touch(roadmap=roadmap)

    def delete_queryset(self, request, queryset) -> None:
        carrying = self._carrying(list(queryset))
        super().delete_queryset(request, queryset)
        for roadmap in carrying:
            roadmap_touch(roadmap=roadmap)


class DefaultPromptForm(OrderedFormMixin, forms.ModelForm):
    class Meta:
        model = RetrospectivePrompt
        fields = ("position", "text")

    def clean_position(self):
        position = self.cleaned_data.get("position")
        taken = RetrospectivePrompt.objects.filter(roadmap__isnull=True, position=position).exclude(
            pk=self.instance.pk
        )
        if position is not None and taken.exists():
            raise forms.ValidationError(
                gettext("Another default prompt has position %(position)s.") % {"position": position}
            )
        return position


@admin.register(RetrospectivePrompt)
class RetrospectivePromptAdmin(admin.ModelAdmin):
    """The global default prompts. A roadmap's own prompts are edited on the roadmap."""

    form = DefaultPromptForm
    list_display = ("text", "position")
    ordering = ("position",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(roadmap__isnull=True)

    def save_model(self, request, prompt: RetrospectivePrompt, form, change: bool) -> None:
        prompt.roadmap = None
        if prompt.position is None:
            top = RetrospectivePrompt.objects.filter(roadmap__isnull=True).aggregate(top=Max("position"))["top"]
            prompt.position = (top or 0) + 1
        super().save_model(request, prompt, form, change)
        default_prompts_changed()  # every roadmap without its own prompts shows these

    def delete_model(self, request, prompt: RetrospectivePrompt) -> None:
        super().delete_model(request, prompt)
        default_prompts_changed()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        default_prompts_changed()

    def changelist_view(self, request, extra_context=None):
        title = gettext("Default retrospective prompts (used by roadmaps without their own)")
        extra_context = {**(extra_context or {}), "title": title}
        return super().changelist_view(request, extra_context)
