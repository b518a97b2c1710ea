"""Middleware of our own: one log line per request, and the security headers
Django has no setting for."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from config.log_paths import loggable_path

logger = logging.getLogger("waymark.request")


class RequestLogMiddleware:
    """Logs `METHOD path status duration` once per request.

    Only the path is logged, never the query string (sign-in links and
    password-reset tokens can travel there), nor cookies or the session id;
    and the path as config.log_paths writes it: tokens in it (share links,
    reset and confirmation keys) replaced by <token>, control characters
    escaped, the same text as gunicorn's access line.
    It sits first in MIDDLEWARE so the duration covers the whole stack and the
    status is the one the client receives.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        path = loggable_path(request.path_info, request.META.get("SCRIPT_NAME", ""))
        logger.log(
            level,
            "%s %s %s %sms",
            request.method,
            path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response


class PermissionsPolicyMiddleware:
    """Adds Permissions-Policy: Waymark needs no camera, microphone, location…"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PrivateCacheMiddleware:
    """Cache-Control: private on signed-in responses that set none themselves.

    A page for a signed-in learner holds their data (and their CSRF token); a
    shared cache between them and us (a corporate proxy, a CDN) must never
    store it and hand it to someone else. Responses that chose their own
    Cache-Control (the favicon, the calendar feed) keep it.

    "Signed in" is read from the session, and only when the response used it
    (session.accessed, which also sends Vary: Cookie): asking request.user
    would cost the session and user queries on pages that never needed them
    (the calendar feed, by token), and a response that never read the session
    cannot hold anything of the learner's.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.accessed
            and SESSION_KEY in session
            and not response.has_header("Cache-Control")
        ):
            patch_cache_control(response, private=True)
        return response


class MethodNotAllowedPageMiddleware:
    """A page for a GET that Django answers with an empty 405.

    Every write is POST-only (require_POST answers anything else with an
    empty body), so a person who opens a form's address itself — a bookmark,
    the browser's history, a link pasted from the address bar — got the
    browser's own error screen. They get our page instead, with the same
    status and Allow header. Other methods keep the empty answer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.method != "GET" or response.content:
            return response
        page = render(request, "405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
