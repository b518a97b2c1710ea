"""The emails Waymark sent a learner, in "download my data": what kind, the
subject, when and whether it went. Never a body: bodies hold sign-in codes
and links until sent (and are emptied then)."""

from __future__ import annotations

from notifications.models import OutboundEmail


def export_emails(user) -> list[dict]:
    rows = (
        OutboundEmail.objects.filter(user=user).order_by("created_at", "pk")
        .values_list("key", "subject", "status", "attempts", "created_at", "sent_at")
    )
    return [
        {"kind": key.split(":", 1)[0], "subject": subject, "status": status, "attempts": attempts,
         "queued_at": created_at.isoformat(), "sent_at": sent_at.isoformat() if sent_at else ""}
        for key, subject, status, attempts, created_at, sent_at in rows
    ]
