"""Reads of roadmap content shared by views, admin and commands."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce


class ItemQuerySet(models.QuerySet):
    def active(self) -> ItemQuerySet:
        """Items on the roadmap now (not retired by an editor)."""
        return self.filter(retired_at__isnull=True)

    def in_reading_order(self) -> ItemQuerySet:
        """The roadmap page's order (progress.learner.reading_order): steps
        in order, then the roadmap-wide items; inside a step topics,
        resources, projects, checkpoints. Spelt out for the roadmap-wide
        items, whose missing step SQLite sorts first and PostgreSQL last."""
        from roadmaps.models import KIND_ORDER

        kind_rank = Case(*(When(kind=kind, then=Value(rank)) for kind, rank in KIND_ORDER.items()), default=Value(9))
        return self.order_by(F("step__position").asc(nulls_last=True), kind_rank, "position", "pk")


def active_subtopics(parent) -> models.QuerySet:
    """The active subtopics of `parent` (a pk, or an OuterRef to one)."""
    from django.apps import apps

    return apps.get_model("roadmaps", "Item").objects.filter(parent=parent, kind="topic", retired_at__isnull=True)


def plain_items_q(prefix: str = "") -> Q:
    """Items whose role (`roadmaps.hours.item_role`) is CORE, in SQL: core,
    not under an active topic that is not core, without active subtopics."""
    outer = OuterRef(prefix.removesuffix("__") + "_id" if prefix else "pk")
    return Q(**{f"{prefix}status": "core"}) & (
        Q(**{f"{prefix}parent__isnull": True})
        | Q(**{f"{prefix}parent__retired_at__isnull": False})
        | Q(**{f"{prefix}parent__status": "core"})
    ) & ~Exists(active_subtopics(outer))


def default_alternatives_q() -> Q:
    """Of each group of alternatives (in a step, or roadmap-wide), the first
    (`roadmaps.hours.default_plan`): an alternative not under a topic that is
    not core, with no earlier active alternative of the same group in its
    list. A group's alternatives share one list (the importer and the
    admin see to it): same kind, so "earlier" is a lower position."""
    from django.apps import apps

    Item = apps.get_model("roadmaps", "Item")
    earlier = Item.objects.filter(
        roadmap=OuterRef("roadmap"), kind=OuterRef("kind"), alternative_group=OuterRef("alternative_group"),
        status="alternative", retired_at__isnull=True, position__lt=OuterRef("position"),
    )
    first = (Q(step__isnull=False) & ~Exists(earlier.filter(step=OuterRef("step")))) | (
        Q(step__isnull=True) & ~Exists(earlier.filter(step__isnull=True))
    )
    return Q(status="alternative") & (
        Q(parent__isnull=True) | Q(parent__retired_at__isnull=False) | Q(parent__status="core")
    ) & ~Exists(active_subtopics(OuterRef("pk"))) & first


def _roadmap_subquery(model_name: str, aggregate) -> Subquery:
    """A per-roadmap aggregate as a correlated subquery, so that several of
    them can be annotated at once without the row multiplication of joins."""
    from django.apps import apps

    model = apps.get_model("roadmaps", model_name)
    rows = model.objects.filter(roadmap=OuterRef("pk"))
    if model_name == "Item":
        rows = rows.filter(retired_at__isnull=True)
    return Subquery(
        rows.order_by().values("roadmap").annotate(result=aggregate).values("result")[:1]
    )


# The columns a roadmap card shows (RoadmapQuerySet.for_cards).
CARD_FIELDS = (
    "id", "slug", "title", "summary", "skill_level", "featured", "status", "duration_weeks", "weekly_hours",
    "language",
)


class RoadmapQuerySet(models.QuerySet):
    def published(self) -> RoadmapQuerySet:
        return self.filter(status="published")

    def visible_to(self, user) -> RoadmapQuerySet:
        """Published roadmaps, plus drafts for editors (to preview them)."""
        if user.is_authenticated and user.is_staff and user.has_perm("roadmaps.view_roadmap"):
            return self.all()
        return self.published()

    def with_stats(self) -> RoadmapQuerySet:
        """Annotate step_count, item_count and total_hours.

        total_hours follows the same rule as the roadmap page and every
        learner's plan (`roadmaps.hours`): what the active items add up to,
        each its estimate or the default for its kind.
        """
        from django.apps import apps

        from roadmaps.hours import DEFAULT_HOURS, FALLBACK_HOURS

        Item = apps.get_model("roadmaps", "Item")
        hours_field = models.DecimalField(max_digits=8, decimal_places=1)
        weight = Coalesce(
            "estimated_hours",
            Case(
                *(When(kind=kind, then=Value(hours)) for kind, hours in DEFAULT_HOURS.items()),
                default=Value(FALLBACK_HOURS), output_field=hours_field,
            ),
            output_field=hours_field,
        )
        item_hours = (
            Item.objects.filter(roadmap=OuterRef("pk"), retired_at__isnull=True)
            # What a plan counts before a learner chooses (roadmaps.hours.default_plan).
            .filter(plain_items_q() | default_alternatives_q())
            .order_by()
            .values("roadmap")
            .annotate(result=Sum(weight))
            .values("result")[:1]
        )
        zero = Value(0, output_field=hours_field)
        return self.annotate(
            step_count=Coalesce(_roadmap_subquery("Step", Count("pk")), Value(0)),
            item_count=Coalesce(_roadmap_subquery("Item", Count("pk")), Value(0)),
            total_hours=Coalesce(Subquery(item_hours, output_field=hours_field), zero),
        )

    def search(self, text: str) -> RoadmapQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(title__icontains=text)
            | Q(summary__icontains=text)
            | Q(tags__name__iexact=text)
        ).distinct()

    def for_catalogue(self, *, text: str = "", level: str = "", tag: str = "", language: str = "") -> RoadmapQuerySet:
        roadmaps = self.published().search(text)
        if level:
            roadmaps = roadmaps.filter(skill_level=level)
        if tag:
            roadmaps = roadmaps.filter(tags__slug=tag)
        if language:
            roadmaps = roadmaps.filter(language=language)
        return roadmaps.for_cards().order_by("-featured", "title", "pk")

    def for_cards(self) -> RoadmapQuerySet:
        """What a card shows (roadmaps/includes/roadmap_card.html): its own
        columns, its step count and its tags. The count is a plain COUNT
        join, not with_stats()'s correlated subqueries, whose SQL alone took
        most of the home page's and the catalogue's time to compile.
        Distinct: a search joins the tags."""
        return self.only(*CARD_FIELDS).annotate(step_count=Count("steps", distinct=True)).prefetch_related("tags")


def effective_prompts(prompts, roadmap_id: int | None) -> list:
    """The rule for which retrospective prompts a roadmap asks, applied to
    prompts already loaded (the roadmap's own plus the global set): its own
    prompts when it has any, else the global default set, in order."""
    prompts = sorted(prompts, key=lambda prompt: (prompt.position, prompt.pk))
    own = [prompt for prompt in prompts if prompt.roadmap_id == roadmap_id and roadmap_id is not None]
    return own or [prompt for prompt in prompts if prompt.roadmap_id is None]


class RetrospectivePromptQuerySet(models.QuerySet):
    def candidates_for(self, roadmap_ids) -> RetrospectivePromptQuerySet:
        """The prompts `effective_prompts` chooses from for these roadmaps:
        their own and the global set, in one query."""
        return self.filter(Q(roadmap_id__in=list(roadmap_ids)) | Q(roadmap__isnull=True)).order_by("position", "pk")

    def effective_by_roadmap(self, roadmap_ids) -> dict[int, list]:
        """roadmap id → the prompts it asks, for several roadmaps in one query."""
        roadmap_ids = list(roadmap_ids)
        prompts = list(self.candidates_for(roadmap_ids))
        return {roadmap_id: effective_prompts(prompts, roadmap_id) for roadmap_id in roadmap_ids}

    def effective_for(self, roadmap) -> list:
        """The prompts one roadmap asks (one query)."""
        return self.effective_by_roadmap([roadmap.pk])[roadmap.pk]
