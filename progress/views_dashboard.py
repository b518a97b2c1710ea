"""The learner's dashboard: where they land after signing in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from progress import charts
from progress.dashboard import load_dashboard
from progress.dashboard_cache import cached_dashboard_html, dashboard_key
from progress.forms_log import PlannedBreakForm
from progress.schedule import local_today

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
    user = request.user
    today = local_today(user.time_zone)

    def render_body(csrf_token: str) -> str:
        data = load_dashboard(user, today=today)
        context = {
            "dash": data,
            **charts.study_charts(data),  # cached on a digest of what they are drawn from
            "break_form": PlannedBreakForm(today=data.today, initial={"week": data.today}),
            "retrospective_cards": optional_template(RETROSPECTIVE_CARDS),
            "csrf_token": csrf_token,  # over the context processor's
        }
        return render_to_string("progress/dashboard/body.html", context, request=request)

    html = cached_dashboard_html(request, key=dashboard_key(user, today), render=render_body)
    return render(request, "progress/dashboard/dashboard.html", {"dashboard_html": mark_safe(html)})
