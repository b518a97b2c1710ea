"""allauth's flows through the test client, including the emails they send."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
NEW_PASSWORD = "another-long-password-42"


def verified_user(email: str = "ada@example.com", password: str = PASSWORD, **fields):
    user = make_user(email, password=password, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def link_in(message) -> str:
    match = re.search(r"https?://testserver(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def code_in(message) -> str:
    match = re.search(r"^\s{4}(\S+)\s*$", message.body, re.MULTILINE)
    assert match, message.body
    return match.group(1)


def signed_in_user(client):
    return client.get(reverse("accounts:settings")).wsgi_request.user


def test_it_signs_up_and_verifying_the_email_signs_in(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "Ada@Example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = get_user_model().objects.get(email__iexact="ada@example.com")
    assert not EmailAddress.objects.get(user=user).verified

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Ada@Example.com"] or message.to == ["ada@example.com"]
    assert message.subject == "[Waymark] Confirm your email address to start using Waymark"
    assert "confirm it's yours" in message.body
    assert "Hello from Waymark" in message.body

    # Mandatory verification: the password alone does not sign in yet.
    sign_in(client, "ada@example.com")
    assert not signed_in_user(client).is_authenticated

    # Confirming (a POST: mail scanners only GET) signs in, in this browser,
    # where the sign-up's pending sign-in is (tests/test_journey_signup.py:
    # another browser, and `next`).
    confirm_url = link_in(message)
    assert client.get(confirm_url).status_code == 200
    assert not signed_in_user(client).is_authenticated
    response = client.post(confirm_url)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert EmailAddress.objects.get(user=user).verified
    assert signed_in_user(client) == user


def test_it_signs_out_only_by_post(client):
    user = verified_user()
    sign_in(client, user.email)
    response = client.get(reverse("account_logout"))
    assert response.status_code == 200  # a confirmation page, not a sign-out
    assert signed_in_user(client) == user
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not signed_in_user(client).is_authenticated


def test_it_resets_a_forgotten_password(client):
    user = verified_user()
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[Waymark] Reset your Waymark password"
    assert "Choose a new password with this link" in message.body

    response = client.get(link_in(message))
    assert response.status_code == 302  # allauth moves the key into the session
    response = client.post(response["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The security notice follows.
    assert mail.outbox[-1].subject == "[Waymark] Your Waymark password was reset"

    sign_in(client, user.email, NEW_PASSWORD)
    assert signed_in_user(client) == user


def test_it_changes_the_email_address_after_verifying_the_new_one(client):
    user = verified_user()
    sign_in(client, user.email)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "ada.new@example.com"})
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["ada.new@example.com"]
    assert message.subject == "[Waymark] Confirm your email address"
    user.refresh_from_db()
    assert user.email == "ada@example.com"  # unchanged until verified

    client.post(link_in(message))
    user.refresh_from_db()
    assert user.email == "ada.new@example.com"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        ("ada.new@example.com", True, True)
    ]
    notice = mail.outbox[-1]
    assert notice.subject == "[Waymark] Your Waymark email address changed"
    assert "from ada@example.com to ada.new@example.com" in notice.body


def test_it_signs_in_with_an_emailed_code(client):
    user = verified_user()
    response = client.post(reverse("account_request_login_code"), {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
    message = mail.outbox[-1]
    assert message.subject == "[Waymark] Your Waymark sign-in code"
    code = code_in(message)

    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})
    assert response.status_code == 200
    assert not signed_in_user(client).is_authenticated

    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert signed_in_user(client) == user


def _totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@pytest.mark.django_db(transaction=True)
def test_it_enrols_totp_and_then_asks_for_it_at_sign_in(client, settings):
    # One period of tolerance either side, so a code computed just before a
    # 30-second boundary still counts; the code itself comes from allauth.
    settings.MFA_TOTP_TOLERANCE = 1
    user = verified_user()
    sign_in(client, user.email)

    # Turning MFA on asks for the password again first.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = response.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000" if _totp_code(secret) != "000000" else "1"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()

    # allauth sends the "two-factor is on" notice on commit (hence transaction=True).
    response = client.post(reverse("mfa_activate_totp"), {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert any(m.subject == "[Waymark] Two-factor authentication is on" for m in mail.outbox)

    client.post(reverse("account_logout"))
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not signed_in_user(client).is_authenticated  # the password alone is not enough

    response = client.post(reverse("mfa_authenticate"), {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert signed_in_user(client) == user


@pytest.mark.parametrize(
    "name", ["account_login", "account_signup", "account_reset_password", "account_request_login_code"]
)
def test_it_renders_entrance_pages_in_waymarks_layout(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "site-header" in html and "css/accounts.css" in html
    # Every visible input has a label pointing at it.
    for input_id in re.findall(r'<input (?![^>]*type="hidden")[^>]*id="([^"]+)"', html):
        assert f'for="{input_id}"' in html, input_id


def test_it_shows_signup_errors_next_to_the_field(client):
    response = client.post(reverse("account_signup"), {"email": "not-an-email", "password1": "x", "password2": "y"})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="id_email"[^<]*>\s*(<[^>]+>\s*)*<p class="field-error"[^>]*>', html)
    assert not get_user_model().objects.exists()


def test_it_renders_manage_pages_with_the_account_navigation(client):
    user = verified_user()
    sign_in(client, user.email)
    for name in ["account_email", "account_change_password", "mfa_index"]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert 'class="account-nav"' in response.content.decode(), name


def test_it_hides_github_sign_in_unless_configured(client, settings):
    assert "github" not in settings.SOCIALACCOUNT_PROVIDERS
    assert "/accounts/github/" not in client.get(reverse("account_login")).content.decode()
