"""Sharing and export: the opt-in public progress page (by handle or by a
secret link), progress as CSV/JSON, the schedule as an iCalendar feed, and
the learner's controls for all of them.

The public page and the feed work without a session; they 404 whenever the
learner has not shared (or has revoked) and never show notes.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_POST

from progress.access import get_enrolment_for_user
from progress.models import Enrolment, EnrolmentStatus
from progress.schedule import local_today
from progress.sharing import services
from progress.sharing.calendar import calendar_ics
from progress.sharing.exports import EnrolmentProgress, load_progress, progress_csv, progress_json
from roadmaps.models import ItemKind

SHOWN_STATUSES = [EnrolmentStatus.ACTIVE, EnrolmentStatus.PAUSED, EnrolmentStatus.COMPLETED]
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _post_action(request: HttpRequest) -> str:
    action = request.POST.get("action")
    if action not in ("regenerate", "revoke"):
        raise Http404  # only the page's two buttons post here
    return action


# --- The learner's controls --------------------------------------------------------


@login_required
@require_GET
def sharing(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    return render(request, "progress/share/manage.html", {"enrolment": enrolment, "roadmap": enrolment.roadmap})


@login_required
@require_POST
def sharing_public(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    public = request.POST.get("public")
    if public not in ("1", "0"):
        raise Http404
    services.enrolment_set_public(enrolment=enrolment, public=public == "1")
    if public == "1":
        messages.success(request, "Your progress on this roadmap now shows on your public page.")
    else:
        messages.success(request, "Your progress on this roadmap is off your public page.")
    return redirect("progress:sharing", pk=enrolment.pk)


@login_required
@require_POST
def sharing_link(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    revoke = _post_action(request) == "revoke"
    services.enrolment_rotate_share_link(enrolment=enrolment, revoke=revoke)
    messages.success(
        request, "The secret link is off." if revoke else "Here is a new secret link; the old one stops working."
    )
    return redirect("progress:sharing", pk=enrolment.pk)


@login_required
@require_POST
def sharing_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    revoke = _post_action(request) == "revoke"
    services.enrolment_rotate_calendar_token(enrolment=enrolment, revoke=revoke)
    messages.success(
        request,
        "The calendar feed is off." if revoke else "Here is a new calendar address; the old one stops working.",
    )
    return redirect("progress:sharing", pk=enrolment.pk)


# --- Export ---------------------------------------------------------------------------


def _export_response(request: HttpRequest, enrolments: list[Enrolment], fmt: str, name: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    loaded = load_progress(enrolments, today=local_today(request.user.time_zone))
    body = progress_csv(loaded) if fmt == "csv" else json.dumps(progress_json(loaded), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_GET
def export_all(request: HttpRequest, fmt: str) -> HttpResponse:
    enrolments = list(
        Enrolment.objects.for_user(request.user).select_related("roadmap", "pace_plan").with_pause_time().order_by("pk")
    )
    return _export_response(request, enrolments, fmt, "waymark-progress")


@login_required
@require_GET
def export_one(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    return _export_response(request, [enrolment], fmt, f"waymark-{enrolment.roadmap.slug}")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The schedule for calendar apps, which fetch it without a session: the
    secret token is the credential."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("roadmap", "user").with_pause_time(),
        calendar_token=token,
        status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.PAUSED],
    )
    [loaded] = load_progress([enrolment], today=local_today(enrolment.user.time_zone))
    body = calendar_ics(loaded, domain=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="waymark-{enrolment.roadmap.slug}.ics"'
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, private=True, max_age=0)
    return response


# --- Public pages ------------------------------------------------------------------------


def _public_context(loaded: EnrolmentProgress) -> dict:
    """What the public page shows of one enrolment: the bars and project
    links. Never notes, evidence or confidence."""
    learner = loaded.learner
    steps, seen = [], set()
    for item in loaded.items:
        if item.step_id and item.step_id not in seen:
            seen.add(item.step_id)
            steps.append((item.step, learner.step_state(item.step_id).progress))
    projects = [
        (item, learner.rows[item.pk])
        for item in loaded.items
        if item.kind == ItemKind.PROJECT and item.pk in learner.rows
        and (learner.rows[item.pk].repo_url or learner.rows[item.pk].live_url)
    ]
    return {"enrolment": loaded.enrolment, "progress": learner.progress, "pace": learner.pace, "steps": steps,
            "projects": projects}


def _public_response(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    response = render(request, template, context)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"  # the secret link must not leak to linked sites
    return response


@require_GET
def public_profile(request: HttpRequest, handle: str) -> HttpResponse:
    owner = get_object_or_404(get_user_model(), handle__iexact=handle, is_active=True)
    enrolments = list(
        Enrolment.objects.filter(user=owner, is_public=True, status__in=SHOWN_STATUSES)
        .select_related("roadmap").with_pause_time().order_by("-created_at", "pk")
    )
    if not enrolments:
        raise Http404
    loaded = load_progress(enrolments, today=local_today(owner.time_zone))
    return _public_response(
        request, "progress/share/profile.html",
        {"owner": owner, "shared": [_public_context(one) for one in loaded]},
    )


@require_GET
def public_share(request: HttpRequest, token: str) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("roadmap", "user").with_pause_time(),
        share_token=token, status__in=SHOWN_STATUSES,
    )
    [loaded] = load_progress([enrolment], today=local_today(enrolment.user.time_zone))
    return _public_response(
        request, "progress/share/public.html", {"owner": enrolment.user, "shared": [_public_context(loaded)]}
    )

