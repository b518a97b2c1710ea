"""What a learner did on a roadmap's items: a state per item, their own
milestones, and the per-step summaries kept where those writes happen."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from progress.models.enrolment import Enrolment
from progress.querysets import ItemProgressQuerySet
from roadmaps.models import Roadmap


class ItemState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


# The badge class each state shows with, wherever a state is shown.
STATE_BADGES = {
    ItemState.NOT_STARTED: "badge--muted",
    ItemState.IN_PROGRESS: "badge--accent",
    ItemState.DONE: "badge--success",
    ItemState.SKIPPED: "badge--draft",
}


class ItemProgress(models.Model):
    """A learner's state on one item. Rows are created lazily: no row means
    not started."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="item_progress", verbose_name=_("enrolment")
    )
    item = models.ForeignKey(
        "roadmaps.Item", on_delete=models.PROTECT, related_name="learner_progress", verbose_name=_("item")
    )
    state = models.CharField(_("state"), max_length=12, choices=ItemState.choices, default=ItemState.NOT_STARTED)
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, help_text=_("Private: only you see it."))
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    confidence = models.PositiveSmallIntegerField(
        _("confidence"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    repo_url = models.URLField(_("repository URL"), max_length=500, blank=True)
    live_url = models.URLField(_("live URL"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ItemProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("item progress")
        verbose_name_plural = _("item progress")
        ordering = ["enrolment", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "item"], name="item_progress_one_per_item"),
            models.CheckConstraint(condition=Q(state__in=ItemState.values), name="item_progress_state_valid"),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | (Q(confidence__gte=1) & Q(confidence__lte=5)),
                name="item_progress_confidence_range",
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "state"], name="item_progress_state")]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_state_display()}"

    @property
    def is_low_confidence(self) -> bool:
        return self.state == ItemState.DONE and self.confidence is not None and self.confidence <= 2


class Milestone(models.Model):
    """A personal milestone the learner adds to a step (or to the whole
    enrolment when `step` is empty). It never changes the editor's roadmap."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("enrolment")
    )
    step = models.ForeignKey(
        "roadmaps.Step", on_delete=models.SET_NULL, null=True, blank=True, related_name="learner_milestones",
        verbose_name=_("step")
    )
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["enrolment", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="milestone_title_not_empty"),
            # Two racing "add" requests must not both take the next number
            # (services.milestone_add numbers them under a row lock).
            models.UniqueConstraint(fields=["enrolment", "position"], name="milestone_one_per_position"),
        ]

    def __str__(self) -> str:
        return self.title


class EnrolmentStep(models.Model):
    """A learner's figures on one step of their roadmap (`step` empty: the
    roadmap-wide items). Their order of steps stays `Enrolment.step_order`.

    Kept where the write happens: the item-state service updates the step's
    row in the same transaction as the ItemProgress row, so a page reads a
    learner's progress from one row a step instead of walking every item.
    `summaries.rebuild` recomputes them from the raw rows after content
    edits (new, retired, moved or re-houred items) and imports. Hours are
    weighted as in `schedule.item_hours`; skipped items leave the totals.
    """

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="step_rows", verbose_name=_("enrolment")
    )
    step = models.ForeignKey(
        "roadmaps.Step", on_delete=models.CASCADE, null=True, blank=True, related_name="learner_rows",
        verbose_name=_("step")
    )
    item_count = models.PositiveIntegerField(_("item count"), default=0)  # active items, not skipped
    done_count = models.PositiveIntegerField(_("done count"), default=0)
    in_progress_count = models.PositiveIntegerField(_("in progress count"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped count"), default=0)
    total_hours = models.DecimalField(_("total hours"), max_digits=10, decimal_places=2, default=Decimal(0))
    done_hours = models.DecimalField(_("done hours"), max_digits=10, decimal_places=2, default=Decimal(0))
    # Of the items in progress, the optional ones (`roadmaps.hours.OPTIONAL`)
    # and their hours: what "skip the optional items" would take off the plan
    # (progress.repairs), read with the row, never by walking the items.
    optional_open_count = models.PositiveIntegerField(_("optional open count"), default=0)
    optional_open_hours = models.DecimalField(
        _("optional open hours"), max_digits=10, decimal_places=2, default=Decimal(0)
    )

    class Meta:
        verbose_name = _("enrolment step")
        verbose_name_plural = _("enrolment steps")
        ordering = ["enrolment", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "step"], name="enrolment_step_one_per_step"),
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(step__isnull=True), name="enrolment_step_one_roadmap_wide"
            ),
            models.CheckConstraint(
                condition=Q(done_count__lte=models.F("item_count"))
                & Q(in_progress_count__lte=models.F("item_count") - models.F("done_count")),
                name="enrolment_step_counts_consistent",
            ),
            models.CheckConstraint(
                condition=Q(done_hours__gte=0) & Q(done_hours__lte=models.F("total_hours")),
                name="enrolment_step_hours_consistent",
            ),
            models.CheckConstraint(
                condition=Q(optional_open_count__lte=models.F("in_progress_count"))
                & Q(optional_open_hours__gte=0)
                & Q(optional_open_hours__lte=models.F("total_hours") - models.F("done_hours")),
                name="enrolment_step_optional_open_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · step {self.step_id or 'roadmap-wide'}"


class RoadmapLearnerStats(Roadmap):
    """A read-only admin view of a roadmap's learners, for editors: a proxy
    so that the roadmaps app's admin does not need to know about progress."""

    class Meta:
        proxy = True
        verbose_name = _("learner statistics")
        verbose_name_plural = _("learner statistics")
