"""Account middleware: staff must use two-factor authentication to reach the
admin, and every write moves the writer's data version."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts.services import data_version_bump


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


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class LearnerDataVersionMiddleware:
    """After every write request of a signed-in user, bump their
    `User.data_version`, which keys the pages cached per learner.

    Every learner write in Waymark is a POST (tests/test_guards.py holds the
    GETs to it), so this one place covers them all, including ones added
    later, rather than each service remembering to. The bump runs after the view: a page rendered
    between the write and the bump is cached under the old version, which no
    request asks for once the bump lands, so nothing stale survives. A bump
    after a request that changed nothing (a form error) costs one UPDATE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in UNSAFE_METHODS:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                data_version_bump(user_id=user.pk)
        return response
