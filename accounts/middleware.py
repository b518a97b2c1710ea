"""Account middleware: staff must use two-factor authentication to reach the
admin."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


class StaffMFAMiddleware:
    """With WAYMARK_REQUIRE_STAFF_MFA on, a staff member without MFA who opens
    the admin is sent to the two-factor page first. The rest of the site stays
    open to them as a learner."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.WAYMARK_REQUIRE_STAFF_MFA
            and request.path.startswith("/admin/")
            and request.user.is_authenticated
            and request.user.is_staff
            and not is_mfa_enabled(request.user)
        ):
            messages.warning(request, "Editors must turn on two-factor authentication before using the admin.")
            return redirect("mfa_index")
        return self.get_response(request)

