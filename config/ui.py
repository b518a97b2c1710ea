"""Site chrome that is no app's business: the theme choice and /favicon.ico.

Light / dark theme: a remembered choice in a cookie, no JavaScript needed.

With no cookie the page has no data-theme and the stylesheet follows the
system's prefers-color-scheme. The header's toggle posts here; the cookie then
makes base.html render <html data-theme="dark|light">. "system" forgets the
choice again.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from config.navigation import safe_next

THEME_COOKIE = "theme"
THEMES = ("light", "dark")
_ONE_YEAR = 365 * 24 * 60 * 60
_ONE_DAY = 24 * 60 * 60


def theme(request: HttpRequest) -> dict[str, str]:
    """Context processor: `theme` is "light", "dark" or "" (follow the system)."""
    value = request.COOKIES.get(THEME_COOKIE, "")
    return {"theme": value if value in THEMES else ""}


@require_POST
def set_theme(request: HttpRequest) -> HttpResponse:
    """Remember the chosen theme (or forget it with "system") and go back."""
    choice = request.POST.get("theme", "")
    response = HttpResponseRedirect(safe_next(request, "/", referer=True))
    if choice in THEMES:
        response.set_cookie(
            THEME_COOKIE,
            choice,
            max_age=_ONE_YEAR,
            samesite="Lax",
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
        )
    elif choice == "system":
        response.delete_cookie(THEME_COOKIE, samesite="Lax")
    else:
        return HttpResponse(gettext("Unknown theme."), status=400, content_type="text/plain; charset=utf-8")
    return response


@require_GET
@cache_control(public=True, max_age=_ONE_DAY)
def favicon(request: HttpRequest) -> HttpResponse:
    """Pages link the SVG icon, but the admin and some clients ask for
    /favicon.ico: answer with the same icon instead of a 404 (served here,
    not redirected, so the icon costs a single request)."""
    return HttpResponse(_favicon_bytes(), content_type="image/svg+xml")


@lru_cache(maxsize=1)
def _favicon_bytes() -> bytes:
    return (settings.BASE_DIR / "static" / "img" / "favicon.svg").read_bytes()
