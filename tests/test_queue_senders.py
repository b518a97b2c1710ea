"""Every email Waymark sends goes through the task queue: with a queue that
only records tasks, no page or command sends anything itself; running the
queued tasks (what the worker does) sends each email once."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django_tasks import default_task_backend

from accounts.services import account_delete_code_send
from groups import digest as group_digest
from groups.models import StudyGroup
from notifications.models import OutboundEmail
from progress.schedule import local_today
from retrospectives import services as retro_services
from tests.factories import make_roadmap, make_user
from tests.groups_helpers import add_member, make_group
from tests.progress_helpers import make_enrolment


@pytest.fixture
def queue(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def queued_then_sent(queue, count: int = 1) -> list:
    """Nothing was sent yet; `count` send_email tasks wait, holding only ids;
    running them sends `count` emails. Returns the sent messages."""
    assert mail.outbox == []
    results = list(queue.results)
    assert [r.task.name for r in results] == ["send_email"] * count
    assert all(r.args == [OutboundEmail.objects.get(pk=r.args[0]).pk] for r in results)
    queue.clear()
    for result in results:
        assert result.task.call(*result.args) == "sent"
        assert result.task.call(*result.args) == "skipped"  # a second run sends nothing
    assert len(mail.outbox) == count
    return mail.outbox


def verified(email: str):
    user = make_user(email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_sign_up_verification_goes_through_the_queue(client, queue):
    response = client.post(reverse("account_signup"), {
        "email": "new@example.com", "password1": "a-long-test-password", "password2": "a-long-test-password",
        "time_zone": "Europe/Paris",
    })
    assert response.status_code == 302
    [message] = queued_then_sent(queue)
    assert message.to == ["new@example.com"] and "/accounts/confirm-email/" in message.body


def test_password_reset_goes_through_the_queue(client, queue):
    verified("ada@example.com")
    client.post(reverse("account_reset_password"), {"email": "ada@example.com"})
    [message] = queued_then_sent(queue)
    assert "/accounts/password/reset/key/" in message.body


def test_sign_in_code_goes_through_the_queue(client, queue):
    verified("ada@example.com")
    client.post(reverse("account_request_login_code"), {"email": "ada@example.com"})
    [message] = queued_then_sent(queue)
    assert message.subject == "[Waymark] Your Waymark sign-in code"


def test_account_deletion_code_goes_through_the_queue(db, queue):
    user = make_user("gh@example.com")
    account_delete_code_send(request=SimpleNamespace(session={}), user=user)
    [message] = queued_then_sent(queue)
    assert message.to == ["gh@example.com"]


def test_retrospective_reminders_go_through_the_queue(db, queue):
    user = make_user("due@example.com")
    make_enrolment(user, make_roadmap(), start_date=local_today(user.time_zone) - timedelta(weeks=2))
    assert retro_services.reminders_send() == 1
    [message] = queued_then_sent(queue)
    assert message.alternatives and "Time to look back" in message.subject


def test_group_nudges_and_digests_go_through_the_queue(client, queue):
    organiser, member = make_user("org@example.com"), make_user("mem@example.com")
    group = make_group(organiser, name="Rust club")
    StudyGroup.objects.filter(pk=group.pk).update(created_at=group.created_at - timedelta(weeks=3))
    membership = add_member(group, member)
    client.force_login(organiser)
    client.post(reverse("groups:nudge", args=[group.pk, membership.pk]), {"message": "Keep going"})
    assert group_digest.digests_send() == 1
    messages = queued_then_sent(queue, count=2)
    assert sorted(m.to[0] for m in messages) == ["mem@example.com", "org@example.com"]
