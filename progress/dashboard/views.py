"""The learner's dashboard: where they land after signing in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.views.decorators.http import require_GET

from progress import charts
from progress.dashboard.loader import load_dashboard
from progress.schedule import local_today
from progress.studylog.forms import PlannedBreakForm

# The retrospectives app plugs its cards in here once it exists; until then
# the slot renders nothing.
RETROSPECTIVE_CARDS = "retrospectives/includes/dashboard_cards.html"


def optional_template(name: str) -> str:
    """`name` if such a template exists, else "" (the cached loader
    remembers a miss, so this costs nothing after the first request)."""
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return ""
    return name


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    # Rendered afresh on every request: a page holding one learner's data is
    # never cached (only what every reader shares is: the roadmap content).
    user = request.user
    data = load_dashboard(user, today=local_today(user.time_zone))
    context = {
        "dash": data,
        "weekly_chart": charts.weekly_bars(data.weeks, goal_hours=data.goal_hours),
        "break_form": PlannedBreakForm(today=data.today, initial={"week": data.today}),
        "retrospective_cards": optional_template(RETROSPECTIVE_CARDS),
    }
    return render(request, "progress/dashboard/dashboard.html", context)
