"""Rate limits (site and admin), account enumeration, MFA for editors."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def verified_user(email: str = "ada@example.com", **fields):
    user = make_user(email, password=PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _fail_until_locked(client, url: str, email: str, limit: int) -> None:
    for attempt in range(limit):
        response = client.post(url, {"login": email, "password": "wrong-password"})
        assert response.status_code == 200, attempt
        assert "not correct" in response.content.decode() or "incorrect" in response.content.decode().lower()


def test_it_answers_429_after_the_configured_failed_sign_ins(client, settings):
    user = verified_user()
    limit = settings.ACCOUNT_FAILED_LOGIN_LIMIT
    url = reverse("account_login")
    _fail_until_locked(client, url, user.email, limit)

    response = client.post(url, {"login": user.email, "password": "wrong-password"})
    assert response.status_code == 429
    assert [t.name for t in response.templates][0] == "429.html"
    minutes = settings.ACCOUNT_FAILED_LOGIN_WINDOW_SECONDS // 60
    assert response["Retry-After"] == str(settings.ACCOUNT_FAILED_LOGIN_WINDOW_SECONDS)
    html = response.content.decode()
    assert "Too many attempts" in html and f"Try again in {minutes} minutes" in html

    # Locked out means locked out: even the right password waits.
    response = client.post(url, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_it_sends_the_admin_login_through_allauth(client, editor):
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    # The admin's own form cannot be used to get around the limits.
    response = client.post("/admin/login/?next=/admin/", {"username": editor.email, "password": PASSWORD})
    assert response.status_code == 302
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_it_answers_429_on_the_admin_login_after_failed_sign_ins(client, editor, settings):
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    login_url = client.get("/admin/login/?next=/admin/")["Location"]
    _fail_until_locked(client, login_url, editor.email, settings.ACCOUNT_FAILED_LOGIN_LIMIT)
    response = client.post(login_url, {"login": editor.email, "password": PASSWORD})
    assert response.status_code == 429


def test_it_lets_an_editor_into_the_admin_after_signing_in(client, editor):
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    login_url = client.get("/admin/login/?next=/admin/")["Location"]
    response = client.post(login_url, {"login": editor.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_it_requires_mfa_for_editors_when_configured(client, editor, settings):
    settings.WAYMARK_REQUIRE_STAFF_MFA = True
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")

    Authenticator.objects.create(user=editor, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get("/admin/").status_code == 200


def test_it_lets_editors_in_without_mfa_when_not_required(client, editor, settings):
    settings.WAYMARK_REQUIRE_STAFF_MFA = False
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def _page(client, response, email: str) -> tuple[int, str, str]:
    """Status, redirect target and the page it leads to, minus per-request
    tokens and the address the visitor typed (echoing it back reveals nothing)."""
    location = response.get("Location", "")
    followed = client.get(location).content.decode() if location else response.content.decode()
    followed = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", followed).replace(email, "EMAIL")
    return response.status_code, location, followed


def test_it_answers_sign_up_the_same_for_known_and_unknown_emails(client):
    verified_user("known@example.com")
    data = {"password1": "a-new-long-password-1", "password2": "a-new-long-password-1"}
    known_email, unknown_email = "known@example.com", "unknown@example.com"
    known = _page(client, client.post(reverse("account_signup"), {"email": known_email, **data}), known_email)
    client.cookies.clear()
    unknown = _page(client, client.post(reverse("account_signup"), {"email": unknown_email, **data}), unknown_email)
    assert known == unknown
    assert known[0] == 302
    # Each address gets one mail; only its content differs, and only its owner reads it.
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("known@example.com", "[Waymark] You already have a Waymark account"),
        ("unknown@example.com", "[Waymark] Confirm your email address to start using Waymark"),
    ]


def test_it_answers_password_reset_the_same_for_known_and_unknown_emails(client):
    verified_user("known@example.com")
    known_email, unknown_email = "known@example.com", "unknown@example.com"
    known = _page(client, client.post(reverse("account_reset_password"), {"email": known_email}), known_email)
    unknown = _page(client, client.post(reverse("account_reset_password"), {"email": unknown_email}), unknown_email)
    assert known == unknown
    assert known[0] == 302
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("known@example.com", "[Waymark] Reset your Waymark password"),
        ("unknown@example.com", "[Waymark] No Waymark account for this address"),
    ]
