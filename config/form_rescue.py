"""Nothing a learner typed is lost to an expired form or an ended session.

Two ways a POST used to throw the text away:

- The CSRF check failed (the token rotated at a sign-in in another tab, or
  the page was open for very long): Django answered "Form expired" with
  nothing of what was written. `csrf_failure` (settings.CSRF_FAILURE_VIEW)
  gives it back: the text in a form to the same address, with a fresh token
  and a "Send it again" button.
- The session ended before the POST: `login_required` redirected to sign-in
  and the text was gone. `PendingPostMiddleware` keeps the POST's fields in
  the (anonymous) session, which Django carries across sign-in; once signed
  in, every page shows them (`pending_post`, includes/pending_post.html)
  with "Send it now" and "Discard".

Either way the re-sent form goes through the view's validation as any other
POST. Fields that may hold a secret (passwords, tokens, codes, keys) are
never echoed nor kept, and only a POST the learner's own pages made is given
back: not one from another site (it could put words in their mouth).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.middleware.csrf import REASON_CSRF_TOKEN_MISSING, REASON_NO_CSRF_COOKIE
from django.shortcuts import render, resolve_url
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from config.navigation import is_safe_next, safe_next

SESSION_KEY = "pending_posts"
# What the session keeps: a few forms, of at most what the largest form
# accepts (a retrospective: several answers of 10,000 characters).
MAX_PENDING = 3
MAX_FIELDS = 50
MAX_CHARS = 100_000
PENDING_SECONDS = 24 * 60 * 60
SECRET_WORDS = ("password", "passwd", "token", "secret", "code", "key", "csrf", "otp", "credential")
# Carried along, but not worth showing as something the learner wrote.
UNSHOWN = {"next", "action"}
# The boxes' labels, in the reader's language, for the fields Waymark's
# forms hold typed text in; any other field is labelled by its name.
FIELD_LABELS = {
    "note": _("Note"), "message": _("Message"), "title": _("Title"), "name": _("Name"),
    "description": _("Description"), "date": _("Date"), "due_date": _("Due date"), "start_date": _("Start date"),
    "week": _("Week"), "at": _("Time of day"), "hours_per_week": _("Hours a week"),
    "handle": _("Public profile handle"),
    "display_name": _("Display name"), "time_zone": _("Time zone"), "language": _("Language"),
    "evidence_url": _("Evidence link"), "repo_url": _("Repository link"), "live_url": _("Live link"),
    "q": _("Search"),
}
ANSWER_PREFIX = "answer_"  # a retrospective's answers: answer_<question position>


def is_secret_field(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in SECRET_WORDS)


def kept_fields(data: QueryDict) -> list[tuple[str, str]] | None:
    """The POST's fields that may be given back, in order; None when there
    are too many or too much to keep."""
    fields = [(name, value) for name, values in data.lists() if not is_secret_field(name) for value in values]
    if len(fields) > MAX_FIELDS or sum(len(name) + len(value) for name, value in fields) > MAX_CHARS:
        return None
    return fields


def field_label(name: str) -> str:
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    position = name.removeprefix(ANSWER_PREFIX)
    if position != name and position.isdigit():  # positions count from 0, questions from 1
        return gettext("Answer %(number)s") % {"number": int(position) + 1}
    return name.replace("_", " ").strip().capitalize() or name


@dataclass(frozen=True)
class ShownField:
    name: str
    label: str
    value: str

    @property
    def is_long(self) -> bool:
        """Shown in a textarea (else a one-line input)."""
        return "\n" in self.value or len(self.value) > 80


@dataclass(frozen=True)
class RescuedForm:
    """A POST to give back: where it went, and its fields."""

    path: str
    fields: list[tuple[str, str]]

    @property
    def shown(self) -> list[ShownField]:
        """The typed text, as editable boxes: not empty, not a bare number
        (ids of menus), not the form's own plumbing."""
        return [
            ShownField(name, field_label(name), value)
            for name, value in self.fields
            if name not in UNSHOWN and value.strip() and not value.strip().isdigit()
        ]

    @property
    def hidden(self) -> list[tuple[str, str]]:
        shown = {field.name for field in self.shown}
        return [(name, value) for name, value in self.fields if name not in shown]


def _from_this_site(request: HttpRequest) -> bool:
    # Browsers say so on every request; an old one that does not is trusted
    # as far as the CSRF check's own Origin/Referer verification went.
    return request.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")


# --- The CSRF failure page -------------------------------------------------------


def _token_reason(reason: str) -> bool:
    """A missing cookie or a stale/absent token: the learner's own form. Not
    a failed Origin or Referer check, which is another site's POST."""
    return reason in (REASON_NO_CSRF_COOKIE, REASON_CSRF_TOKEN_MISSING) or reason.startswith("CSRF token from")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    rescued = None
    path = request.get_full_path()
    if request.method == "POST" and _token_reason(reason) and _from_this_site(request) and is_safe_next(request, path):
        fields = kept_fields(request.POST)
        if fields:
            rescued = RescuedForm(path, fields)
    response = render(
        request, "403_csrf.html", {"rescued": rescued, "no_cookie": reason == REASON_NO_CSRF_COOKIE}, status=403
    )
    patch_cache_control(response, private=True, no_store=True)  # it may hold the learner's text
    return response


# --- POSTs that met the sign-in page -----------------------------------------------


def _pending(request: HttpRequest) -> list[dict]:
    now = time.time()
    return [entry for entry in request.session.get(SESSION_KEY, []) if now - entry.get("at", 0) < PENDING_SECONDS]


def _is_sign_in_redirect(response: HttpResponse) -> bool:
    if response.status_code not in (301, 302, 303) or "Location" not in response:
        return False
    return urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)


class PendingPostMiddleware:
    """Keeps a signed-out POST's fields for after sign-in, and forgets them
    once the signed-in learner has sent that form again."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method != "POST":
            return response
        path = request.get_full_path()
        if not request.user.is_authenticated:
            if _is_sign_in_redirect(response) and _from_this_site(request) and is_safe_next(request, path):
                fields = kept_fields(request.POST)
                if fields:
                    kept = [entry for entry in _pending(request) if entry["path"] != path]
                    request.session[SESSION_KEY] = [*kept, {"path": path, "fields": fields, "at": time.time()}][
                        -MAX_PENDING:
                    ]
        elif response.status_code < 500 and SESSION_KEY in request.session:
            # Sent again (saved, or shown back with its errors): no longer pending.
            left = [entry for entry in _pending(request) if entry["path"] != path]
            if left:
                request.session[SESSION_KEY] = left
            else:
                del request.session[SESSION_KEY]
        return response


def pending_post(request: HttpRequest) -> dict:
    """Context processor: `pending_posts`, what a signed-in learner wrote
    before their session ended (oldest first)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or SESSION_KEY not in request.session:
        return {}
    return {"pending_posts": [RescuedForm(entry["path"], [tuple(f) for f in entry["fields"]])
                              for entry in _pending(request)]}


@require_POST
def discard(request: HttpRequest) -> HttpResponse:
    """Forget one kept form (the one posted to `path`)."""
    path = request.POST.get("path", "")
    left = [entry for entry in _pending(request) if entry["path"] != path]
    if left:
        request.session[SESSION_KEY] = left
    else:
        request.session.pop(SESSION_KEY, None)
    return HttpResponseRedirect(safe_next(request, "/"))
