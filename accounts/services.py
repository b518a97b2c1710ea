"""Account writes that reach beyond one form."""

from __future__ import annotations

import logging
import secrets
import time

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core.internal.ratelimit import get_cache_key, get_rates
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import User
from notifications import outbox

DELETE_CODE_SESSION_KEY = "accounts.delete_code"
DELETE_CODE_TTL_SECONDS = 10 * 60
RATE_LIMIT_APP = "allauth.account"
# The allauth limits keyed on an email address, and how the key is built from
# it (login_failed: accounts.adapter.AccountAdapter._get_login_attempts_cache_key,
# the same whatever Host the request came with; the others: the address,
# lower-cased). Per-user limits are keyed on the pk.
EMAIL_KEYED_RATE_LIMITS = ("login_failed", "reset_password", "request_login_code", "confirm_email")

logger = logging.getLogger(__name__)


def account_delete(*, request: HttpRequest, user: User) -> None:
    """Delete the learner and, through on_delete=CASCADE, every row they own;
    end every session they have and forget their rate-limit counters.

    Sessions are found through allauth.usersessions (a row per sign-in), not
    by scanning the session table; `UserSession.end()` deletes the session
    from the session store, i.e. its database row and, with cached_db, its
    cache entry. The caller logs the current request out as well.

    Roadmaps an editor authored stay: Roadmap.created_by is SET_NULL.
    """
    emails = {user.email.lower(), *(e.lower() for e in EmailAddress.objects.filter(user=user).values_list(
        "email", flat=True))}
    rate_limit_keys = _rate_limit_cache_keys(request, user=user, emails=emails)
    with transaction.atomic():
        for session in UserSession.objects.filter(user=user):
            session.end()
        user.delete()
    try:
        cache.delete_many(rate_limit_keys)
    except Exception:  # a cache outage must not undo or fail the deletion; the entries expire
        logger.warning("cache unavailable (clearing a deleted account's rate limits)", exc_info=True)


def _rate_limit_cache_keys(request: HttpRequest, *, user: User, emails: set[str]) -> list[str]:
    """The cache keys of allauth's rate-limit counters that belong to `user`:
    per user (their pk, which a restored database may give to someone else)
    and per email address. Per-IP counters are not the user's and stay."""
    keys = []
    for action in settings.ACCOUNT_RATE_LIMITS:
        for rate in get_rates(app=RATE_LIMIT_APP, action=action):
            if rate.per == "user":
                keys.append(get_cache_key(request, app=RATE_LIMIT_APP, action=action, rate=rate, user=user))
            elif rate.per == "key" and action in EMAIL_KEYED_RATE_LIMITS:
                for email in emails:
                    key = (
                        get_adapter(request)._get_login_attempts_cache_key(request, email=email)
                        if action == "login_failed"
                        else email
                    )
                    keys.append(get_cache_key(request, app=RATE_LIMIT_APP, action=action, rate=rate, key=key))
    return keys


def _code_digest(user: User, code: str) -> str:
    return salted_hmac("accounts.delete_code", f"{user.pk}:{code}").hexdigest()


def account_delete_code_send(*, request: HttpRequest, user: User) -> None:
    """Email a one-off code that confirms deleting an account without a
    password (GitHub-only learners). Only its digest is kept, in the session."""
    code = f"{secrets.randbelow(10**6):06d}"
    request.session[DELETE_CODE_SESSION_KEY] = {"digest": _code_digest(user, code), "at": time.time()}
    context = {"code": code, "minutes": DELETE_CODE_TTL_SECONDS // 60}
    outbox.email_enqueue(
        key=outbox.new_key("account-delete-code"),
        to=[user.email],
        subject=render_to_string("accounts/email/delete_code_subject.txt", context).strip(),
        body=render_to_string("accounts/email/delete_code_message.txt", context),
        priority=outbox.URGENT,
    )


def account_delete_code_check(*, request: HttpRequest, user: User, code: str) -> bool:
    stored = request.session.get(DELETE_CODE_SESSION_KEY)
    if not stored or time.time() - stored["at"] > DELETE_CODE_TTL_SECONDS:
        return False
    return constant_time_compare(stored["digest"], _code_digest(user, code.strip()))
