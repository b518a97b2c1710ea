"""Account pages next to allauth's: settings, download my data, delete my account."""

from __future__ import annotations

import json
import math

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.forms import AccountSettingsForm, DeleteAccountForm
from accounts.services import account_delete, account_delete_code_send
from accounts.userdata import export_user_data

# Most of allauth's limits are per minute; the failed sign-in lock-out passes
# its own, longer window.
DEFAULT_RETRY_AFTER_SECONDS = 60


def rate_limited(request: HttpRequest, exception: Exception | None = None, *, retry_after: int | None = None):
    """The 429 page allauth's rate limits show (config.urls.handler429)."""
    seconds = retry_after or DEFAULT_RETRY_AFTER_SECONDS
    response = render(
        request, "429.html", {"retry_after_minutes": max(1, math.ceil(seconds / 60))}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.instance.save(update_fields=form.Meta.fields)
        messages.success(request, _("Your settings are saved."))
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


@login_required
@require_GET
def data_export(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/data_export.html")


@login_required
@require_POST
def data_export_download(request: HttpRequest) -> HttpResponse:
    payload = {
        "format": "waymark-user-data",
        "version": 1,
        "exported_at": timezone.now(),
        **export_user_data(request.user),
    }
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"waymark-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST" and "send_code" in request.POST and not user.has_usable_password():
        account_delete_code_send(request=request, user=user)
        messages.info(request, _("We emailed a code to %(email)s.") % {"email": user.email})
        return redirect("accounts:delete")
    form = DeleteAccountForm(request.POST or None, user=user, request=request)
    if request.method == "POST" and form.is_valid():
        account_delete(request=request, user=user)
        logout(request)  # this request's session: flushed, and a fresh anonymous one
        messages.success(request, _("Your account and everything in it are deleted. Thank you for using Waymark."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
