"""Inlines for the roadmap and step pages. All are ordered by `position`."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from roadmaps.admin.ordering import OrderedInlineForm, OrderedInlineFormSet
from roadmaps.markdown import mark_markdown_box
from roadmaps.models import (
    Guidance,
    GuidanceKind,
    Item,
    ItemKind,
    ItemStatus,
    MetricDefinition,
    PacePlan,
    RetrospectivePrompt,
    Step,
)

RETIRE_HELP = _(
    "Hides it from the roadmap but keeps every learner's records of it, which is why items "
    "are retired rather than deleted. Untick to bring it back."
)
SMALL_TEXT = forms.Textarea(attrs={"rows": 3, "cols": 36})


class OrderedInlineMixin:
    form = OrderedInlineForm
    formset = OrderedInlineFormSet
    ordering = ("position", "pk")
    extra = 1

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Keep rows readable: long texts get a small box.
        if isinstance(db_field, models.TextField):
            kwargs["widget"] = SMALL_TEXT
        elif isinstance(db_field, models.URLField):
            # A plain box: the admin's "Currently: … Change: …" widget is too wide for a row.
            kwargs["assume_scheme"] = "https"
            kwargs["widget"] = forms.URLInput(attrs={"class": "vURLField"})
        return mark_markdown_box(db_field, super().formfield_for_dbfield(db_field, request, **kwargs))


TABULAR_TEMPLATE = "admin/roadmaps/edit_inline/tabular.html"  # names its empty column headers


class OrderedInline(OrderedInlineMixin, admin.TabularInline):
    template = TABULAR_TEMPLATE


# --- Steps -------------------------------------------------------------------


class StepInlineFormSet(OrderedInlineFormSet):
    def clean(self) -> None:
        super().clean()
        doomed = [form.instance.pk for form in self.deleted_forms if form.instance.pk]
        if doomed:
            holding = set(Item.objects.filter(step__in=doomed).values_list("step_id", flat=True).distinct())
            names = [str(form.instance) for form in self.deleted_forms if form.instance.pk in holding]
            if names:
                raise ValidationError(
                    gettext(
                        "A step that holds items cannot be deleted, because learners may have tracked them: "
                        "%(steps)s. Retire its items on the step's page instead."
                    ) % {"steps": ", ".join(f"“{name}”" for name in names)}
                )


class StepInline(OrderedInline):
    model = Step
    formset = StepInlineFormSet
    fields = ("position", "title", "key", "duration_weeks", "estimated_hours", "any_order")
    prepopulated_fields = {"key": ("title",)}
    show_change_link = True
    verbose_name_plural = _("steps (open a step to edit its topics, resources, projects and checkpoints)")


# --- Items: one inline per kind ------------------------------------------------


class ItemInlineForm(OrderedInlineForm):
    retired = forms.BooleanField(label=_("Retired"), required=False, help_text=RETIRE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retired"].initial = self.instance.retired_at is not None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("retired"):
            self.instance.retired_at = None
        elif self.instance.retired_at is None:
            self.instance.retired_at = timezone.now()
        return cleaned


def check_alternatives(forms_and_items) -> None:
    """Groups of alternatives as the importer holds them: at least two of a
    group, all under the same topic (or none) of one step."""
    groups: dict[tuple, list] = {}
    for form, item in forms_and_items:
        if item.retired_at is None and item.status == ItemStatus.ALTERNATIVE and item.alternative_group:
            groups.setdefault((item.step_id, item.alternative_group), []).append((form, item))
    problems = []
    for (_step, name), members in groups.items():
        if len(members) == 1:
            problems.append(gettext(
                "“%(title)s” is the only alternative of the group “%(group)s”: give another "
                "item the same group, or make it optional."
            ) % {"title": members[0][1].title, "group": name})
        elif len({item.parent_id for _, item in members}) > 1:
            problems.append(gettext(
                "The alternatives of the group “%(group)s” are under different topics: keep them "
                "together, under one topic (or none)."
            ) % {"group": name})
    if problems:
        raise ValidationError(problems)


class ItemInlineFormSet(OrderedInlineFormSet):
    kind: str = ""

    def clean(self) -> None:
        super().clean()
        check_alternatives((form, form.instance) for form in self.kept_forms())

    def prepare_instance(self, item: Item) -> None:
        item.kind = self.kind
        if isinstance(self.instance, Step):
            item.step = self.instance
            item.roadmap_id = self.instance.roadmap_id
        else:
            item.step = None

    def is_active(self, item: Item) -> bool:
        return item.retired_at is None


class ItemInline(OrderedInlineMixin, admin.TabularInline):
    """One table row an item: a step of 8 items stacked field by field was
    7,000 px tall. Long texts get a small box that grows (and a preview)."""

    model = Item
    template = TABULAR_TEMPLATE
    form = ItemInlineForm
    formset = ItemInlineFormSet
    kind: str = ""
    prepopulated_fields = {"key": ("title",)}

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.kind = self.kind
        return formset

    def get_queryset(self, request):
        # Active items first, in order; retired ones after them.
        return (
            super()
            .get_queryset(request)
            .filter(kind=self.kind)
            .order_by(F("retired_at").asc(nulls_first=True), "position", "pk")
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            return parent_field(request, step_page=self.fk_name == "step", roadmap_wide=self.fk_name == "roadmap")
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        return short_label(db_field.name, field)


def short_label(name: str, field):
    """A table column says "Group"; the field's help text says the rest."""
    if name == "alternative_group" and field is not None:
        field.label = gettext("Group")
        field.help_text = gettext("Only for status “Alternative”: the name the alternatives share.")
    return field


def parent_field(request, *, step_page: bool, roadmap_wide: bool = False) -> forms.ModelChoiceField:
    """The "under topic" select: the topics a subtopic or a topic's resource
    can go under (top-level, active); a plain select without the
    related-object pop-ups. Its choices are read once a page, whatever the
    number of rows and inlines that show it."""
    object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
    topics = Item.objects.none()
    if object_id:
        topics = Item.objects.filter(kind=ItemKind.TOPIC, parent__isnull=True, retired_at__isnull=True)
        topics = topics.filter(step_id=object_id) if step_page else topics.filter(roadmap_id=object_id)
    memo = request.__dict__.setdefault("_parent_topics", {})
    if (step_page, object_id) not in memo:
        memo[(step_page, object_id)] = list(
            topics.select_related("step").order_by("step__position", "position").only(
                "pk", "title", "step_id", "step__position")
        )
    found = memo[(step_page, object_id)]
    if roadmap_wide:
        found = [topic for topic in found if topic.step_id is None]
        topics = topics.filter(step__isnull=True)
    field = forms.ModelChoiceField(
        queryset=topics, required=False, label=gettext("Under topic"),
        help_text=gettext("Makes it a subtopic of that topic (or that topic's own resource)."),
    )
    field.choices = [("", "---------"), *(
        (topic.pk, f"{topic.step.position}. {topic.title}" if topic.step_id and not step_page else topic.title)
        for topic in found
    )]
    return field


STRUCTURE_FIELDS = ("status", "alternative_group")
KIND_FIELDS = {
    ItemKind.TOPIC: ("position", "title", "key", *STRUCTURE_FIELDS, "parent", "heading", "estimated_hours", "url",
                     "week", "body", "retired"),
    ItemKind.RESOURCE: ("position", "title", "key", *STRUCTURE_FIELDS, "parent", "resource_kind", "estimated_hours",
                        "url", "why", "retired"),
    ItemKind.PROJECT: ("position", "title", "key", *STRUCTURE_FIELDS, "estimated_hours", "skills", "is_capstone",
                       "week", "body", "retired"),
    ItemKind.CHECKPOINT: ("position", "title", "key", *STRUCTURE_FIELDS, "week", "body", "retired"),
}


# (one, several, several roadmap-wide): whole phrases, translated when shown.
ITEM_INLINE_NAMES = {
    ItemKind.TOPIC: (_("topic"), _("topics"), _("roadmap-wide topics (not in any step)")),
    ItemKind.RESOURCE: (_("resource"), _("resources"), _("roadmap-wide resources (not in any step)")),
    ItemKind.PROJECT: (_("project"), _("projects"), _("roadmap-wide projects (not in any step)")),
    ItemKind.CHECKPOINT: (_("checkpoint"), _("checkpoints"), _("roadmap-wide checkpoints (not in any step)")),
}


def _item_inline(kind: str, *, roadmap_wide: bool) -> type[ItemInline]:
    one, several, roadmap_wide_several = ITEM_INLINE_NAMES[kind]
    attrs = {
        "kind": kind,
        "fields": KIND_FIELDS[kind],
        "fk_name": "roadmap" if roadmap_wide else "step",
        "verbose_name": one,
        "verbose_name_plural": roadmap_wide_several if roadmap_wide else several,
    }
    if roadmap_wide:
        attrs["classes"] = ["collapse"]

        def get_queryset(self, request):
            return ItemInline.get_queryset(self, request).filter(step__isnull=True)

        attrs["get_queryset"] = get_queryset
    prefix = "RoadmapWide" if roadmap_wide else ""
    return type(f"{prefix}{kind.title()}Inline", (ItemInline,), attrs)


STEP_ITEM_INLINES = [_item_inline(kind, roadmap_wide=False) for kind in ItemKind.values]


class RoadmapTopicFormSet(ItemInlineFormSet):
    """Every step's topics on the roadmap's own page: each row names its step."""

    kind = ItemKind.TOPIC

    def prepare_instance(self, item: Item) -> None:
        item.kind = self.kind
        item.roadmap_id = self.instance.pk

    def position_group(self, item: Item) -> tuple:
        return (item.step_id,)


class RoadmapTopicInline(OrderedInlineMixin, admin.TabularInline):
    """Topics of all steps, one row each, so a roadmap can be written on one
    page (a new step needs a first save before its topics can name it)."""

    model = Item
    template = TABULAR_TEMPLATE
    form = ItemInlineForm
    formset = RoadmapTopicFormSet
    fk_name = "roadmap"
    # Status and group here too (optional topics, alternatives); subtopics
    # and headings on the step's page, where the row has room for them.
    fields = ("step", "position", "title", "key", *STRUCTURE_FIELDS, "estimated_hours", "url", "week", "retired")
    prepopulated_fields = {"key": ("title",)}
    verbose_name = _("topic")
    verbose_name_plural = _("topics of the steps (resources, projects and checkpoints: on each step's page)")
    extra = 3

    def get_queryset(self, request):
        return (
            super().get_queryset(request)
            .filter(kind=ItemKind.TOPIC, step__isnull=False)
            .order_by(F("retired_at").asc(nulls_first=True), "step__position", "position", "pk")
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "step":
            # A plain select (no add/change pop-up links), its choices read
            # once for all rows rather than once a row.
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            steps = Step.objects.filter(roadmap_id=object_id).order_by("position") if object_id else Step.objects.none()
            field = forms.ModelChoiceField(queryset=steps, required=True, label=gettext("Step"))
            field.choices = [("", "---------"), *((step.pk, f"{step.position}. {step.title}") for step in steps)]
            return field
        return short_label(db_field.name, super().formfield_for_dbfield(db_field, request, **kwargs))

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
ROADMAP_ITEM_INLINES = [_item_inline(kind, roadmap_wide=True) for kind in ItemKind.values]


# --- Pace plans, guidance, metrics, prompts ----------------------------------------


class PacePlanFormSet(OrderedInlineFormSet):
    def clean(self) -> None:
        super().clean()
        recommended = [form for form in self.kept_forms() if form.cleaned_data.get("is_recommended")]
        if len(recommended) > 1:
            raise ValidationError(gettext("Only one pace plan can be the recommended one."))

    def save_order(self, plan: PacePlan):
        # Save the plan losing "recommended" before the one gaining it.
        return plan.is_recommended


class PacePlanInline(OrderedInline):
    model = PacePlan
    formset = PacePlanFormSet
    fields = ("position", "name", "key", "hours_per_week", "duration_weeks", "summary", "details", "is_recommended")
    prepopulated_fields = {"key": ("name",)}


class GuidanceForm(OrderedInlineForm):
    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        if not self.cleaned_data.get("title") and not self.cleaned_data.get("body"):
            # `clean` says so in words; skip the database constraint's terse message.
            exclude |= {"title", "body"}
        return exclude

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title") and not cleaned.get("body") and self.has_changed():
            raise ValidationError(gettext("Give it a title or some text."))
        return cleaned


class OtherGuidanceForm(GuidanceForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        field.choices = [choice for choice in field.choices if choice[0] != GuidanceKind.SCHEDULE]


class ScheduleFormSet(OrderedInlineFormSet):
    def prepare_instance(self, entry: Guidance) -> None:
        entry.kind = GuidanceKind.SCHEDULE


class OtherGuidanceFormSet(OrderedInlineFormSet):
    """Tips, mistakes, quick wins… in one list, kept in the order typed.

    Positions are unique per kind in the database, but this list mixes the
    kinds: sorting it by kind on save lost the editor's order. Here a typed
    position is a sort key (ties and blanks keep the row order), and every row
    is renumbered 1, 2, 3… across kinds on save: distinct numbers, so unique
    within each kind too, and each kind's own order is kept for the site.
    """

    def clean(self) -> None:
        super(OrderedInlineFormSet, self).clean()  # no "position also given to": ties are fine here

    def save(self, commit: bool = True):
        if not commit:
            return super().save(commit=False)
        kept = self.kept_forms()
        row = {form: index for index, form in enumerate(self.forms)}
        order = sorted(kept, key=lambda form: (form.cleaned_data.get("position") is None,
                                               form.cleaned_data.get("position") or 0, row[form]))
        with transaction.atomic():
            siblings = Guidance.objects.filter(roadmap=self.instance).exclude(kind=GuidanceKind.SCHEDULE)
            offset = (siblings.aggregate(top=Max("position"))["top"] or 0) + len(self.forms) + 1
            siblings.update(position=F("position") + offset)  # out of the way of 1..n
            instances = super(OrderedInlineFormSet, self).save(commit=False)
            for entry in self.deleted_objects:
                entry.delete()
            for position, form in enumerate(order, start=1):
                form.instance.position = position
                form.instance.save()
            self.save_m2m()
        return instances


class ScheduleInline(OrderedInline):
    model = Guidance
    form = GuidanceForm
    formset = ScheduleFormSet
    fields = ("position", "day", "hours", "title", "body", "week")
    verbose_name = _("schedule entry")
    verbose_name_plural = _("suggested weekly schedule (or a sample flow of one week)")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=GuidanceKind.SCHEDULE)


class GuidanceInline(OrderedInline):
    model = Guidance
    form = OtherGuidanceForm
    formset = OtherGuidanceFormSet
    fields = ("kind", "position", "title", "body", "url")
    ordering = ("position", "pk")
    verbose_name = _("guidance entry")
    verbose_name_plural = _("guidance: tips, common mistakes, quick wins, leverage moves, next steps")

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(kind=GuidanceKind.SCHEDULE)


class MetricInline(OrderedInline):
    model = MetricDefinition
    fields = ("position", "name", "key", "unit", "target", "description")
    prepopulated_fields = {"key": ("name",)}
    verbose_name_plural = _("metrics learners count for themselves")


class PromptInline(OrderedInline):
    model = RetrospectivePrompt
    fields = ("position", "text")
    verbose_name = _("retrospective prompt")
    verbose_name_plural = _("retrospective prompts of this roadmap (empty: the default set is used)")
    classes = ["collapse"]


ROADMAP_INLINES = [
    StepInline,
    RoadmapTopicInline,
    *ROADMAP_ITEM_INLINES,
    PacePlanInline,
    ScheduleInline,
    GuidanceInline,
    MetricInline,
    PromptInline,
]
