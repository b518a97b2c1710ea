"""Sharing and export: the opt-in public progress page (by handle or by a
secret link), progress as CSV/JSON, the schedule as an iCalendar feed, and
the learner's controls for all of them.

The public page and the feed work without a session; they 404 whenever the
learner has not shared (or has revoked) and never show notes.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from progress.access import get_enrolment_for_user
from progress.models import Enrolment, EnrolmentStatus, ItemProgress
from progress.schedule import local_today
from progress.sharing import services
from progress.sharing.calendar import calendar_ics, load_calendar
from progress.sharing.exports import load_progress, progress_csv, progress_json
from progress.state import LearnerState, load_states, reading_key
from roadmaps.models import ItemKind, Step

SHOWN_STATUSES = [EnrolmentStatus.ACTIVE, EnrolmentStatus.PAUSED, EnrolmentStatus.COMPLETED]
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _post_action(request: HttpRequest) -> str:
    action = request.POST.get("action")
    if action not in ("regenerate", "revoke"):
        raise Http404  # only the page's two buttons post here
    return action


# --- The learner's controls --------------------------------------------------------


# What a new or revoked secret address means, only saying that an old one
# stops working when there was one: (revoke, had_one) → the sentence.
LINK_ROTATED = {
    (True, True): gettext_lazy("The secret link is off."),
    (True, False): gettext_lazy("There was no secret link to switch off."),
    (False, True): gettext_lazy("Here is a new secret link; the old one stops working."),
    (False, False): gettext_lazy("Here is your secret link."),
}
CALENDAR_ROTATED = {
    (True, True): gettext_lazy("The calendar address is off."),
    (True, False): gettext_lazy("There was no calendar address to switch off."),
    (False, True): gettext_lazy("Here is a new calendar address; the old one stops working."),
    (False, False): gettext_lazy("Here is your calendar address."),
}


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
    if public == "1" and not request.user.handle:
        # Nothing shows until a public page exists: say so, and where to make it.
        messages.info(request, _("This roadmap will show on your public page once you choose a handle for it "
                                 "in your account settings."))
    elif public == "1":
        messages.success(request, _("Your progress on this roadmap now shows on your public page."))
    else:
        messages.success(request, _("Your progress on this roadmap is off your public page."))
    return redirect("progress:sharing", pk=enrolment.pk)


@login_required
@require_POST
def sharing_link(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    revoke = _post_action(request) == "revoke"
    had_one = bool(enrolment.share_token)
    services.enrolment_rotate_share_link(enrolment=enrolment, revoke=revoke)
    messages.success(request, LINK_ROTATED[revoke, had_one])
    return redirect("progress:sharing", pk=enrolment.pk)


@login_required
@require_POST
def sharing_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    revoke = _post_action(request) == "revoke"
    had_one = bool(enrolment.calendar_token)
    services.enrolment_rotate_calendar_token(enrolment=enrolment, revoke=revoke)
    messages.success(request, CALENDAR_ROTATED[revoke, had_one])
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
        Enrolment.objects.for_user(request.user).select_related("roadmap", "pace_plan").order_by("pk")
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
        Enrolment.objects.select_related("roadmap", "user"),
        calendar_token=token,
        status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.PAUSED],
    )
    plan = load_calendar(enrolment, today=local_today(enrolment.user.time_zone))
    # In the learner's language (their account's; the site's default while
    # they have none), not the calendar app's: it sends no cookie, and its
    # Accept-Language is the device's, not the learner's choice in Waymark.
    language = enrolment.user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        body = calendar_ics(plan, domain=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Language"] = language
    response["Content-Disposition"] = f'inline; filename="waymark-{enrolment.roadmap.slug}.ics"'
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, private=True, max_age=0)
    return response


# --- Public pages ------------------------------------------------------------------------


def _public_context(learner: LearnerState, steps: dict[int, Step], projects: list[ItemProgress]) -> dict:
    """What the public page shows of one enrolment: the bars, the pace, the
    target finish and project links, every figure from the learner-state
    loader. Never notes, evidence or confidence."""
    step_rows = [
        (steps[step_id], learner.steps[step_id].progress)
        for step_id in learner.step_order
        if step_id is not None and step_id in learner.steps and step_id in steps
    ]
    rank = {step_id: index for index, step_id in enumerate(learner.step_order)}
    by_item = reading_key(rank)
    return {
        "enrolment": learner.enrolment,
        "progress": learner.progress,
        "pace": learner.pace,
        "finish_date": learner.schedule.finish_date,
        "steps": step_rows,
        "projects": [(row.item, row) for row in sorted(projects, key=lambda row: by_item(row.item))],
    }


def _shared(enrolments: list[Enrolment], *, today) -> list[dict]:
    """The public context of each enrolment (all of one learner): the loader's
    queries, then the steps' titles and the project links, one query each."""
    states = load_states(enrolments, today=today)
    roadmap_ids = {enrolment.roadmap_id for enrolment in enrolments}
    steps = {step.pk: step for step in Step.objects.filter(roadmap_id__in=roadmap_ids).order_by().only("pk", "title")}
    projects: dict[int, list[ItemProgress]] = {enrolment.pk: [] for enrolment in enrolments}
    for row in (
        ItemProgress.objects.filter(
            enrolment__in=enrolments, item__kind=ItemKind.PROJECT, item__retired_at__isnull=True
        )
        .exclude(repo_url="", live_url="")
        .select_related("item")
        .only("enrolment", "item", "repo_url", "live_url", "item__title", "item__step", "item__kind",
              "item__position")
    ):
        projects[row.enrolment_id].append(row)
    return [_public_context(states[enrolment.pk], steps, projects[enrolment.pk]) for enrolment in enrolments]


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
        .select_related("roadmap").order_by("-created_at", "pk")
    )
    if not enrolments:
        raise Http404
    return _public_response(
        request, "progress/share/profile.html",
        {"owner": owner, "shared": _shared(enrolments, today=local_today(owner.time_zone))},
    )


@require_GET
def public_share(request: HttpRequest, token: str) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("roadmap", "user"),
        share_token=token, status__in=SHOWN_STATUSES,
    )
    return _public_response(
        request, "progress/share/public.html",
        {"owner": enrolment.user, "shared": _shared([enrolment], today=local_today(enrolment.user.time_zone))},
    )

