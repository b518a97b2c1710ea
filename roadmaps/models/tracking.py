"""What a learner is asked to keep besides the items: the counters a
roadmap defines and the questions of each retrospective."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from roadmaps.models.roadmap import Roadmap
from roadmaps.querysets import RetrospectivePromptQuerySet


class MetricDefinition(models.Model):
    """A number the learner counts for themselves (challenges solved, applications sent…)."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="metrics", verbose_name=_("roadmap"))
    key = models.SlugField(_("key"), max_length=80)
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=120)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("e.g. “challenges”, “applications”."))
    target = models.PositiveIntegerField(_("target"), null=True, blank=True, validators=[MinValueValidator(1)])
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("metric definition")
        verbose_name_plural = _("metric definitions")
        ordering = ["roadmap", "position"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "key"], name="metric_key_unique_in_roadmap"),
            models.UniqueConstraint(fields=["roadmap", "position"], name="metric_position_unique_in_roadmap"),
            models.CheckConstraint(condition=models.Q(target__gte=1), name="metric_target_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class RetrospectivePrompt(models.Model):
    """A question asked at each retrospective.

    Prompts without a roadmap are the global default set; a roadmap that has
    prompts of its own uses those instead.
    """

    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, null=True, blank=True, related_name="retrospective_prompts",
        verbose_name=_("roadmap")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.CharField(_("text"), max_length=300)

    objects = RetrospectivePromptQuerySet.as_manager()

    class Meta:
        verbose_name = _("retrospective prompt")
        verbose_name_plural = _("retrospective prompts")
        ordering = ["roadmap", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["roadmap", "position"],
                condition=models.Q(roadmap__isnull=False),
                name="prompt_position_unique_in_roadmap",
            ),
            models.UniqueConstraint(
                fields=["position"], condition=models.Q(roadmap__isnull=True), name="prompt_position_unique_global"
            ),
        ]

    def __str__(self) -> str:
        return self.text
