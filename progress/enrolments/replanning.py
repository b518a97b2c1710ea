"""Re-planning without losing anything: a new start date, and the repairs a
learner who fell behind is offered (progress.repairs). Both keep every item's
state, note and logged minute; the plan counts from where the learner stands.
And "Mark as seen" for what changed on the roadmap (progress.changes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.navigation import safe_next
from progress.access import get_enrolment_for_user
from progress.enrolments import services
from progress.enrolments.forms import StartDateForm
from progress.models import RepairKind
from progress.schedule import local_today
from progress.wording import day, hours


@login_required
@require_http_methods(["GET", "POST"])
def change_start(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    today = local_today(request.user.time_zone)
    form = StartDateForm(request.POST or None, today=today, initial={"start_date": enrolment.start_date})
    if request.method == "POST" and form.is_valid():
        services.enrolment_change_start(enrolment=enrolment, start_date=form.cleaned_data["start_date"], today=today)
        messages.success(
            request,
            _("Your start date is now %(date)s; your progress is as it was.")
            % {"date": day(form.cleaned_data["start_date"])},
        )
        return redirect("progress:plan", pk=enrolment.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "progress/start_date.html", {"enrolment": enrolment, "form": form}, status=status)


@login_required
@require_POST
def repair(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    kind = request.POST.get("kind", "")
    back = safe_next(request, reverse("progress:plan", args=[enrolment.pk]))
    made = services.enrolment_repair(enrolment=enrolment, kind=kind) if kind in RepairKind.values else None
    if made is None:
        messages.info(request, _("Your plan needs no repair now: nothing was changed."))
    elif made.kind == RepairKind.RAISE_PACE:
        messages.success(
            request,
            _("Your pace is now %(hours)s h a week, to finish by %(date)s.")
            % {"hours": hours(made.hours_per_week_after), "date": day(made.finish_after)},
        )
    elif made.kind == RepairKind.SKIP_OPTIONAL:
        if made.finish_after:
            said = _("The optional items you had started are skipped, your notes and time kept: you finish on "
                     "%(date)s.") % {"date": day(made.finish_after)}
        else:
            said = _("The optional items you had started are skipped, your notes and time kept: nothing else is "
                     "left.")
        messages.success(request, said)
    else:
        if made.finish_after:
            said = _("Your plan counts from today at your pace: you finish on %(date)s.") % {
                "date": day(made.finish_after)}
        else:
            said = _("Your plan counts from today at your pace: you finish when you are done.")
        messages.success(request, said)
    return redirect(back)


@login_required
@require_POST
def content_seen(request: HttpRequest, pk: int) -> HttpResponse:
    """"Mark as seen": what changed on the roadmap is no longer marked."""
    enrolment = get_enrolment_for_user(request.user, pk)
    services.enrolment_mark_content_seen(enrolment=enrolment)
    messages.success(request, _("Marked as seen."))
    return redirect(safe_next(request, reverse("progress:plan", args=[enrolment.pk])))
