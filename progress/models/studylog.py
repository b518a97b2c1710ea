"""The study log: time a learner spent, the weeks they planned off, and
what they counted on a roadmap's counters."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from progress.models.enrolment import Enrolment
from progress.querysets import MetricEntryQuerySet, StudyEntryQuerySet

MINUTES_MAX = 24 * 60  # a day's worth: one entry is one day's study


class StudyEntry(models.Model):
    """Time the learner studied on a date (in their own time zone).

    `enrolment` is SET_NULL rather than CASCADE: time studied is a fact about
    the learner, not about the enrolment, so deleting an enrolment must not
    rewrite their streaks and weekly hours after the fact.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_entries", verbose_name=_("user")
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.SET_NULL, null=True, blank=True, related_name="study_entries",
        verbose_name=_("enrolment")
    )
    item = models.ForeignKey(
        "roadmaps.Item", on_delete=models.SET_NULL, null=True, blank=True, related_name="study_entries",
        verbose_name=_("item")
    )
    date = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), validators=[MinValueValidator(1), MaxValueValidator(MINUTES_MAX)]
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = StudyEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("study entry")
        verbose_name_plural = _("study entries")
        ordering = ["-date", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=MINUTES_MAX), name="study_entry_minutes_range"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "date"], name="study_entry_user_date"),
            models.Index(fields=["enrolment", "date"], name="study_entry_enrolment_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.minutes} min"


class PlannedBreak(models.Model):
    """A week the learner planned not to study: it does not break the
    weekly-consistency streak. `week_start` is the Monday of that week in the
    learner's time zone (checked by forms and services: a portable database
    check on the weekday is not available on SQLite without custom functions)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="planned_breaks", verbose_name=_("user")
    )
    week_start = models.DateField(_("week start"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("planned break")
        verbose_name_plural = _("planned breaks")
        ordering = ["user", "week_start"]
        constraints = [
            models.UniqueConstraint(fields=["user", "week_start"], name="planned_break_one_per_week"),
        ]

    def __str__(self) -> str:
        return gettext("Break in the week of %(week)s") % {"week": self.week_start}


class MetricEntry(models.Model):
    """An amount added to one of the roadmap's tracked metrics."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="metric_entries", verbose_name=_("enrolment")
    )
    metric = models.ForeignKey(
        "roadmaps.MetricDefinition", on_delete=models.PROTECT, related_name="entries", verbose_name=_("metric")
    )
    date = models.DateField(_("date"))
    amount = models.PositiveIntegerField(_("amount"), validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = MetricEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("metric entry")
        verbose_name_plural = _("metric entries")
        ordering = ["-date", "-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="metric_entry_amount_positive")]
        indexes = [models.Index(fields=["enrolment", "metric", "date"], name="metric_entry_lookup")]

    def __str__(self) -> str:
        return f"{self.metric}: +{self.amount}"
