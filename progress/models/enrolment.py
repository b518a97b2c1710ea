"""Enrolments: who follows which roadmap at what pace, their pauses and
their plan repairs (the foreign-key rules are in progress/models/__init__.py)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from progress.querysets import (
    EnrolmentQuerySet,
)

HOURS_PER_WEEK_MIN = Decimal("0.5")
HOURS_PER_WEEK_MAX = Decimal("168")


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    LEFT = "left", _("Left")
    COMPLETED = "completed", _("Completed")


class Enrolment(models.Model):
    """One learner following one roadmap. There is at most one per roadmap and
    learner: enrolling again after leaving reactivates the same row, so the
    learner's notes and history stay attached."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("user")
    )
    roadmap = models.ForeignKey(
        "roadmaps.Roadmap", on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("roadmap")
    )
    pace_plan = models.ForeignKey(
        "roadmaps.PacePlan", on_delete=models.SET_NULL, null=True, blank=True, related_name="enrolments",
        verbose_name=_("pace plan")
    )
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(HOURS_PER_WEEK_MIN), MaxValueValidator(HOURS_PER_WEEK_MAX)],
        help_text=_("Copied from the pace plan, or the learner's own figure."),
    )
    start_date = models.DateField(_("start date"))
    status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    paused_on = models.DateField(_("paused on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Secret link for the public progress page; None until the learner shares.
    share_token = models.CharField(_("share token"), max_length=64, unique=True, null=True, blank=True)
    is_public = models.BooleanField(_("is public"), default=False)
    # Secret token of the iCalendar feed; rotating it revokes the old URL.
    calendar_token = models.CharField(_("calendar token"), max_length=64, unique=True, null=True, blank=True)
    # The learner's own order of the roadmap's steps: step pks, first to last;
    # empty means the roadmap's order (see `learner.apply_step_order`). It lives
    # on the enrolment row rather than in a table of its own because every page
    # that shows a plan loads the enrolment already: the dashboard and the
    # roadmap page have pinned query counts a join or an extra query would break.
    step_order = models.JSONField(_("step order"), default=list, blank=True, editable=False)
    # The roadmap's `updated_at` the learner's step summaries (EnrolmentStep)
    # were last rebuilt against; when it differs from the roadmap's, the
    # content changed since and the loader recomputes from the raw rows
    # instead of trusting the summaries (progress/summaries.py).
    summarised_at = models.DateTimeField(_("summarised at"), null=True, blank=True, editable=False)
    # Where the current pace took effect: by the `pace_from_days`-th active
    # day the plan expected `pace_from_hours` done, and `hours_per_week` since
    # (progress.schedule.pace_status). A pace change, a repair or a start date
    # in the past moves the mark, so none of them rewrites the weeks behind.
    # db_default: the previous release, still serving during a deploy, inserts
    # enrolments without these columns.
    pace_from_days = models.PositiveIntegerField(_("pace from days"), default=0, db_default=0, editable=False)
    pace_from_hours = models.DecimalField(
        _("pace from hours"), max_digits=7, decimal_places=1, default=Decimal(0), db_default=Decimal(0), editable=False
    )
    # The learner's study week, for the calendar feed's sessions: days as a
    # bitmask (Monday 1 … Sunday 64; 0 = not chosen: the roadmap's suggested
    # week applies), a time of day in their own zone (empty: 19:00) and the
    # reminder's lead time. `reviews_on`: spaced review (the reviews app) on
    # this roadmap. db_default for the previous release's inserts, as above.
    study_days = models.PositiveSmallIntegerField(_("study days"), default=0, db_default=0, editable=False)
    study_time = models.TimeField(_("study time"), null=True, blank=True, editable=False)
    reminder_minutes = models.PositiveSmallIntegerField(
        _("reminder minutes"), default=30, db_default=30, editable=False
    )
    reviews_on = models.BooleanField(_("reviews on"), default=True, db_default=True, editable=False)

    # When the learner last looked at what changed on the roadmap ("Mark as
    # seen"); None: since they enrolled. Items added or renamed after it are
    # marked on the roadmap page, the plan and the dashboard.
    content_seen_at = models.DateTimeField(_("content seen at"), null=True, blank=True, editable=False)

    # Days of the finished pauses (EnrolmentPause with `ended_on`) that began
    # on or after the start date, kept by every write that closes a pause or
    # moves the start date (`summaries.recount_pause_days`), so that a page
    # reads one column instead of summing the pauses in a subquery. The
    # running pause is `paused_on`. db_default for the previous release's inserts.
    closed_pause_days = models.PositiveIntegerField(_("closed pause days"), default=0, db_default=0, editable=False)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "roadmap"], name="enrolment_one_per_roadmap"),
            models.CheckConstraint(
                condition=Q(status__in=EnrolmentStatus.values), name="enrolment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=168),
                name="enrolment_hours_range",
            ),
            models.CheckConstraint(condition=Q(pace_from_hours__gte=0), name="enrolment_pace_from_hours_positive"),
            models.CheckConstraint(condition=Q(study_days__lte=127), name="enrolment_study_days_valid"),
            models.CheckConstraint(condition=Q(reminder_minutes__lte=1440), name="enrolment_reminder_within_a_day"),
            # paused_on is set exactly while paused, left_at exactly while left.
            models.CheckConstraint(
                condition=(Q(status=EnrolmentStatus.PAUSED) & Q(paused_on__isnull=False))
                | (~Q(status=EnrolmentStatus.PAUSED) & Q(paused_on__isnull=True)),
                name="enrolment_paused_on_iff_paused",
            ),
            models.CheckConstraint(
                condition=(Q(status=EnrolmentStatus.LEFT) & Q(left_at__isnull=False))
                | (~Q(status=EnrolmentStatus.LEFT) & Q(left_at__isnull=True)),
                name="enrolment_left_at_iff_left",
            ),
        ]
        indexes = [models.Index(fields=["user", "status"], name="enrolment_user_status")]

    def __str__(self) -> str:
        return f"{self.user} → {self.roadmap}"

    @property
    def changes_since(self):
        return self.content_seen_at or self.created_at

    @property
    def closed_pause_time(self) -> timedelta | None:
        """The finished pauses since the start date; None when there were none."""
        return timedelta(days=self.closed_pause_days) if self.closed_pause_days else None

    @property
    def is_active(self) -> bool:
        return self.status == EnrolmentStatus.ACTIVE

    @property
    def is_paused(self) -> bool:
        return self.status == EnrolmentStatus.PAUSED

    @property
    def is_current(self) -> bool:
        return self.status in (EnrolmentStatus.ACTIVE, EnrolmentStatus.PAUSED)


class EnrolmentPause(models.Model):
    """A stretch of time the learner paused; schedules and retrospective
    periods shift by the paused weeks. `ended_on` is empty while paused."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="pauses", verbose_name=_("enrolment")
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment pause")
        verbose_name_plural = _("enrolment pauses")
        ordering = ["enrolment", "started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="pause_ends_after_start",
            ),
            # A double-clicked "pause" cannot open two pauses.
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(ended_on__isnull=True), name="pause_one_open_per_enrolment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_on} – {self.ended_on or '…'}"


class RepairKind(models.TextChoices):
    MOVE_DATE = "move_date", _("Moved the finish date")
    RAISE_PACE = "raise_pace", _("Raised the pace to keep the date")
    SKIP_OPTIONAL = "skip_optional", _("Skipped the optional items in progress")


class PlanRepair(models.Model):
    """A repair the learner chose when they fell behind: kept for the record
    and for the next retrospective's facts."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="repairs", verbose_name=_("enrolment")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RepairKind.choices)
    made_on = models.DateField(_("made on"))
    behind_hours = models.DecimalField(_("behind hours"), max_digits=7, decimal_places=1)
    hours_per_week_before = models.DecimalField(_("hours per week before"), max_digits=5, decimal_places=1)
    hours_per_week_after = models.DecimalField(_("hours per week after"), max_digits=5, decimal_places=1)
    finish_before = models.DateField(_("finish before"), null=True, blank=True)
    finish_after = models.DateField(_("finish after"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("plan repair")
        verbose_name_plural = _("plan repairs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RepairKind.values), name="plan_repair_kind_valid"),
            models.CheckConstraint(condition=Q(behind_hours__gte=0), name="plan_repair_behind_positive"),
            models.CheckConstraint(
                condition=Q(hours_per_week_after__gt=0) & Q(hours_per_week_after__lte=168),
                name="plan_repair_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(enrolment)s: %(kind)s on %(date)s") % {
            "enrolment": self.enrolment, "kind": self.get_kind_display(), "date": self.made_on}
