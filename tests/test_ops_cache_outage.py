"""A cache outage costs speed, never a signed-in page or a sign-in.

The cache (Redis in production) holds only what the database can rebuild:
cached session copies, rate-limit counters, roadmap content. These tests take
it away three ways: a Redis nobody listens on (the production backend, real
redis-py errors), a backend whose every call raises ConnectionError, and a
raw raising backend under the session store alone.
"""

from __future__ import annotations

import socket
import time
import types
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache.backends.base import BaseCache
from django.test import Client
from django.urls import reverse

from config.caching import FailSoftRedisCache
from tests.factories import make_user
from tests.progress_helpers import make_enrolment

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-password-1"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nobody listens


class _DownClient:
    """Stands in for redis-py's client: every command raises ConnectionError."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("redis down")

        return fail


class RaisingRedisCache(FailSoftRedisCache):
    """The production backend, its connection replaced by one that raises."""

    @property
    def _cache(self):
        return _DownClient()


class RaisingCache(BaseCache):
    """A raw backend whose every method raises, with nothing to soften it."""

    def __init__(self, location, params):
        super().__init__(params)

    def _fail(self, *args, **kwargs):
        raise ConnectionError("cache down")

    add = get = set = touch = delete = has_key = incr = clear = get_many = set_many = delete_many = _fail


@pytest.fixture
def account(db):
    user = make_user("walker@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _signed_in_pages(client: Client, account, roadmap) -> dict[str, int]:
    enrolment = make_enrolment(account, roadmap)
    pages = [
        "/dashboard/",
        reverse("roadmaps:catalogue"),
        roadmap.get_absolute_url(),
        reverse("progress:plan", args=[enrolment.pk]),
        reverse("accounts:settings"),
    ]
    return {page: client.get(page).status_code for page in pages}


def _sign_in_and_browse(account, roadmap) -> tuple[Client, dict[str, int]]:
    client = Client()
    response = client.post(reverse("account_login"), {"login": account.email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    assert response["Location"] == "/dashboard/"
    return client, _signed_in_pages(client, account, roadmap)


@pytest.mark.parametrize("backend", ["redis-unreachable", "every-call-raises"])
def test_it_signs_in_and_serves_signed_in_pages_without_the_cache(settings, account, roadmap, caplog, backend):
    if backend == "redis-unreachable":
        cache = {"BACKEND": "config.caching.FailSoftRedisCache", "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0"}
    else:
        cache = {"BACKEND": "tests.test_ops_cache_outage.RaisingRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    settings.CACHES = {"default": cache}
    settings.SESSION_ENGINE = "config.sessions"

    client, statuses = _sign_in_and_browse(account, roadmap)
    assert set(statuses.values()) == {200}, statuses
    session_key = client.cookies["sessionid"].value
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get("/dashboard/").status_code == 302  # signed out for real

    warnings = [r for r in caplog.records if r.levelname == "WARNING" and "cache unavailable" in r.getMessage()]
    assert warnings
    assert session_key not in caplog.text


def test_it_keeps_sessions_in_the_database_when_the_session_cache_raises(settings, account, roadmap, caplog):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sessions": {"BACKEND": "tests.test_ops_cache_outage.RaisingCache"},
    }
    settings.SESSION_ENGINE = "config.sessions"
    settings.SESSION_CACHE_ALIAS = "sessions"

    client, statuses = _sign_in_and_browse(account, roadmap)
    assert set(statuses.values()) == {200}, statuses
    session_key = client.cookies["sessionid"].value
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get("/dashboard/").status_code == 302
    assert "session cache unavailable" in caplog.text
    assert session_key not in caplog.text


def test_it_forgets_a_cached_session_the_cache_failed_to_delete_within_a_minute(settings, account, roadmap):
    """Signing out while the cache cannot delete leaves the old copy in the
    cache; once the cache answers again that copy must not sign the old
    cookie back in for long. Cached copies live 60 s, not the session's age."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SESSION_ENGINE = "config.sessions"
    client, _ = _sign_in_and_browse(account, roadmap)
    old_cookie = client.cookies["sessionid"].value
    assert client.get("/dashboard/").status_code == 200  # the copy is in the cache now
    with mock.patch("django.core.cache.backends.locmem.LocMemCache.delete", side_effect=ConnectionError):
        assert client.post(reverse("account_logout")).status_code == 302

    later = types.SimpleNamespace(time=lambda: time.time() + 61)
    with mock.patch("django.core.cache.backends.locmem.time", later):
        thief = Client()
        thief.cookies["sessionid"] = old_cookie
        assert thief.get("/dashboard/").status_code == 302


def test_it_reads_sessions_through_the_cache_when_it_answers(settings, account, django_assert_max_num_queries):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SESSION_ENGINE = "config.sessions"
    from config.sessions import SessionStore

    store = SessionStore()
    store["answer"] = 42
    store.save()
    with django_assert_max_num_queries(0):
        assert SessionStore(store.session_key)["answer"] == 42
    assert isinstance(store, SessionBase)
