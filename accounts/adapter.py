"""Waymark's allauth adapter: a locked-out sign-in answers 429."""

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
