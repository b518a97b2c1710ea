"""Waymark's allauth adapter: a locked-out sign-in answers 429, and the
lock-out counts per account whatever Host the client sends; every `next`
is checked by the site's one rule; sign-up saves the time zone; and the
confirmation link keeps the page the visitor signed up from."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse

from accounts.views import rate_limited
from config.navigation import is_safe_next, safe_next
from notifications import outbox


class AccountAdapter(DefaultAccountAdapter):
    def is_safe_url(self, url: str | None) -> bool:
        # allauth's own check also trusts every ALLOWED_HOSTS and
        # CSRF_TRUSTED_ORIGINS host and keeps a bare word such as "foo"; the
        # rest of the site goes only to a path on the host it was asked on
        # (config.navigation), and sign-in, sign-up, codes and email
        # confirmation now follow the same rule.
        request = context.request
        if request is None:  # outside a request (a management command)
            return super().is_safe_url(url)
        return is_safe_next(request, url)

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        # Sign-up asks for the time zone (accounts.forms.SignupForm); it goes
        # into the same INSERT. Other sign-up forms (GitHub) keep the default.
        time_zone = form.cleaned_data.get("time_zone")
        if time_zone:
            user.time_zone = time_zone
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix: str, email: str, mail_context: dict) -> None:
        # allauth's emails (verification, password reset, sign-in codes,
        # security notices) are rendered here, in the request, and sent by a
        # worker through the outbox: a slow or failing SMTP server no longer
        # slows or fails the page, and a failed send is retried. The same
        # context allauth's own send_mail builds (allauth passes it positionally).
        request = context.request
        message = self.render_mail(
            template_prefix, email, {"request": request, "email": email,
                                     "current_site": get_current_site(request), **mail_context},
        )
        kind = template_prefix.rsplit("/", 1)[-1]
        outbox.message_enqueue(message, key=outbox.new_key(f"allauth-{kind}"), priority=outbox.URGENT)

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation) -> str:
        url = super().get_email_confirmation_url(request, emailconfirmation)
        # The page the visitor signed up (or tried to sign in) from. Opened
        # where that session is, confirming signs them in and allauth returns
        # them there itself (the `next` kept with the pending sign-in). Opened
        # in another browser, or after ACCOUNT_LOGIN_TIMEOUT, allauth will not
        # sign in on a link alone (by design: a leaked link must not be a key
        # to the account), so the link's own `next` leads to sign-in, and
        # sign-in on to that page.
        destination = safe_next(request, "") if request is not None else ""
        if not destination:
            return url
        sign_in = f"{reverse('account_login')}?{urlencode({'next': destination})}"
        return f"{url}?{urlencode({'next': sign_in})}"

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
