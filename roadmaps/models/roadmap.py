"""Roadmap content, as editors write it in the admin.

Everything a learner tracks is an `Item` (topic, resource, project or
checkpoint). An item's primary key is its stable identity: renaming or
reordering never changes it, and learner progress points at it. An editor
"removes" an item by retiring it (`retired_at`), which hides it from the
roadmap but keeps every learner's notes and history attached; YAML imports
retire items that a file no longer lists instead of deleting them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from roadmaps.languages import DEFAULT_LANGUAGE, MAX_CODE_LENGTH, language_choices
from roadmaps.markdown import MARKDOWN_HELP
from roadmaps.querysets import ItemQuerySet, RoadmapQuerySet
from roadmaps.structure import structure_errors

POSITIVE_HOURS = [MinValueValidator(Decimal("0.1"))]


def split_lines(text: str) -> list[str]:
    """A "one entry per line" text field as a list, blank lines dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class SkillLevel(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
    ALL_LEVELS = "all", _("All levels")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Tag(models.Model):
    """A technology or theme a roadmap covers (Python, SQL, Docker…)."""

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class Roadmap(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One or two sentences for the catalogue."))
    description = models.TextField(_("description"), blank=True, help_text=MARKDOWN_HELP)
    audience = models.TextField(_("who it is for"), blank=True, help_text=MARKDOWN_HELP)
    skill_level = models.CharField(
        _("skill level"), max_length=20, choices=SkillLevel.choices, default=SkillLevel.BEGINNER
    )
    # The language the editors wrote the content in, whatever the reader's
    # interface is in (the page marks it with lang=). db_default: the
    # previous release inserts roadmaps without it.
    language = models.CharField(
        _("language"), max_length=MAX_CODE_LENGTH, choices=language_choices,
        default=DEFAULT_LANGUAGE, db_default=DEFAULT_LANGUAGE,
        help_text=_("The language the roadmap's content is written in."),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="roadmaps", verbose_name=_("technologies"))
    prerequisites = models.TextField(_("prerequisites"), blank=True, help_text=_("One per line."))
    outcomes = models.TextField(_("learning outcomes"), blank=True, help_text=_("One per line."))
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration weeks"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Total duration in weeks.")
    )
    weekly_hours = models.PositiveSmallIntegerField(
        _("recommended hours a week"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
    )
    duration_note = models.CharField(
        _("duration note"), max_length=120, blank=True,
        help_text=_("How the duration reads to people, e.g. “6–9 months of steady practice”."),
    )
    author_name = models.CharField(_("author"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False,
        verbose_name=_("created by")
    )
    featured = models.BooleanField(_("featured"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    retrospective_interval_weeks = models.PositiveSmallIntegerField(
        _("retrospective interval weeks"), default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("How often, in weeks, learners are asked to look back."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)

    objects = RoadmapQuerySet.as_manager()

    class Meta:
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")
        ordering = ["-featured", "title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(duration_weeks__gte=1), name="roadmap_duration_positive"),
            models.CheckConstraint(
                condition=models.Q(weekly_hours__gte=1) & models.Q(weekly_hours__lte=168),
                name="roadmap_weekly_hours_range",
            ),
            models.CheckConstraint(
                condition=models.Q(retrospective_interval_weeks__gte=1)
                & models.Q(retrospective_interval_weeks__lte=12),
                name="roadmap_retro_interval_range",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="roadmap_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(skill_level__in=SkillLevel.values), name="roadmap_skill_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roadmaps:detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def prerequisite_list(self) -> list[str]:
        return split_lines(self.prerequisites)

    @property
    def outcome_list(self) -> list[str]:
        return split_lines(self.outcomes)


class Step(models.Model):
    """A phase, level or numbered skill: the roadmap's ordered stages."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="steps", verbose_name=_("roadmap"))
    key = models.SlugField(_("key"), max_length=80, help_text=_("Stable name used by YAML import/export."))
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    goal = models.TextField(_("goal and why it matters"), blank=True, help_text=MARKDOWN_HELP)
    motto = models.CharField(_("motto"), max_length=200, blank=True)
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration weeks"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=6, decimal_places=1, null=True, blank=True, validators=POSITIVE_HOURS,
        help_text=_("Leave empty to use the sum of the step's items."),
    )
    weekly_goals = models.TextField(
        _("weekly goals"), blank=True,
        help_text=_("One per line, as “week number: goal”, e.g. “4: Query a database with joins”.")
    )
    success_metric = models.TextField(_("success metric"), blank=True)
    # db_default: the previous release inserts steps without it.
    any_order = models.BooleanField(
        _("any order"), default=False, db_default=False,
        help_text=_("The step's topics can be worked through in any order."),
    )

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["roadmap", "position"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "key"], name="step_key_unique_in_roadmap"),
            models.UniqueConstraint(fields=["roadmap", "position"], name="step_position_unique_in_roadmap"),
            models.CheckConstraint(condition=models.Q(estimated_hours__gt=0), name="step_hours_positive"),
            models.CheckConstraint(condition=models.Q(duration_weeks__gte=1), name="step_weeks_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def weekly_goal_list(self) -> list[tuple[int, str]]:
        return parse_weekly_goals(self.weekly_goals)

    def clean(self) -> None:
        super().clean()
        try:
            parse_weekly_goals(self.weekly_goals, strict=True)
        except ValueError as error:
            raise ValidationError({"weekly_goals": str(error)}) from None


def parse_weekly_goals(text: str, *, strict: bool = False) -> list[tuple[int, str]]:
    """Parse “week: goal” lines. Lenient callers get the well-formed lines only."""
    goals: list[tuple[int, str]] = []
    for number, line in enumerate(split_lines(text), start=1):
        week, sep, goal = line.partition(":")
        week = week.strip().lower().removeprefix("week").strip()
        if sep and week.isdigit() and int(week) > 0 and goal.strip():
            goals.append((int(week), goal.strip()))
        elif strict:
            raise ValueError(
                gettext("Line %(number)d should read “week number: goal”, e.g. “4: Query a database”.")
                % {"number": number}
            )
    return goals


class ItemKind(models.TextChoices):
    TOPIC = "topic", _("Topic")
    RESOURCE = "resource", _("Resource")
    PROJECT = "project", _("Project")
    CHECKPOINT = "checkpoint", _("Checkpoint")


# The order of kinds inside a step, as the roadmap page lists them.
KIND_ORDER = {ItemKind.TOPIC: 0, ItemKind.RESOURCE: 1, ItemKind.PROJECT: 2, ItemKind.CHECKPOINT: 3}


class ItemStatus(models.TextChoices):
    """Whether a learner's plan counts an item: core items always; optional
    ones once the learner starts them; of a group of alternatives ("pick one
    of: PostgreSQL, MySQL") the one the learner picks (the first until then)."""

    CORE = "core", _("Core")
    OPTIONAL = "optional", _("Optional")
    ALTERNATIVE = "alternative", _("Alternative")


# Kinds an item may be placed under a topic as: subtopics and a topic's own resources.
CHILD_KINDS = ("topic", "resource")


class ResourceKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    VIDEO = "video", _("Video")
    COURSE = "course", _("Course")
    BOOK = "book", _("Book")
    DOCS = "docs", _("Documentation")
    PRACTICE = "practice", _("Practice platform")
    COMMUNITY = "community", _("Community")
    TOOL = "tool", _("Tool")
    OTHER = "other", _("Other")


class Item(models.Model):
    """Something a learner tracks: a topic, resource, project or checkpoint.

    An item belongs to a step, or to the roadmap as a whole when `step` is
    empty (roadmap-wide resources, a capstone project, a checklist by week).
    """

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="items", verbose_name=_("roadmap"))
    step = models.ForeignKey(
        Step, on_delete=models.CASCADE, null=True, blank=True, related_name="items", verbose_name=_("step")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ItemKind.choices)
    key = models.SlugField(_("key"), max_length=80, help_text=_("Stable name used by YAML import/export."))
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True, help_text=MARKDOWN_HELP)
    url = models.URLField(_("link"), max_length=500, blank=True)
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=6, decimal_places=1, null=True, blank=True, validators=POSITIVE_HOURS
    )
    resource_kind = models.CharField(_("resource kind"), max_length=12, choices=ResourceKind.choices, blank=True)
    why = models.TextField(_("why it matters"), blank=True)
    skills = models.CharField(
        _("skills"), max_length=300, blank=True, help_text=_("Skills practised, comma-separated.")
    )
    is_capstone = models.BooleanField(_("capstone"), default=False)
    week = models.PositiveSmallIntegerField(
        _("week"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Pin to a week of the roadmap.")
    )
    retired_at = models.DateTimeField(
        _("retired at"), null=True, blank=True,
        help_text=_("Set to remove the item from the roadmap while keeping learners' records.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    # The title before the latest rename, and when it was renamed: learners
    # who knew the old name are told ("was …"). Kept by save() and the
    # importer. db_default: the previous release inserts items without them.
    previous_title = models.CharField(
        _("previous title"), max_length=200, blank=True, default="", db_default="", editable=False
    )
    renamed_at = models.DateTimeField(_("renamed at"), null=True, blank=True, editable=False)
    # Structure (issue 15). db_default on every column: the previous release
    # and old migrations insert items without them.
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.CORE, db_default=ItemStatus.CORE,
        help_text=_(
            "Core items count in every learner's plan; optional ones once a learner starts them; "
            "of alternatives sharing a group name, the one a learner picks."
        ),
    )
    alternative_group = models.CharField(
        _("alternatives group"), max_length=80, blank=True, default="", db_default="",
        help_text=_("Only for alternatives: the short name the alternatives share, e.g. “Relational database”."),
    )
    # A subtopic (a topic under a topic) or a resource of a topic, in the same
    # step. One level: a subtopic's parent is a topic without a parent.
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children",
        limit_choices_to={"kind": "topic"}, verbose_name=_("under topic"),
        help_text=_("Makes this item a subtopic of that topic (or that topic's own resource)."),
    )
    heading = models.CharField(
        _("heading"), max_length=120, blank=True, default="", db_default="",
        help_text=_("Groups topics inside a step: consecutive topics with the same heading are listed under it."),
    )

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["roadmap", "step__position", "kind", "position"]
        indexes = [
            models.Index(fields=["roadmap", "step", "kind", "position"], name="item_roadmap_order"),
            # "What changed since you looked" (progress.changes) reads only
            # the items added or renamed lately, not every item of a roadmap.
            models.Index(fields=["roadmap", "created_at"], name="item_roadmap_created"),
            models.Index(fields=["roadmap", "renamed_at"], name="item_roadmap_renamed"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "key"], name="item_key_unique_in_roadmap"),
            models.UniqueConstraint(
                fields=["step", "kind", "position"],
                condition=models.Q(step__isnull=False, retired_at__isnull=True),
                name="item_position_unique_in_step",
            ),
            models.UniqueConstraint(
                fields=["roadmap", "kind", "position"],
                condition=models.Q(step__isnull=True, retired_at__isnull=True),
                name="item_position_unique_in_roadmap",
            ),
            models.CheckConstraint(condition=models.Q(estimated_hours__gt=0), name="item_hours_positive"),
            models.CheckConstraint(condition=models.Q(week__gte=1), name="item_week_positive"),
            models.CheckConstraint(condition=models.Q(kind__in=ItemKind.values), name="item_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(kind=ItemKind.RESOURCE) | models.Q(resource_kind=""),
                name="item_resource_kind_only_on_resources",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=ItemKind.PROJECT) | models.Q(is_capstone=False),
                name="item_capstone_only_on_projects",
            ),
            models.CheckConstraint(condition=models.Q(status__in=ItemStatus.values), name="item_status_valid"),
            models.CheckConstraint(
                condition=(models.Q(status=ItemStatus.ALTERNATIVE) & ~models.Q(alternative_group=""))
                | (~models.Q(status=ItemStatus.ALTERNATIVE) & models.Q(alternative_group="")),
                name="item_alternative_group_iff_alternative",
            ),
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True) | models.Q(kind__in=CHILD_KINDS),
                name="item_parent_only_on_topics_and_resources",
            ),
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True) | ~models.Q(parent=models.F("pk")),
                name="item_parent_not_itself",
            ),
            models.CheckConstraint(
                condition=models.Q(heading="") | models.Q(kind=ItemKind.TOPIC, parent__isnull=True),
                name="item_heading_only_on_top_topics",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_title", None)
        if self.pk and loaded is not None and loaded != self.title:
            self.previous_title, self.renamed_at = loaded, timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "previous_title", "renamed_at"}
        super().save(*args, **kwargs)
        self._loaded_title = self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The title as loaded: save() tells a rename from an unchanged title.
        instance._loaded_title = values[field_names.index("title")] if "title" in field_names else None
        return instance

    @property
    def skill_list(self) -> list[str]:
        return [skill.strip() for skill in self.skills.split(",") if skill.strip()]

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def clean(self) -> None:
        super().clean()
        if self.step_id and self.roadmap_id and self.step.roadmap_id != self.roadmap_id:
            raise ValidationError({"step": gettext("This step belongs to another roadmap.")})
        if self.kind != ItemKind.RESOURCE and self.resource_kind:
            raise ValidationError({"resource_kind": gettext("Only resources have a resource kind.")})
        if self.kind != ItemKind.PROJECT and self.is_capstone:
            raise ValidationError({"is_capstone": gettext("Only projects can be a capstone.")})
        errors = structure_errors(self)
        if errors:
            raise ValidationError(errors)
