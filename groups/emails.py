"""Every email the groups app sends goes through `send`, and from there
through the outbox and the task queue (notifications.outbox): a worker
sends it, retries a failing SMTP server, and never sends it twice.

Each email is three templates under templates/groups/email/: `<name>_subject.txt`,
`<name>_message.txt` and `<name>_message.html`, rendered in the recipient's
language (their account's; "" is the site's default), also from cron.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from notifications import outbox


def send(*, to: str, template: str, context: dict, language: str = "") -> None:
    """Render `template`'s three parts with `context` and queue them for `to`.
    Raises when the queue cannot take the email: callers release their claim.
    Each call is one email: the callers' own rows (a digest's, a nudge's) are
    the claim that stops a second call."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"groups/email/{template}_subject.txt", context)
        body = render_to_string(f"groups/email/{template}_message.txt", context)
        html = render_to_string(f"groups/email/{template}_message.html", context)
    outbox.email_enqueue(key=outbox.new_key(f"group-{template}"), to=[to], subject=subject, body=body, html=html)
