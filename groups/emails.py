"""Every email the groups app sends goes through `send`, and from there
through the outbox and the task queue (notifications.outbox): a worker
sends it, retries a failing SMTP server, and never sends it twice.

Each email is three templates under templates/groups/email/: `<name>_subject.txt`,
`<name>_message.txt` and `<name>_message.html`.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from notifications import outbox


def send(*, to: str, template: str, context: dict) -> None:
    """Render `template`'s three parts with `context` and queue them for `to`.
    Raises when the queue cannot take the email: callers release their claim.
    Each call is one email: the callers' own rows (a digest's, a nudge's) are
    the claim that stops a second call."""
    outbox.email_enqueue(
        key=outbox.new_key(f"group-{template}"),
        to=[to],
        subject=render_to_string(f"groups/email/{template}_subject.txt", context),
        body=render_to_string(f"groups/email/{template}_message.txt", context),
        html=render_to_string(f"groups/email/{template}_message.html", context),
    )
