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
