"""Where a form sends the learner back to: one `safe_next` for every view.

A `next` value comes from the client, so anything may arrive in it: another
site (`//evil.com`, `https://evil.com/`, `\\\\evil`), a script
(`javascript:…`), control characters, a megabyte of text — or a bare word
such as `foo`, which `django.shortcuts.redirect()` would try to *reverse*
as a URL name and answer with a 500 after the view had already written.
So `safe_next` accepts only a path on this site (or an absolute URL to this
host) and always returns a URL string that starts with "/" or a scheme:
something `redirect()` and `HttpResponseRedirect` use as it is, never a
name to look up.
"""

from __future__ import annotations

import unicodedata

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

# Longer than any URL the site makes, shorter than anything worth keeping.
NEXT_MAX_LENGTH = 2000


def is_safe_next(request: HttpRequest, value: object) -> bool:
    """Whether `value` is a place on this site to send the browser to."""
    if not isinstance(value, str) or not value or len(value) > NEXT_MAX_LENGTH:
        return False
    # NUL, newlines, tabs… never belong in a Location header (a newline
    # there would be a header injection, a NUL a 500 further down).
    if any(unicodedata.category(char)[0] == "C" for char in value):
        return False
    # A relative path, or an absolute URL; "foo", "?x" or "#top" are neither.
    if not value.startswith("/") and not value.lower().startswith(("http://", "https://")):
        return False
    return url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=request.is_secure())


def safe_next(request: HttpRequest, default: str, *, referer: bool = False) -> str:
    """The request's `next` (POST, then the query string; then the Referer
    when `referer`) if it is a safe place on this site, else `default`.

    `default` should be a URL (from `reverse()`), not a URL name: it is
    returned as it is.
    """
    candidates = [request.POST.get("next"), request.GET.get("next")]
    if referer:
        candidates.append(request.headers.get("Referer"))
    for candidate in candidates:
        if is_safe_next(request, candidate):
            return candidate
    return default
