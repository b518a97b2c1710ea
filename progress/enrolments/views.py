"""Enrolment, the plan page, pace, pause/resume/leave/restart, the learner's
order of steps and personal milestones: a learner's own pages.

Every object is loaded through a `get_*_for_user` helper (progress.access)
that 404s on anything the signed-in learner does not own; every write is a POST.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from progress import repairs
from progress.access import get_enrolment_for_user, get_milestone_for_user, get_step_for_enrolment
from progress.changes import changes_for
from progress.enrolments import services
from progress.enrolments.forms import EnrolForm, MilestoneForm, PaceForm, RestartForm
from progress.models import Enrolment, ItemProgress, ItemState, StudyEntry
from progress.schedule import forecast, forecast_window, local_today
from progress.state import load_state, reading_key, week_items
from roadmaps.cache import cached_roadmap_content, recent_changes_of
from roadmaps.models import Roadmap, Step

# The weeks ahead the plan lists (the rest follows as the weeks pass).
PLAN_WEEKS = 8


def _today(request: HttpRequest):
    return local_today(request.user.time_zone)


def local_date(moment, user):
    """The learner's calendar day of `moment`."""
    return local_today(user.time_zone, now=moment)


# --- Enrolment ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = get_object_or_404(Roadmap.objects.published(), slug=slug)
    existing = Enrolment.objects.filter(user=request.user, roadmap=roadmap).first()
    if existing and existing.is_current:
        # A second tab or a double-click: the learner is enrolled already.
        return redirect("progress:plan", pk=existing.pk)
    pace_plans = list(roadmap.pace_plans.order_by("position"))
    form = EnrolForm(
        request.POST or None, pace_plans=pace_plans, today=_today(request),
        suggested_hours=roadmap.weekly_hours or request.user.weekly_hours_goal,
    )
    if request.method == "POST" and form.is_valid():
        enrolment, _created = services.enrolment_start(
            user=request.user,
            roadmap=roadmap,
            pace_plan=form.cleaned_data["pace_plan"],
            hours_per_week=form.cleaned_data["hours_per_week"],
            start_date=form.cleaned_data["start_date"],
        )
        messages.success(request, _("You are enrolled in %(roadmap)s.") % {"roadmap": roadmap.title})
        return redirect("progress:plan", pk=enrolment.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "progress/enrol.html", {"roadmap": roadmap, "form": form}, status=status)


@login_required
@require_http_methods(["GET"])
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The learner's plan for one roadmap: progress, pace, forecast, the
    weeks ahead, milestones, skipped and removed items. The figures come from
    the learner-state loader; the roadmap's steps and pace plans from the
    shared content cache."""
    enrolment = get_enrolment_for_user(request.user, pk)
    today = _today(request)
    content = cached_roadmap_content(enrolment.roadmap)
    learner = load_state(enrolment, today=today, horizon_weeks=PLAN_WEEKS, milestones=True)
    # Skipped items and rows of items an editor retired: the two lists the
    # plan shows by name (the item's long text stays behind).
    listed = list(
        ItemProgress.objects.filter(enrolment=enrolment)
        .filter(Q(state=ItemState.SKIPPED) | Q(item__retired_at__isnull=False))
        .select_related("item")
        .only("pk", "item_id", "state", "note", "item__title", "item__retired_at", "item__step_id", "item__kind",
              "item__position")
        .order_by("item__title", "pk")
    )
    first, last = forecast_window(start_date=enrolment.start_date, today=today)
    minutes = (
        StudyEntry.objects.filter(enrolment=enrolment, date__gte=first, date__lte=last).aggregate(total=Sum("minutes"))[
            "total"
        ]
        or 0
    )
    outlook = forecast(
        logged_minutes=minutes,
        remaining_hours=learner.progress.remaining_hours,
        start_date=enrolment.start_date,
        today=today,
    )
    steps = [step_content.step for step_content in content.steps]
    step_by_id = {step.pk: step for step in steps}
    ordered = [pk for pk in learner.step_order if pk in step_by_id]
    rank = {step_id: index for index, step_id in enumerate(learner.step_order)}
    changes = changes_for(enrolment, recent_changes_of(content.items))
    changed_items = sorted(
        ((item, changes.renamed.get(item.pk, "")) for item in content.items
         if item.pk in changes.added or item.pk in changes.renamed),
        key=lambda pair: reading_key(rank)(pair[0]),
    )
    learner.skipped = sorted(
        (row.item for row in listed if row.state == ItemState.SKIPPED and row.item.retired_at is None),
        key=reading_key(rank),
    )
    learner.removed = [row for row in listed if row.item.retired_at is not None]
    return render(
        request,
        "progress/plan.html",
        {
            "enrolment": enrolment,
            "roadmap": enrolment.roadmap,
            "learner": learner,
            "offers": repairs.offers(learner, today=today),
            "changes": changes,
            "changed_items": changed_items,
            "started_before_enrolling": enrolment.start_date < local_date(enrolment.created_at, request.user),
            "forecast": outlook,
            "step_rows": [(step_by_id[pk], learner.steps.get(pk)) for pk in ordered],
            "custom_order": ordered != [step.pk for step in steps],
            "weeks": [(week, week_items(learner, week)) for week in learner.schedule.weeks[:PLAN_WEEKS]],
            "milestone_form": MilestoneForm(steps=Step.objects.none(), today=today),
            "steps": steps,
            "pace_form": PaceForm(
                pace_plans=list(content.pace_plans),
                initial={
                    "pace": str(enrolment.pace_plan_id) if enrolment.pace_plan_id else "own",
                    "hours_per_week": enrolment.hours_per_week,
                },
            ),
        },
    )


@login_required
@require_POST
def change_pace(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    form = PaceForm(request.POST, pace_plans=list(enrolment.roadmap.pace_plans.order_by("position")))
    if not form.is_valid():
        page_path = reverse("progress:plan", args=[enrolment.pk])  # the form's page, for "next"
        return render(request, "progress/pace.html", {"enrolment": enrolment, "form": form, "page_path": page_path},
                      status=400)
    services.enrolment_change_pace(
        enrolment=enrolment,
        pace_plan=form.cleaned_data["pace_plan"],
        hours_per_week=form.cleaned_data["hours_per_week"],
        today=_today(request),
    )
    messages.success(request, _("Your pace is changed from today; the weeks ahead have moved with it."))
    return redirect("progress:plan", pk=enrolment.pk)


@login_required
@require_POST
def pause(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    if enrolment.is_active:
        services.enrolment_pause(enrolment=enrolment, today=_today(request))
        messages.success(request, _("Paused. Your plan waits for you; resume whenever you are ready."))
    return redirect("progress:plan", pk=enrolment.pk)


@login_required
@require_POST
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    if enrolment.is_paused:
        services.enrolment_resume(enrolment=enrolment, today=_today(request))
        messages.success(request, _("Welcome back: your plan starts again from today."))
    return redirect("progress:plan", pk=enrolment.pk)


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    if request.method == "POST":
        services.enrolment_leave(enrolment=enrolment, today=_today(request))
        messages.success(
            request, _("You left %(roadmap)s. Your notes and history are kept.") % {"roadmap": enrolment.roadmap.title}
        )
        return redirect("progress:plan", pk=enrolment.pk)
    return render(request, "progress/leave.html", {"enrolment": enrolment})


# --- The learner's order of steps ---------------------------------------------------

NOT_CURRENT = gettext_lazy(
    "You no longer follow this roadmap, so its plan keeps its order. Enrol again to change it."
)


def _plan_steps(enrolment: Enrolment) -> str:
    return reverse("progress:plan", args=[enrolment.pk]) + "#steps"


@login_required
@require_POST
def step_move(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    """One step up or down in the learner's own order. Only their plan
    changes: the roadmap page keeps the editors' order."""
    enrolment = get_enrolment_for_user(request.user, pk)
    step = get_step_for_enrolment(enrolment, step_id)
    back = _plan_steps(enrolment)
    direction = request.POST.get("direction")
    if not enrolment.is_current:
        # As pause and resume do for a plan in the wrong state: nothing changes.
        messages.error(request, NOT_CURRENT)
        return redirect(back)
    if direction not in ("up", "down"):
        messages.error(request, _("A step can only move up or down: nothing was changed."))
        return redirect(back)
    try:  # where the page showed the step; a form without it moves unchecked
        index = int(request.POST.get("index", ""))
    except ValueError:
        index = None
    _order, moved = services.enrolment_move_step(
        enrolment=enrolment, step=step, direction=direction, expected_index=index
    )
    if moved:
        moved_to = _("Moved “%(step)s” earlier in your plan.") if direction == "up" else _(
            "Moved “%(step)s” later in your plan."
        )
        messages.success(request, moved_to % {"step": step.title})
    else:
        # The first step up, the last down, or a page showing an older order
        # (a double-click, another tab): `enrolment_move_step` leaves it be.
        stayed = (
            _("“%(step)s” did not move: it is first already, or the page showed an older order.")
            if direction == "up"
            else _("“%(step)s” did not move: it is last already, or the page showed an older order.")
        )
        messages.info(request, stayed % {"step": step.title})
    return redirect(back)


@login_required
@require_POST
def step_order_reset(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    if not enrolment.is_current:
        messages.error(request, NOT_CURRENT)
        return redirect(_plan_steps(enrolment))
    services.enrolment_reset_step_order(enrolment=enrolment)
    messages.success(request, _("Your plan follows the roadmap's order of steps again."))
    return redirect(_plan_steps(enrolment))


@login_required
@require_http_methods(["GET", "POST"])
def restart(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    form = RestartForm(request.POST or None, today=_today(request))
    if request.method == "POST" and form.is_valid():
        services.enrolment_restart(
            enrolment=enrolment, start_date=form.cleaned_data["start_date"], today=_today(request)
        )
        messages.success(request, _("Started again. Every item is back to not started; your notes are still there."))
        return redirect("progress:plan", pk=enrolment.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "progress/restart.html", {"enrolment": enrolment, "form": form}, status=status)


# --- Personal milestones ---------------------------------------------------------


def _milestone_form(request: HttpRequest, enrolment: Enrolment, **kwargs) -> MilestoneForm:
    steps = Step.objects.filter(roadmap_id=enrolment.roadmap_id).order_by("position")
    return MilestoneForm(request.POST or None, steps=steps, today=_today(request), **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    form = _milestone_form(request, enrolment, initial={"step": request.GET.get("step")})
    if request.method == "POST" and form.is_valid():
        services.milestone_add(enrolment=enrolment, **form.cleaned_data)  # a repeat returns the first
        messages.success(request, _("Milestone added."))
        return redirect(reverse("progress:plan", args=[enrolment.pk]) + "#milestones")
    status = 400 if request.method == "POST" else 200
    return render(request, "progress/milestone_form.html", {"enrolment": enrolment, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    milestone = get_milestone_for_user(request.user, pk, milestone_id)
    form = _milestone_form(request, milestone.enrolment, instance=milestone)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Milestone saved."))
        return redirect(reverse("progress:plan", args=[pk]) + "#milestones")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "progress/milestone_form.html",
        {"enrolment": milestone.enrolment, "form": form, "milestone": milestone},
        status=status,
    )


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    milestone = get_milestone_for_user(request.user, pk, milestone_id)
    done = request.POST.get("done")
    if done not in ("1", "0"):
        raise Http404  # only the two buttons of the page post here
    services.milestone_set_done(milestone=milestone, done=done == "1")
    return redirect(reverse("progress:plan", args=[pk]) + f"#milestone-{milestone.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def milestone_delete(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    milestone = get_milestone_for_user(request.user, pk, milestone_id)
    if request.method == "POST":
        milestone.delete()
        messages.success(request, _("Deleted the milestone “%(title)s”.") % {"title": milestone.title})
        return redirect(reverse("progress:plan", args=[pk]) + "#milestones")
    return render(request, "progress/milestone_delete.html", {"enrolment": milestone.enrolment, "milestone": milestone})
