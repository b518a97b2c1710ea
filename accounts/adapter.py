"""Waymark's allauth adapter: a locked-out sign-in answers 429, and the
lock-out counts per account whatever Host the client sends."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from accounts.views import rate_limited


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # allauth reports too many failed sign-ins as a form error with a 200;
        # we answer with a real 429 page that says when to retry, so clients,
        # proxies and people all see the lock-out for what it is.
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            raise ImmediateHttpResponse(
                rate_limited(request, retry_after=settings.ACCOUNT_FAILED_LOGIN_WINDOW_SECONDS)
            ) from error

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth prefixes the address with the current site's domain, which
        # without django.contrib.sites is request.get_host(): port included,
        # case kept. ALLOWED_HOSTS ignores both, so every "Host: h:<n>" got a
        # fresh count, and two app servers reached at different host:port
        # counted apart. Waymark is one site (cache keys already carry the
        # deployment's salt), so the account alone is the key. allauth uses
        # this one method for counting (pre_authenticate), for clearing after
        # a password reset, and accounts.services uses it on deletion.
        login = credentials.get("email", credentials.get("username", "")) or ""
        return f"login:{login.strip().lower()}"
