"""The outbox (one row per email, the queue's idempotency key and sent
marker) and the weekly digest's claim (one row per learner-week)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("queued")  # waiting for a worker (first try or a retry)
    SENDING = "sending", _("sending")  # claimed by one worker: nobody else sends it
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")  # gave up after the last attempt


class OutboundEmail(models.Model):
    """One email, rendered when it was asked for and sent by a worker.

    The task queue delivers at least once (a task can run twice: a retry, a
    sweep, two workers), so the row, not the task, decides: a worker claims
    it (queued → sending, one atomic UPDATE) before talking to SMTP, and only
    the worker whose UPDATE matched sends. The task's own arguments hold
    only this row's id, never an address, a link or a code.
    """

    key = models.CharField(
        _("key"), max_length=200, unique=True, help_text=_("Idempotency key: one email per key, ever.")
    )
    # The account the address belongs to, when one does: deleting the
    # account deletes its emails (sent ones hold its address and subjects,
    # queued ones are then never sent).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("user")
    )
    to = models.JSONField(_("to"), default=list)
    from_email = models.CharField(_("from email"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=998)
    # The bodies hold sign-in codes and links: emptied once the email is sent
    # or given up on.
    body = models.TextField(_("body"), blank=True)
    html = models.TextField(_("html"), blank=True)
    is_html_only = models.BooleanField(_("is html only"), default=False)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    priority = models.SmallIntegerField(
        _("priority"), default=0, help_text=_("The task's priority: sign-in codes before digests.")
    )
    status = models.CharField(_("status"), max_length=8, choices=EmailStatus.choices, default=EmailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.CharField(
        _("last error"), max_length=200, blank=True, help_text=_("The exception's class, never its text.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_status_due_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=EmailStatus.values), name="outbox_status_valid"),
            # Sent means a time it went; anything else has none.
            models.CheckConstraint(
                condition=Q(status=EmailStatus.SENT, sent_at__isnull=False)
                | (~Q(status=EmailStatus.SENT) & Q(sent_at__isnull=True)),
                name="outbox_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return _("%(kind)s email %(pk)s (%(status)s)") % {"kind": self.kind, "pk": self.pk, "status": self.status}

    @property
    def kind(self) -> str:
        """What sort of email: the key up to its first colon."""
        return self.key.split(":", 1)[0]


class DigestSent(models.Model):
    """The weekly digest one learner got in one week of their own calendar.
    The row is the claim, inserted before the digest is queued: of two runs
    (or two machines) only one insert succeeds, so a week is sent once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_digests", verbose_name=_("user")
    )
    week = models.DateField(_("week"), help_text=_("The Monday of the learner's week in which the digest went."))
    day = models.DateField(
        _("day"), help_text=_("The learner's date it fell due: the digest's figures are as of then.")
    )
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    email = models.ForeignKey(
        OutboundEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("email")
    )

    class Meta:
        verbose_name = _("sent digest")
        verbose_name_plural = _("sent digests")
        ordering = ["-week", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="digest_once_per_learner_week"),
        ]

    def __str__(self) -> str:
        return _("Weekly digest for user %(user)s, week of %(week)s") % {"user": self.user_id, "week": self.week}
