"""The outbox in the admin: read-only, listing what was sent and what
failed, never showing a body (sign-in codes and links travel in them)."""

from __future__ import annotations

from django.urls import reverse

from notifications import outbox
from notifications.models import OutboundEmail
from tests.factories import make_user


def test_a_superuser_sees_the_outbox_but_no_body_and_cannot_change_it(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    email = outbox.email_enqueue(key="allauth-login_code:1", to=["lea@example.com"], subject="Your code",
                                 body="Your sign-in code is 424242.")
    OutboundEmail.objects.filter(pk=email.pk).update(last_error="smtplib.SMTPServerDisconnected", attempts=2)
    client.force_login(make_user("root@example.com", is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:notifications_outboundemail_changelist"))
    assert listing.status_code == 200
    assert b"allauth-login_code" in listing.content and b"smtplib.SMTPServerDisconnected" in listing.content
    page = client.get(reverse("admin:notifications_outboundemail_change", args=[email.pk]))
    assert page.status_code == 200 and b"424242" not in page.content
    assert client.post(reverse("admin:notifications_outboundemail_change", args=[email.pk]),
                       {"subject": "Changed"}).status_code == 403
    assert client.get(reverse("admin:notifications_digestsent_changelist")).status_code == 200


def test_an_editor_cannot_open_the_outbox(editor_client):
    assert editor_client.get(reverse("admin:notifications_outboundemail_changelist")).status_code == 403
