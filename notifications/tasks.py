"""The background tasks (django-tasks; `manage.py db_worker` runs them).

Their arguments are ids and dates only: the task table and the worker's log
never hold an address, a link or a code.
"""

from __future__ import annotations

from django_tasks import task

from notifications import outbox


@task()
def send_email(email_id: int) -> str:
    return outbox.email_deliver(email_id=email_id)


@task()
def send_weekly_digest(digest_id: int) -> str:
    # Imported here: every app queues email through this module, and the
    # digest reads progress and retrospectives, which must not load with it.
    from notifications.digest import digest_send

    return digest_send(digest_id=digest_id)
