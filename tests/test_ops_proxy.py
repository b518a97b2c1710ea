"""Per-IP rate limits behind a reverse proxy (TRUSTED_PROXY_COUNT).

Every request reaches the app from the proxy's address. With the trusted
proxy count set, allauth takes the client's address from the entry the proxy
added to X-Forwarded-For, so one client's failed sign-ins do not lock everyone
out; with it unset, X-Forwarded-For is ignored, so a client cannot dodge the
limit by sending a different one each time.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # what every request's REMOTE_ADDR is behind nginx
PASSWORD = "a-long-enough-password-1"


def _client(forwarded_for: str) -> Client:
    # nginx's $proxy_add_x_forwarded_for: whatever the client sent, then its address.
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def _sign_in(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _fail_until_limited(client_for_attempt) -> int:
    """Wrong passwords (each for another address, so only the per-IP limit
    can stop them) until a 429; the number of attempts that got through."""
    for attempt in range(1, 60):
        response = _sign_in(client_for_attempt(attempt), f"nobody{attempt}@example.com", "wrong-password")
        if response.status_code == 429:
            return attempt - 1
        assert response.status_code == 200, response.status_code
    pytest.fail("the per-IP limit never answered 429")


@pytest.fixture
def account(db):
    user = make_user("walker@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_it_limits_each_client_behind_the_proxy_on_its_own(settings, account):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker = _client("203.0.113.7")
    assert _fail_until_limited(lambda attempt: attacker) == 20
    # Another learner behind the same proxy still signs in.
    response = _sign_in(_client("198.51.100.4"), account.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == settings.LOGIN_REDIRECT_URL


def test_it_takes_the_address_the_proxy_added_not_the_one_the_client_sent(settings, account):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # The client forges a first entry each time; the proxy's own entry stays the same.
    got_through = _fail_until_limited(lambda attempt: _client(f"192.0.2.{attempt}, 203.0.113.7"))
    assert got_through == 20


def test_it_ignores_forwarded_for_without_a_trusted_proxy(settings, account):
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0  # the default
    got_through = _fail_until_limited(lambda attempt: _client(f"203.0.113.{attempt}"))
    assert got_through == 20
