"""/readyz does not depend on the task queue: a backlog with no worker, or a
queue that cannot be reached at all, keeps the app servers in the load
balancer (pages are served; emails wait in the outbox and go later)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks import default_task_backend
from django_tasks.backends.base import BaseTaskBackend

from notifications import outbox
from notifications.models import OutboundEmail


class UnreachableBackend(BaseTaskBackend):
    """A queue whose every use fails, from its construction on."""

    def __init__(self, alias, params):
        raise ConnectionError("the task queue is unreachable")

    def enqueue(self, task, args, kwargs):
        raise ConnectionError("the task queue is unreachable")


def test_it_is_ready_with_a_backlog_and_no_worker(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for n in range(20):
        outbox.email_enqueue(key=f"test:{n}", to=["someone@example.com"], subject="Hello", body="Body")
    assert OutboundEmail.objects.filter(status="queued").count() == 20
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/readyz")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert not any("task" in query["sql"].lower() or "outbound" in query["sql"].lower()
                   for query in queries.captured_queries)


def test_it_is_ready_when_the_queue_cannot_be_reached(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": f"{__name__}.UnreachableBackend"}}
    try:
        default_task_backend.alias  # noqa: B018 - the proxy loads the backend: it fails
    except ConnectionError:
        pass
    else:
        raise AssertionError("the backend was not replaced")
    response = client.get("/readyz")
    assert response.status_code == 200 and response.content == b"ok\n"
