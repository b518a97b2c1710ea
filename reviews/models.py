"""Spaced review: a card per topic the learner marked done, and every answer.

A card holds the fields of an fsrs Card (reviews/scheduling.py) so that the
next answer can be scheduled from the row alone. Foreign keys: the
enrolment CASCADEs (deleting an account removes the cards and their
history), the item PROTECTs like every learner row (editors retire items).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reviews.querysets import ReviewCardQuerySet


class CardState(models.IntegerChoices):
    # fsrs.State's values.
    LEARNING = 1, _("Learning")
    REVIEW = 2, pgettext_lazy("review card state", "Review")
    RELEARNING = 3, _("Relearning")


class ReviewCard(models.Model):
    """When the learner should next revisit one topic.

    In the queue while the item is done and the learner wants it reviewed:
    `suspended_at` is set while the item is not done (undone, reset or
    skipped; doing it again resumes the card with its history), and
    `opted_out_at` while the learner said "I don't need to review this"."""

    enrolment = models.ForeignKey(
        "progress.Enrolment", on_delete=models.CASCADE, related_name="review_cards", verbose_name=_("enrolment")
    )
    item = models.ForeignKey(
        "roadmaps.Item", on_delete=models.PROTECT, related_name="review_cards", verbose_name=_("item")
    )
    state = models.PositiveSmallIntegerField(_("state"), choices=CardState.choices, default=CardState.LEARNING)
    # fsrs's learning step, not a roadmap's: its own word in Spanish ("paso", not "etapa").
    step = models.PositiveSmallIntegerField(pgettext_lazy("review card", "step"), null=True, blank=True)
    stability = models.FloatField(_("stability"), null=True, blank=True)
    difficulty = models.FloatField(_("difficulty"), null=True, blank=True)
    due = models.DateTimeField(_("due"))
    # `due` as a date in the learner's zone when it was scheduled: the queue
    # and the plan work on dates (as progress/schedule.py does), so "due
    # today" needs no time zone arithmetic in a query.
    due_on = models.DateField(_("due on"))
    last_review = models.DateTimeField(_("last review"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    opted_out_at = models.DateTimeField(_("opted out at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = ReviewCardQuerySet.as_manager()

    class Meta:
        verbose_name = _("review card")
        verbose_name_plural = _("review cards")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "item"], name="review_card_one_per_item"),
            models.CheckConstraint(condition=Q(state__in=CardState.values), name="review_card_state_valid"),
            models.CheckConstraint(
                condition=Q(stability__isnull=True) | Q(stability__gt=0), name="review_card_stability_positive"
            ),
            models.CheckConstraint(
                condition=Q(difficulty__isnull=True) | (Q(difficulty__gte=1) & Q(difficulty__lte=10)),
                name="review_card_difficulty_range",
            ),
        ]
        indexes = [
            # The queue: a learner's cards in due order, only those waiting.
            models.Index(
                fields=["enrolment", "due_on"], name="review_card_queue",
                condition=Q(suspended_at__isnull=True, opted_out_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return _("%(item)s · due %(date)s") % {"item": self.item, "date": self.due_on}

    @property
    def is_waiting(self) -> bool:
        return self.suspended_at is None and self.opted_out_at is None


class ReviewSource(models.TextChoices):
    DONE = "done", _("Marked done")  # the first answer: the confidence given at "done"
    REVIEW = "review", _("Reviewed")


class ReviewLog(models.Model):
    """One answer: kept for the learner's history and for "download my data"."""

    card = models.ForeignKey(ReviewCard, on_delete=models.CASCADE, related_name="logs", verbose_name=_("card"))
    rating = models.PositiveSmallIntegerField(_("rating"))  # fsrs.Rating: 1 Again, 2 Hard, 3 Good, 4 Easy
    source = models.CharField(_("source"), max_length=8, choices=ReviewSource.choices, default=ReviewSource.REVIEW)
    reviewed_at = models.DateTimeField(_("reviewed at"))
    next_due = models.DateTimeField(_("next due"))

    class Meta:
        verbose_name = _("review log")
        verbose_name_plural = _("review logs")
        ordering = ["card", "reviewed_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=4), name="review_log_rating_valid"),
            models.CheckConstraint(condition=Q(source__in=ReviewSource.values), name="review_log_source_valid"),
            models.CheckConstraint(condition=Q(next_due__gt=models.F("reviewed_at")), name="review_log_due_later"),
        ]

    def __str__(self) -> str:
        return f"{self.card_id}: {self.rating} at {self.reviewed_at:%Y-%m-%d}"
