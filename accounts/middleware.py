"""Account middleware: a signed-in learner's saved language; staff must use
two-factor authentication to reach the admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.i18n import set_language


class UserLanguageMiddleware:
    """The language a signed-in learner saved in their account settings wins
    over the browser's Accept-Language and the footer's cookie; an empty
    choice follows those (LocaleMiddleware, which runs before this). Choosing
    a language in the footer while signed in saves it to the account too, so
    it follows them to every device. The footer's view (Django's
    set_language) takes a POST only.

    The user is read only when the request carries a session cookie: a
    request without one (a calendar client, a first visit) cannot be signed
    in, and asking request.user would mark the session as read (Vary: Cookie)
    for nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            language = getattr(request.user, "language", "")
            if language and language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        if view_func is not set_language:
            return None
        if request.method != "POST":
            # Django's view answers a GET with a redirect that changes
            # nothing; like every other write here, it takes a POST only.
            return HttpResponseNotAllowed(["POST"])
        if not request.user.is_authenticated:
            return None
        response = view_func(request, *view_args, **view_kwargs)
        # set_language sets its cookie only for a language it accepts.
        cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie is not None and cookie.value != request.user.language:
            request.user.language = cookie.value
            request.user.save(update_fields=["language"])
        return response


class StaffMFAMiddleware:
    """With WAYMARK_REQUIRE_STAFF_MFA on, a staff member without MFA who opens
    the admin is sent to the two-factor page first. The rest of the site stays
    open to them as a learner."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        # Decided on the view the resolver picked, not on the path: the
        # resolver routes on PATH_INFO, while request.path starts with
        # SCRIPT_NAME, which a client can send (gunicorn takes it from a
        # header) and which a deployment under a sub-path always has. Every
        # page the admin site serves (index, change forms, the roadmap
        # import, its catch-all) is in its namespace, whatever the prefix.
        if (
            settings.WAYMARK_REQUIRE_STAFF_MFA
            and request.user.is_authenticated
            and request.user.is_staff
            and admin.site.name in request.resolver_match.namespaces
            and not is_mfa_enabled(request.user)
        ):
            messages.warning(request, _("Editors must turn on two-factor authentication before using the admin."))
            return redirect("mfa_index")
        return None
