"""Learner state: enrolments, item progress, tailoring, study log and metrics.

Foreign keys to roadmap content (Item, Roadmap, MetricDefinition) PROTECT:
deleting content must never silently delete what a learner wrote. Editors
remove items by retiring them (`Item.retired_at`), which keeps these rows.
Foreign keys to the user CASCADE, so "delete my account" removes it all.
"""

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
    ItemProgressQuerySet,
    MetricEntryQuerySet,
    StudyEntryQuerySet,
)
from roadmaps.models import Roadmap

HOURS_PER_WEEK_MIN = Decimal("0.5")
HOURS_PER_WEEK_MAX = Decimal("168")
MINUTES_MAX = 24 * 60


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
