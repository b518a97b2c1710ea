"""The review queue's one-tap answers, "I don't need to review this", and
the plan page's settings: reviews on or off for a roadmap, the study week.

Without JavaScript every form is a POST that redirects back (to the
dashboard's queue, the item's page or the plan); with htmx an answer swaps
the card's row in place and says what happened to screen readers.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from config.navigation import safe_next
from progress.access import get_enrolment_for_user
from progress.schedule import local_today
from progress.sharing.calendar import study_week_of
from reviews import services
from reviews.access import get_card_for_user
from reviews.forms import AnswerForm, StudyWeekForm, SwitchForm
from reviews.models import ReviewCard

BAD_ANSWER = gettext_lazy("That is not an answer a review can have.")


def _queue_url() -> str:
    return reverse("dashboard") + "#reviews"


def _day(value) -> str:
    return formats.date_format(value, "WEEKDAY_SHORT_DAY_FORMAT")


def _remaining(card) -> tuple[int, int]:
    """What is still due on the card's roadmap, for the queue's count."""
    return ReviewCard.objects.due_summary(enrolment=card.enrolment, today=local_today(card.enrolment.user.time_zone))


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    card = get_card_for_user(request.user, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return HttpResponse(str(BAD_ANSWER), status=400)
        messages.error(request, BAD_ANSWER)
        return redirect(_queue_url())
    outcome = services.review_answer(card=card, rating=form.cleaned_data["rating"])
    card = outcome.card
    if outcome.applied:
        said = _("Reviewed “%(title)s”: next on %(day)s.") % {"title": card.item.title, "day": _day(card.due_on)}
    else:
        said = _("“%(title)s” is not due: next on %(day)s.") % {"title": card.item.title, "day": _day(card.due_on)}
    if not request.htmx:
        messages.success(request, said)
        return redirect(_queue_url())
    return render(request, "reviews/includes/answered.html",
                  {"card": card, "said": said, "remaining": _remaining(card)})


@login_required
@require_POST
def wanted(request: HttpRequest, pk: int) -> HttpResponse:
    card = get_card_for_user(request.user, pk)
    back = safe_next(request, _queue_url())
    form = SwitchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to review it or not."))
        return redirect(back)
    services.card_set_wanted(card=card, wanted=form.cleaned_data["on"])
    if form.cleaned_data["on"]:
        said = _("“%(title)s” is back in your reviews.") % {"title": card.item.title}
    else:
        said = _("No more reviews of “%(title)s”.") % {"title": card.item.title}
    if request.htmx:
        return render(request, "reviews/includes/answered.html",
                      {"card": card, "said": said, "dropped": True, "remaining": _remaining(card)})
    messages.success(request, said)
    return redirect(back)


@login_required
@require_POST
def roadmap_reviews(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    form = SwitchForm(request.POST)
    back = reverse("progress:plan", args=[enrolment.pk]) + "#reviews"
    if not form.is_valid():
        messages.error(request, _("Choose whether to review this roadmap's topics or not."))
        return redirect(back)
    services.enrolment_set_reviews(enrolment=enrolment, on=form.cleaned_data["on"])
    if form.cleaned_data["on"]:
        messages.success(request, _("Reviews are on for %(title)s.") % {"title": enrolment.roadmap.title})
    else:
        messages.success(
            request, _("Reviews are off for %(title)s: your cards are kept.") % {"title": enrolment.roadmap.title}
        )
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def study_week(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan page shows this form; errors come back on a page of its own
    (the plan is another app's), with what the learner chose."""
    enrolment = get_enrolment_for_user(request.user, pk)
    week = study_week_of(enrolment)
    initial = {"days": [str(day) for day in week.days], "at": week.at, "reminder_minutes": week.reminder_minutes}
    form = StudyWeekForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.enrolment_set_study_week(
            enrolment=enrolment, days=form.days_mask, at=form.cleaned_data["at"],
            reminder_minutes=form.cleaned_data["reminder_minutes"],
        )
        messages.success(request, _("Saved your study week: your calendar feed follows it."))
        return redirect(reverse("progress:plan", args=[enrolment.pk]) + "#study-week")
    status = 400 if request.method == "POST" else 200
    return render(request, "reviews/study_week.html", {"enrolment": enrolment, "form": form, "week": week},
                  status=status)

