"""The learner's dashboard, where they land after signing in, and its one-tap
forms: start, finish or skip an item and log time on it without leaving.

Without JavaScript a tap is a POST that redirects back to the item's place
on the dashboard; with htmx the answer is that enrolment's card (its bar,
pace, finish date and list, all current) swapped in place, the week's study
figures out of band after a log, and a sentence for the live region.
"""

from __future__ import annotations

from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from progress import charts
from progress.access import get_enrolment_for_item
from progress.dashboard.forms import QuickLogForm, TapForm, TapStateForm
from progress.dashboard.loader import load_dashboard
from progress.enrolments.goal import set_goal_to_paces
from progress.items.services import item_progress_set_state
from progress.models import ItemState
from progress.schedule import local_today
from progress.studylog.forms import PlannedBreakForm
from progress.studylog.services import study_entry_add
from progress.wording import hours as hours_text
from progress.wording import marked

# The retrospectives app plugs its cards in here once it exists; until then
# the slot renders nothing.
RETROSPECTIVE_CARDS = "retrospectives/includes/dashboard_cards.html"
BAD_TAP = gettext_lazy("That is not a state an item can have.")


class FailedLog(NamedTuple):
    """A quick log that did not validate: drawn again, open, at its item."""

    item_id: int
    form: QuickLogForm


def optional_template(name: str) -> str:
    """`name` if such a template exists, else "" (the cached loader
    remembers a miss, so this costs nothing after the first request)."""
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return ""
    return name


def _render_dashboard(request: HttpRequest, *, failed_log=None, status: int = 200) -> HttpResponse:
    user = request.user
    ticked = request.GET.get("ticked", "")
    # After a tap without JavaScript: the item stays listed, to be undone in place.
    ticked_id = int(ticked) if ticked.isdigit() and len(ticked) < 12 else None
    if failed_log is not None:
        ticked_id = failed_log.item_id
    data = load_dashboard(user, today=local_today(user.time_zone), ticked=ticked_id)
    context = {
        "dash": data,
        "weekly_chart": charts.weekly_bars(data.weeks, goal_hours=data.goal_hours),
        "break_form": PlannedBreakForm(today=data.today, initial={"week": data.today}),
        "retrospective_cards": optional_template(RETROSPECTIVE_CARDS),
        "failed_log": failed_log,
        # Drawn in answer to a POST (a quick log that failed): "next" goes to the dashboard.
        "page_path": reverse("dashboard") if request.method == "POST" else "",
    }
    return render(request, "progress/dashboard/dashboard.html", context, status=status)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    # Rendered afresh on every request: a page holding one learner's data is
    # never cached (only what every reader shares is: the roadmap content).
    return _render_dashboard(request)


def _item_anchor(item) -> str:
    return reverse("dashboard") + f"?ticked={item.pk}#dash-item-{item.pk}"


def _changed(request: HttpRequest, enrolment, item, *, said: str, failed_log=None, study: bool = False):
    """The htmx answer: the enrolment's card as the dashboard now draws it."""
    user = request.user
    data = load_dashboard(user, today=local_today(user.time_zone), ticked=item.pk)
    card = next((card for card in data.cards if card.enrolment.pk == enrolment.pk), None)
    context = {
        "dash": data, "card": card, "item": item, "said": said, "failed_log": failed_log, "study": study,
        "weekly_chart": charts.weekly_bars(data.weeks, goal_hours=data.goal_hours) if study else None,
    }
    return render(request, "progress/dashboard/changed.html", context)


def _tapped_item(request: HttpRequest):
    """The learner's enrolment and the item a tap names: 404 unless it is an
    active item of a roadmap they follow."""
    form = TapForm(request.POST)
    if not form.is_valid():
        raise Http404("No such item.")
    return get_enrolment_for_item(request.user, form.cleaned_data["item"])


@login_required
@require_POST
def tap_state(request: HttpRequest) -> HttpResponse:
    enrolment, item = _tapped_item(request)
    form = TapStateForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return HttpResponse(BAD_TAP, status=400)
        messages.error(request, BAD_TAP)
        return redirect(_item_anchor(item))
    state = ItemState(form.cleaned_data["state"])
    item_progress_set_state(enrolment=enrolment, item=item, state=state)
    said = marked(item.title, state)
    if not request.htmx:
        messages.success(request, said)
        return redirect(_item_anchor(item))
    return _changed(request, enrolment, item, said=said)


@login_required
@require_POST
def tap_log(request: HttpRequest) -> HttpResponse:
    enrolment, item = _tapped_item(request)
    form = QuickLogForm(request.POST)
    if not form.is_valid():
        # What the learner typed comes back with the error beside it.
        failed = FailedLog(item.pk, form)
        if request.htmx:
            said = _("Time on “%(title)s” not logged.") % {"title": item.title}
            return _changed(request, enrolment, item, said=said, failed_log=failed)
        return _render_dashboard(request, failed_log=failed, status=400)
    minutes = form.cleaned_data["minutes"]
    study_entry_add(
        user=request.user, date=local_today(request.user.time_zone), minutes=minutes, enrolment=enrolment,
        item=item, note=form.cleaned_data["note"],
    )
    said = ngettext(
        "Logged %(count)d minute on “%(title)s”.", "Logged %(count)d minutes on “%(title)s”.", minutes
    ) % {"count": minutes, "title": item.title}
    if not request.htmx:
        messages.success(request, said)
        return redirect(_item_anchor(item))
    return _changed(request, enrolment, item, said=said, study=True)


@login_required
@require_POST
def goal_from_paces(request: HttpRequest) -> HttpResponse:
    """One idea of "hours a week": the goal becomes what the roadmaps plan."""
    hours = set_goal_to_paces(request.user)
    if hours is None:
        messages.info(request, _("No roadmap is active, so there is no plan to take a goal from: nothing changed."))
    else:
        said = _("Your weekly goal is now %(hours)s h, the hours your roadmaps plan.")
        messages.success(request, said % {"hours": hours_text(hours)})
    return redirect(reverse("dashboard") + "#dashboard-study")
