"""Nudges: an email with the organiser's words and a link to the plan, at
most one per member per week, never to a member who turned them off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from groups import services
from groups.models import Nudge
from tests.groups_helpers import add_member, enrol, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://waymark.example.com"


@pytest.fixture
def group(learner, roadmap):
    return make_group(learner, roadmap=roadmap, name="Rust\nclub")


@pytest.fixture
def member(group, other_learner):
    return add_member(group, other_learner)


def nudge(client, group, member, message="Keep going, you are close to the end of step 1!"):
    return client.post(reverse("groups:nudge", args=[group.pk, member.pk]), {"message": message}, follow=True)


def test_it_emails_the_organisers_words_and_a_link_to_the_plan(learner_client, group, member, roadmap):
    enrolment = enrol(member.user, roadmap)
    response = nudge(learner_client, group, member)
    assert "Nudge sent to Otto Other" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["other@example.com"]
    assert message.subject == "Lea Learner sent you a nudge in Rust club"  # no newline in a header
    plan = "https://waymark.example.com" + reverse("progress:plan", args=[enrolment.pk])
    assert "Keep going, you are close to the end of step 1!" in message.body and plan in message.body
    html = message.alternatives[0][0]
    assert f'href="{plan}"' in html
    assert reverse("groups:sharing", args=[group.pk]) in message.body  # where to turn them off
    assert Nudge.objects.get().message.startswith("Keep going")


def test_it_escapes_the_words_in_the_html_part(learner_client, group, member):
    nudge(learner_client, group, member, message="<script>alert(1)</script>")
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_it_sends_at_most_one_nudge_a_week(learner_client, group, member):
    nudge(learner_client, group, member)
    response = nudge(learner_client, group, member, message="Again")
    assert "one a week is the limit" in response.content.decode()
    assert len(mail.outbox) == 1 and Nudge.objects.count() == 1
    page = learner_client.get(reverse("groups:member", args=[group.pk, member.pk])).content.decode()
    assert "had a nudge this week already" in page and 'name="message"' not in page
    services.nudge_send(sender=group.memberships.get(role="organiser"), member=member, message="Next week",
                        now=timezone.now() + timedelta(weeks=1))
    assert len(mail.outbox) == 2


def test_it_never_nudges_a_member_who_turned_nudges_off(learner_client, group, member):
    member.nudges_allowed = False
    member.save()
    response = nudge(learner_client, group, member)
    assert "has turned nudges off" in response.content.decode()
    assert mail.outbox == [] and not Nudge.objects.exists()


def test_it_explains_an_empty_or_long_message_and_sends_nothing(learner_client, group, member):
    empty = learner_client.post(reverse("groups:nudge", args=[group.pk, member.pk]), {"message": "  "})
    assert empty.status_code == 400 and "Write a few words to send." in empty.content.decode()
    long = learner_client.post(reverse("groups:nudge", args=[group.pk, member.pk]), {"message": "x" * 281})
    assert long.status_code == 400 and "at most 280 characters" in long.content.decode()
    assert mail.outbox == [] and not Nudge.objects.exists()


def test_a_member_cannot_nudge(client, group, member, learner):
    client.force_login(member.user)
    organiser = group.memberships.get(user=learner)
    assert client.post(reverse("groups:nudge", args=[group.pk, organiser.pk]), {"message": "Hi"}).status_code == 403
    assert mail.outbox == []


def test_an_email_the_queue_refuses_releases_the_week(learner_client, group, member, monkeypatch):
    def fail(*args, **kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setattr("notifications.outbox._queue", fail)
    response = nudge(learner_client, group, member)
    assert "could not be sent" in response.content.decode() and not Nudge.objects.exists()
    monkeypatch.undo()
    nudge(learner_client, group, member)
    assert len(mail.outbox) == 1


def test_a_member_turns_nudges_off_from_their_sharing_page(client, group, member):
    client.force_login(member.user)
    client.post(reverse("groups:sharing", args=[group.pk]), {"share_progress": "on"})
    member.refresh_from_db()
    assert member.nudges_allowed is False
