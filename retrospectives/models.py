"""Retrospectives: a learner looking back over one period of an enrolment.

Rows hang off the enrolment with CASCADE, and the enrolment off the user, so
"delete my account" removes them. Answers copy the question text they
answered: editors reordering or rewording prompts later never alters what a
learner wrote against.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from progress.models import HOURS_PER_WEEK_MAX, HOURS_PER_WEEK_MIN
from retrospectives.querysets import RetrospectiveAnswerQuerySet, RetrospectiveQuerySet


class RetrospectiveStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("retrospective", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("retrospective", "Submitted")
    SKIPPED = "skipped", pgettext_lazy("retrospective", "Skipped")


class Retrospective(models.Model):
    """One period's retrospective. A row may exist before the learner writes
    anything: the reminder command creates the draft it claims."""

    enrolment = models.ForeignKey(
        "progress.Enrolment", on_delete=models.CASCADE, related_name="retrospectives", verbose_name=_("enrolment")
    )
    # The enrolment's start date when the period was counted. Restarting an
    # enrolment (a new start date) begins a new cycle of periods, so the old
    # cycle's retrospectives stay as history instead of posing as the new
    # cycle's periods.
    cycle_start = models.DateField(_("cycle start"))
    period_index = models.PositiveIntegerField(
        _("period index"), help_text=_("0 for the first period after the start date.")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=10, choices=RetrospectiveStatus.choices, default=RetrospectiveStatus.DRAFT
    )
    # The pre-filled facts as the learner saw them: refreshed on every save
    # until submitted, then frozen (see retrospectives.facts).
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    pace_old_hours = models.DecimalField(_("pace old hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    pace_new_hours = models.DecimalField(
        _("pace new hours"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(HOURS_PER_WEEK_MIN), MaxValueValidator(HOURS_PER_WEEK_MAX)],
    )
    pace_changed_at = models.DateTimeField(_("pace changed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    skipped_at = models.DateTimeField(_("skipped at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    objects = RetrospectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("retrospective")
        verbose_name_plural = _("retrospectives")
        ordering = ["enrolment", "-cycle_start", "-period_index"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "cycle_start", "period_index"], name="retrospective_one_per_period"
            ),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="retrospective_period_order"),
            models.CheckConstraint(
                condition=Q(status__in=RetrospectiveStatus.values), name="retrospective_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=RetrospectiveStatus.SUBMITTED) | Q(submitted_at__isnull=False),
                name="retrospective_submitted_has_time",
            ),
            # A pace change records both figures, or neither.
            models.CheckConstraint(
                condition=(Q(pace_old_hours__isnull=True) & Q(pace_new_hours__isnull=True))
                | (Q(pace_old_hours__isnull=False) & Q(pace_new_hours__isnull=False)),
                name="retrospective_pace_change_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · period {self.period_index + 1}"

    @property
    def is_submitted(self) -> bool:
        return self.status == RetrospectiveStatus.SUBMITTED

    @property
    def is_skipped(self) -> bool:
        return self.status == RetrospectiveStatus.SKIPPED

    @property
    def is_settled(self) -> bool:
        """Written or skipped: nothing asks for it any more."""
        return self.status != RetrospectiveStatus.DRAFT


class RetrospectiveAnswer(models.Model):
    retrospective = models.ForeignKey(
        Retrospective, on_delete=models.CASCADE, related_name="answers", verbose_name=_("retrospective")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    question = models.CharField(_("question"), max_length=300, help_text=_("The prompt's text when it was answered."))
    prompt = models.ForeignKey(
        "roadmaps.RetrospectivePrompt", on_delete=models.SET_NULL, null=True, blank=True, related_name="answers",
        verbose_name=_("prompt")
    )
    text = models.TextField(_("text"), blank=True)

    objects = RetrospectiveAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("retrospective answer")
        verbose_name_plural = _("retrospective answers")
        ordering = ["retrospective", "position"]
        constraints = [
            models.UniqueConstraint(fields=["retrospective", "position"], name="retrospective_answer_one_per_position"),
        ]

    def __str__(self) -> str:
        return self.question


class RetrospectiveRevision(models.Model):
    """The answers as they were before an edit of a submitted retrospective."""

    retrospective = models.ForeignKey(
        Retrospective, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("retrospective")
    )
    answers = models.JSONField(_("answers"), help_text=_("[{position, question, text}, …] before the edit."))
    edited_at = models.DateTimeField(_("edited at"), default=timezone.now)

    class Meta:
        verbose_name = _("retrospective revision")
        verbose_name_plural = _("retrospective revisions")
        ordering = ["retrospective", "-edited_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.retrospective} · before {self.edited_at:%Y-%m-%d %H:%M}"
