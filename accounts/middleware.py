"""Account middleware: staff must use two-factor authentication to reach the
admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


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
            messages.warning(request, "Editors must turn on two-factor authentication before using the admin.")
            return redirect("mfa_index")
        return None
