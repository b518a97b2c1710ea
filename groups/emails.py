"""Every email the groups app sends goes through `send`: one call site of
`send_mail`, so moving mail to a task queue later changes one function.

Each email is three templates under templates/groups/email/: `<name>_subject.txt`,
`<name>_message.txt` and `<name>_message.html`.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string


def send(*, to: str, template: str, context: dict) -> None:
    """Render `template`'s three parts with `context` and send them to `to`.
    Raises what the mail backend raises: callers release their claim."""
    # A header cannot hold a newline (a group or display name could carry one).
    subject = " ".join(render_to_string(f"groups/email/{template}_subject.txt", context).split())
    send_mail(
        subject=subject,
        message=render_to_string(f"groups/email/{template}_message.txt", context),
        from_email=None,
        recipient_list=[to],
        html_message=render_to_string(f"groups/email/{template}_message.html", context),
    )
