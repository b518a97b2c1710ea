"""The failed sign-in lock-out counts per account, whatever Host a client sends.

allauth keys the count on the current site's domain, which without the sites
framework is `request.get_host()`: port included and case kept, while
ALLOWED_HOSTS ignores both. A client could reset its count by changing the
port or the case, and two app servers reached at different host:port kept
separate counts. These tests send every attempt with another Host.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
WRONG = "wrong-password"


@pytest.fixture
def ada(db):
    user = make_user("ada@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _sign_in(client: Client, email: str, password: str, host: str):
    return client.post(reverse("account_login"), {"login": email, "password": password}, HTTP_HOST=host)


def _assert_locked(response, client: Client, host: str) -> None:
    assert response.status_code == 429
    assert [t.name for t in response.templates][0] == "429.html"
    assert "Too many attempts" in response.content.decode()
    assert not client.get(reverse("home"), HTTP_HOST=host).wsgi_request.user.is_authenticated


def test_it_locks_the_account_across_host_ports(client, ada, settings):
    limit = settings.ACCOUNT_FAILED_LOGIN_LIMIT
    for attempt in range(limit):
        response = _sign_in(client, ada.email, WRONG, host=f"127.0.0.1:{8001 + attempt}")
        assert response.status_code == 200, attempt

    _assert_locked(_sign_in(client, ada.email, WRONG, host="127.0.0.1:9999"), client, "127.0.0.1:9999")
    # Locked means locked: the right password waits too, on yet another port.
    _assert_locked(_sign_in(client, ada.email, PASSWORD, host="127.0.0.1:9998"), client, "127.0.0.1:9998")


def test_it_locks_the_account_across_host_case(client, ada, settings):
    hosts = ["localhost", "LOCALHOST", "LocalHost", "localHOST", "lOcAlHoSt", "LOCALhost"]
    limit = settings.ACCOUNT_FAILED_LOGIN_LIMIT
    for attempt in range(limit):
        assert _sign_in(client, ada.email, WRONG, host=hosts[attempt % len(hosts)]).status_code == 200, attempt

    _assert_locked(_sign_in(client, ada.email, PASSWORD, host="Localhost"), client, "Localhost")


def test_it_locks_the_account_across_the_email_case(client, ada, settings):
    limit = settings.ACCOUNT_FAILED_LOGIN_LIMIT
    for attempt in range(limit):
        login = ada.email.upper() if attempt % 2 else ada.email
        assert _sign_in(client, login, WRONG, host="testserver").status_code == 200, attempt

    _assert_locked(_sign_in(client, "Ada@Example.com", PASSWORD, host="testserver"), client, "testserver")


def test_it_counts_failures_on_two_app_servers_together(ada, settings):
    """Two app servers, each reached at its own host:port, share the cache
    (Redis in production; the one process's cache here)."""
    server_a = Client(SERVER_NAME="127.0.0.1", SERVER_PORT="8101", HTTP_HOST="127.0.0.1:8101")
    server_b = Client(SERVER_NAME="localhost", SERVER_PORT="8102", HTTP_HOST="localhost:8102")
    limit = settings.ACCOUNT_FAILED_LOGIN_LIMIT
    for attempt in range(limit):
        server, host = (server_a, "127.0.0.1:8101") if attempt % 2 else (server_b, "localhost:8102")
        assert _sign_in(server, ada.email, WRONG, host=host).status_code == 200, attempt

    _assert_locked(_sign_in(server_a, ada.email, PASSWORD, host="127.0.0.1:8101"), server_a, "127.0.0.1:8101")
    _assert_locked(_sign_in(server_b, ada.email, PASSWORD, host="localhost:8102"), server_b, "localhost:8102")


def test_it_still_signs_in_below_the_limit_and_keeps_other_accounts_open(client, ada, settings):
    bob = make_user("bob@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=bob, email=bob.email, verified=True, primary=True)
    for attempt in range(settings.ACCOUNT_FAILED_LOGIN_LIMIT):
        assert _sign_in(client, ada.email, WRONG, host=f"127.0.0.1:{8001 + attempt}").status_code == 200

    # Ada's lock-out is Ada's: Bob signs in from the same client.
    response = _sign_in(client, bob.email, PASSWORD, host="127.0.0.1:8001")
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == bob


def test_it_lifts_the_lock_out_after_a_password_reset_on_another_host(client, ada, settings):
    for attempt in range(settings.ACCOUNT_FAILED_LOGIN_LIMIT):
        assert _sign_in(client, ada.email, WRONG, host=f"127.0.0.1:{8001 + attempt}").status_code == 200
    assert _sign_in(client, ada.email, PASSWORD, host="127.0.0.1:8001").status_code == 429

    # The owner resets the password through the site's public name.
    client.post(reverse("account_reset_password"), {"email": ada.email}, HTTP_HOST="localhost")
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link, HTTP_HOST="localhost")["Location"]
    new_password = "another-long-password-2"
    response = client.post(form_url, {"password1": new_password, "password2": new_password}, HTTP_HOST="localhost")
    assert response.status_code == 302

    assert _sign_in(client, ada.email, new_password, host="127.0.0.1:8002").status_code == 302
