"""Every email Waymark sends goes through here, and through the task queue.

`email_enqueue` stores the rendered email as an `OutboundEmail` row under
an idempotency key and queues the `send_email` task with the row's id (in
the same transaction: with the database backend the row and the task are
written together or not at all). A worker runs `email_deliver`: it claims
the row, sends it, marks it sent. A failing SMTP server puts the row back
with a later `next_attempt_at` (backoff) and queues the task again for
then; after MAX_ATTEMPTS it gives up. Nothing here logs an address, a
subject or a body: links and codes travel in them.

The queue runs a task at least once; `email_deliver` makes sending at most
once: only the worker whose claim (queued → sending) matched sends. A worker
that dies between the claim and SMTP's answer leaves the row "sending": it
is reported by `manage.py requeue_emails`, never resent, since nobody can
know whether it went.

Each row names the account its address belongs to (looked up here), so
deleting an account deletes its emails with it, sent or still queued.

Imports nothing of Waymark's: every app may use it.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from notifications.models import EmailStatus, OutboundEmail

logger = logging.getLogger(__name__)

# Task priorities (-100..100): someone waiting at a sign-in form comes first.
URGENT = 10
NORMAL = 0
BULK = -10

# Waits before the 2nd, 3rd, … attempt; the last one is repeated. Six
# attempts span about 12 hours: a sign-in code is stale long before, but a
# reminder or a digest still reads fine.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=25), timedelta(hours=2),
                timedelta(hours=10))
MAX_ATTEMPTS = 6
# A queued row this far past its due time lost its task (a worker died
# holding it, or the backend cannot defer): the sweep queues it again.
REQUEUE_AFTER = timedelta(minutes=30)
# A row "sending" for this long belonged to a worker that died mid-send.
STUCK_AFTER = timedelta(minutes=15)
# Sent and given-up rows (addresses, subjects) are kept this long, for the
# admin and for the keys that stop late duplicates, then deleted.
KEEP_FOR = timedelta(days=30)


def new_key(kind: str) -> str:
    """A fresh key for an email that is one of a kind (a sign-in code, a
    password reset): each call is a new email."""
    return f"{kind}:{uuid.uuid4().hex}"


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after `attempts` failed attempts."""
    return RETRY_DELAYS[min(max(attempts, 1), len(RETRY_DELAYS)) - 1]


def _account_of(to: list[str]) -> int | None:
    """The account whose address (its login or another of its allauth
    addresses) the email goes to; None for several recipients or none."""
    if len(to) != 1:
        return None
    address = to[0].strip()
    return (
        get_user_model().objects.filter(Q(email__iexact=address) | Q(emailaddress__email__iexact=address))
        .order_by("pk").values_list("pk", flat=True).first()
    )


def email_enqueue(
    *, key: str, to: list[str], subject: str, body: str, html: str = "", from_email: str | None = None,
    headers: dict[str, str] | None = None, priority: int = NORMAL, html_only: bool = False,
) -> OutboundEmail:
    """Queue one email under `key`. A key seen before queues nothing and
    returns the earlier row: asking twice never sends twice. Raises when the
    queue cannot take it (nothing is stored then), so callers can release
    their own claims."""
    with transaction.atomic():
        email, created = OutboundEmail.objects.get_or_create(
            key=key[:200],
            defaults={
                "user_id": _account_of(list(to)),
                "to": list(to),
                "from_email": from_email or "",
                # A header cannot hold a newline (a roadmap or group title could).
                "subject": " ".join(subject.split())[:998],
                "body": body,
                "html": html,
                "is_html_only": html_only,
                "headers": dict(headers or {}),
                "priority": priority,
            },
        )
        if created:
            _queue(email)
    return email


def message_enqueue(message: EmailMessage, *, key: str, priority: int = NORMAL) -> OutboundEmail:
    """Queue an email Django or allauth rendered (`EmailMessage`, with an
    HTML alternative or an HTML body)."""
    if message.cc or message.bcc or message.attachments:
        raise ValueError("The outbox sends plain emails to `to` only.")
    html = ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    html_only = message.content_subtype == "html"
    return email_enqueue(
        key=key, to=message.to, subject=message.subject, body="" if html_only else message.body,
        html=message.body if html_only else html, html_only=html_only, from_email=message.from_email,
        headers=message.extra_headers, priority=priority,
    )


def _queue(email: OutboundEmail, *, run_after: datetime | None = None) -> bool:
    """Queue `send_email` for the row; False when the backend cannot wait
    until `run_after` (the immediate backend): the sweep queues it then."""
    from notifications.tasks import send_email

    task = send_email.using(priority=email.priority)
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return False
        task = task.using(run_after=run_after)
    task.enqueue(email.pk)
    return True


def _message(email: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.body, from_email=email.from_email or None, to=email.to,
        headers=email.headers,
    )
    if email.is_html_only:
        message.body, message.content_subtype = email.html, "html"
    elif email.html:
        message.attach_alternative(email.html, "text/html")
    return message


def email_deliver(*, email_id: int, now: datetime | None = None) -> str:
    """Send the row once: "sent", "retrying", "failed", or "skipped" when
    another run has it (sent, being sent, or given up)."""
    now = now or timezone.now()
    claimed = OutboundEmail.objects.filter(pk=email_id, status=EmailStatus.QUEUED).update(
        status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return "skipped"
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        _message(email).send()
    except Exception as error:  # SMTP refused, timed out, the connection dropped…
        return _failed(email, error, now)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), body="", html="", last_error=""
    )
    return "sent"


def _failed(email: OutboundEmail, error: Exception, now: datetime) -> str:
    # The class only: an SMTP server's message can quote the address or the text.
    reason = f"{type(error).__module__}.{type(error).__qualname__}"[:200]
    if email.attempts >= MAX_ATTEMPTS:
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=EmailStatus.FAILED, last_error=reason, body="", html=""
        )
        logger.error("Email %s (%s) failed %d times (%s); given up", email.pk, email.kind, email.attempts, reason)
        return "failed"
    retry_at = now + retry_delay(email.attempts)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.QUEUED, next_attempt_at=retry_at, last_error=reason
    )
    _queue(email, run_after=retry_at)
    logger.warning(
        "Email %s (%s) failed on attempt %d (%s); retrying at %s",
        email.pk, email.kind, email.attempts, reason, retry_at.isoformat(timespec="seconds"),
    )
    return "retrying"


@dataclass(frozen=True)
class Sweep:
    requeued: int
    stuck: int
    pruned: int


def emails_sweep(*, now: datetime | None = None) -> Sweep:
    """Queue again the rows whose task was lost, count the rows a dead
    worker left "sending", and delete old sent and given-up rows."""
    now = now or timezone.now()
    requeued = 0
    lost = OutboundEmail.objects.filter(status=EmailStatus.QUEUED, next_attempt_at__lte=now - REQUEUE_AFTER)
    for email in lost.only("pk", "priority").order_by("next_attempt_at", "pk"):
        # Moved forward first, so the next sweep waits again for this task.
        if OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.QUEUED).update(next_attempt_at=now):
            _queue(email)
            requeued += 1
    stuck = OutboundEmail.objects.filter(status=EmailStatus.SENDING, claimed_at__lte=now - STUCK_AFTER).count()
    pruned, _ = OutboundEmail.objects.filter(
        status__in=[EmailStatus.SENT, EmailStatus.FAILED], created_at__lte=now - KEEP_FOR
    ).delete()
    return Sweep(requeued=requeued, stuck=stuck, pruned=pruned)
