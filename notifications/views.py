"""The digest's unsubscribe page: GET asks, POST turns the digest off."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notifications import services
from notifications import unsubscribe as links


# No CSRF token: RFC 8058's one-click POST comes from the mail client, with
# no cookie and no form; the signed token in the URL is the proof, and it
# can only turn this one email off. No sign-in either, by design.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("token", "")
    user = links.user_for(token)
    if user is None:
        # No token at all is someone opening the address by hand: the page
        # explains; a token that does not verify is bad input.
        status = 400 if token or request.method == "POST" else 200
        return render(request, "notifications/unsubscribe_invalid.html", {"token": token}, status=status)
    if request.method == "POST":
        services.digest_turn_off(user=user)
        return render(request, "notifications/unsubscribed.html")
    return render(request, "notifications/unsubscribe.html", {"token": token, "is_off": not user.weekly_digest})
