"""How editors say a roadmap is walked: named paces, and the guidance
beside the items (tips, common mistakes, the suggested weekly schedule)."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from roadmaps.markdown import MARKDOWN_HELP
from roadmaps.models.roadmap import POSITIVE_HOURS, Roadmap, split_lines


class PacePlan(models.Model):
    """A named pace such as Intensive, Balanced or Casual."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="pace_plans", verbose_name=_("roadmap"))
    key = models.SlugField(_("key"), max_length=80)
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=80)
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=5, decimal_places=1, validators=POSITIVE_HOURS)
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration weeks"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("e.g. “2–3 hours a day, weekends free”.")
    )
    details = models.TextField(_("details"), blank=True, help_text=_("One point per line."))
    is_recommended = models.BooleanField(_("recommended"), default=False)

    class Meta:
        verbose_name = _("pace plan")
        verbose_name_plural = _("pace plans")
        ordering = ["roadmap", "position"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "key"], name="pace_key_unique_in_roadmap"),
            models.UniqueConstraint(fields=["roadmap", "position"], name="pace_position_unique_in_roadmap"),
            models.UniqueConstraint(
                fields=["roadmap"], condition=models.Q(is_recommended=True), name="pace_one_recommended"
            ),
            models.CheckConstraint(condition=models.Q(hours_per_week__gt=0), name="pace_hours_positive"),
            models.CheckConstraint(
                condition=models.Q(hours_per_week__lte=168), name="pace_hours_within_week"
            ),
            models.CheckConstraint(condition=models.Q(duration_weeks__gte=1), name="pace_weeks_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def detail_list(self) -> list[str]:
        return split_lines(self.details)


class GuidanceKind(models.TextChoices):
    TIP = "tip", _("Tip")
    MISTAKE = "mistake", _("Common mistake")
    QUICK_WIN = "quick_win", _("Quick win")
    LEVERAGE = "leverage", _("Leverage move")
    NEXT_STEP = "next_step", _("Next step")
    SCHEDULE = "schedule", _("Suggested schedule")


class Weekday(models.TextChoices):
    MON = "mon", _("Monday")
    TUE = "tue", _("Tuesday")
    WED = "wed", _("Wednesday")
    THU = "thu", _("Thursday")
    FRI = "fri", _("Friday")
    SAT = "sat", _("Saturday")
    SUN = "sun", _("Sunday")
    WEEKDAYS = "weekdays", _("Weekdays")
    WEEKEND = "weekend", _("Weekend")
    DAILY = "daily", _("Every day")


class Guidance(models.Model):
    """Advice lists (tips, mistakes, quick wins, leverage moves, next steps) and
    the suggested weekly schedule, which is a list of (day, hours, activity)
    entries, optionally for one early week (a sample day-by-day flow).

    They share one table because they have the same shape and are always read
    together with the roadmap, which keeps the roadmap page's queries bounded.
    """

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="guidance", verbose_name=_("roadmap"))
    kind = models.CharField(_("kind"), max_length=12, choices=GuidanceKind.choices)
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("body"), blank=True, help_text=MARKDOWN_HELP)
    url = models.URLField(_("link"), max_length=500, blank=True)
    # Schedule entries only.
    day = models.CharField(_("day"), max_length=10, choices=Weekday.choices, blank=True)
    week = models.PositiveSmallIntegerField(
        _("week"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Only for a sample flow of one week.")
    )
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=1, null=True, blank=True, validators=POSITIVE_HOURS
    )

    class Meta:
        verbose_name = _("guidance")
        verbose_name_plural = _("guidance")
        ordering = ["roadmap", "kind", "position"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "kind", "position"], name="guidance_position_unique"),
            models.CheckConstraint(condition=models.Q(kind__in=GuidanceKind.values), name="guidance_kind_valid"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="guidance_hours_positive"),
            models.CheckConstraint(condition=models.Q(week__gte=1), name="guidance_week_positive"),
            models.CheckConstraint(
                condition=models.Q(kind=GuidanceKind.SCHEDULE)
                | models.Q(day="", week__isnull=True, hours__isnull=True),
                name="guidance_day_only_on_schedule",
            ),
            models.CheckConstraint(
                condition=~models.Q(title="", body=""), name="guidance_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.body[:60]
