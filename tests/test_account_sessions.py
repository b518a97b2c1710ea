"""Deleting an account ends every session of that user, in the database and
in the cache, and leaves nothing of theirs in the cache (rate-limit counters
keyed on their email address or their pk)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import make_user

PASSWORD = "a-long-test-password"
CACHED_DB = "django.contrib.sessions.backends.cached_db"


@pytest.fixture(autouse=True)
def _cached_db_sessions(settings):
    # Production's engine with REDIS_URL; the tests' cache is local memory,
    # which one process shares, so the cache side can be checked too.
    settings.SESSION_ENGINE = CACHED_DB


def _session_cache_key(session_key: str) -> str:
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX

    return KEY_PREFIX + session_key


def _signed_in(email: str) -> Client:
    """A browser that signed in through the real sign-in form (allauth records
    a UserSession for it, as it does for every sign-in)."""
    browser = Client()
    response = browser.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert browser.get("/dashboard/").wsgi_request.user.is_authenticated
    return browser


@pytest.fixture
def ada(db):
    user = make_user("ada@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_it_records_a_user_session_at_every_sign_in(ada):
    laptop, phone = _signed_in(ada.email), _signed_in(ada.email)
    keys = {laptop.session.session_key, phone.session.session_key}
    assert set(UserSession.objects.filter(user=ada).values_list("session_key", flat=True)) == keys


def test_it_ends_the_other_browsers_session_when_the_account_is_deleted(ada):
    laptop, phone = _signed_in(ada.email), _signed_in(ada.email)
    other = make_user("grace@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=other, email=other.email, verified=True, primary=True)
    bystander = _signed_in(other.email)
    phone_key = phone.session.session_key
    assert Session.objects.filter(session_key=phone_key).exists()
    assert cache.get(_session_cache_key(phone_key)) is not None  # cached_db reads it through the cache

    response = laptop.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=ada.pk).exists()

    assert not Session.objects.filter(session_key=phone_key).exists()
    assert cache.get(_session_cache_key(phone_key)) is None
    assert not phone.get("/dashboard/").wsgi_request.user.is_authenticated
    assert not laptop.get("/dashboard/").wsgi_request.user.is_authenticated
    assert not UserSession.objects.filter(user_id=ada.pk).exists()
    # Someone else's session is untouched.
    assert bystander.get("/dashboard/").wsgi_request.user.is_authenticated


def test_it_forgets_the_deleted_accounts_rate_limit_counters(ada, settings):
    limit = settings.ACCOUNT_FAILED_LOGIN_LIMIT
    attacker = Client()
    for _ in range(limit - 1):  # one short of a lock-out
        attacker.post(reverse("account_login"), {"login": ada.email, "password": "wrong-password"})
    laptop = _signed_in(ada.email)
    rate_limit_keys = [key for key in cache._cache if ":allauth:rl:" in key]
    assert any(":login_failed:" in key and ":ip:" not in key for key in rate_limit_keys)

    laptop.post(reverse("accounts:delete"), {"password": PASSWORD})

    left = [key for key in cache._cache if ":allauth:rl:" in key]
    assert not [key for key in left if ":login_failed:" in key and ":ip:" not in key]
    # A new account on the same address starts with a clean slate, and the
    # per-IP counters (not the user's) are kept.
    assert any(":ip:" in key for key in left)
    make_user("ada@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=User.objects.get(email="ada@example.com"), email="ada@example.com",
                                verified=True, primary=True)
    for _ in range(limit - 1):
        response = Client().post(reverse("account_login"), {"login": ada.email, "password": "wrong-password"})
        assert response.status_code == 200
