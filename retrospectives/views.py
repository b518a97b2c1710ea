"""Retrospective pages: write, skip, change pace, timeline and search.

Every URL takes an enrolment the learner owns (loaded through
`progress.access.get_enrolment_for_user`, 404 otherwise); every write is a POST that
redirects back (post/redirect/get), so a reload never submits twice.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from progress.access import get_enrolment_for_user
from progress.models import Enrolment, EnrolmentStatus
from progress.schedule import local_today
from retrospectives import periods, services
from retrospectives.facts import compute_facts
from retrospectives.forms import PaceChangeForm, RetrospectiveForm, SearchForm
from retrospectives.models import Retrospective, RetrospectiveAnswer
from retrospectives.pages import PeriodPage, get_period_for_user, questions_for

SEARCH_PAGE_SIZE = 20


def _form_url(page: PeriodPage) -> str:
    return reverse("retrospectives:form", args=[page.enrolment.pk, page.number])


def _render_form(request: HttpRequest, page: PeriodPage, *, form=None, pace_form=None, status=200) -> HttpResponse:
    retro = page.retro
    questions = questions_for(page)
    if form is None:
        answers = {a.position: a.text for a in retro.answers.all()} if retro else {}
        form = RetrospectiveForm(
            questions=questions,
            initial={RetrospectiveForm.field_name(q): answers.get(q.position, "") for q in questions},
        )
    # A submitted retrospective shows what the learner saw; until then the
    # facts are recomputed, so they are current whenever the form is opened.
    if retro is not None and retro.is_submitted and retro.facts:
        facts = retro.facts
    else:
        facts = compute_facts(enrolment=page.enrolment, period=page.period, today=page.today)
    return render(
        request,
        "retrospectives/form.html",
        {
            "page": page,
            "enrolment": page.enrolment,
            "period": page.period,
            "retro": retro,
            "facts": facts,
            "form": form,
            "pace_form": pace_form or PaceChangeForm(initial={"hours_per_week": page.enrolment.hours_per_week}),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def retrospective_form(request: HttpRequest, enrolment_pk: int, number: int) -> HttpResponse:
    page = get_period_for_user(request.user, enrolment_pk, number)
    if request.method == "GET":
        return _render_form(request, page)
    form = RetrospectiveForm(request.POST, questions=questions_for(page))
    if not form.is_valid():
        return _render_form(request, page, form=form)
    was_submitted = page.retro is not None and page.retro.is_submitted
    submit = form.cleaned_data["submit"]
    services.retrospective_save(
        enrolment=page.enrolment,
        period=page.period,
        answers=form.answers(),
        submit=submit,
        facts=compute_facts(enrolment=page.enrolment, period=page.period, today=page.today),
    )
    if was_submitted:
        messages.success(request, _("Changes saved. The earlier version is kept in this retrospective's history."))
    elif submit:
        messages.success(request, _("Retrospective submitted. Well done for looking back."))
    else:
        messages.success(request, _("Draft saved. Finish it whenever you like."))
    return redirect(_form_url(page))


@login_required
@require_http_methods(["GET", "POST"])
def retrospective_skip(request: HttpRequest, enrolment_pk: int, number: int) -> HttpResponse:
    """GET asks for confirmation; POST skips."""
    page = get_period_for_user(request.user, enrolment_pk, number)
    if request.method == "POST":
        retro = services.retrospective_skip(enrolment=page.enrolment, period=page.period)
        if retro.is_skipped:
            messages.success(
                request,
                _("Skipped %(period)s of %(roadmap)s.")
                % {"period": page.period.label.lower(), "roadmap": page.enrolment.roadmap.title},
            )
        else:
            messages.info(request, _("This retrospective is written already, so it was kept."))
        return redirect("dashboard")
    return render(request, "retrospectives/skip.html", {"page": page, "enrolment": page.enrolment})


@login_required
@require_POST
def retrospective_pace(request: HttpRequest, enrolment_pk: int, number: int) -> HttpResponse:
    page = get_period_for_user(request.user, enrolment_pk, number)
    pace_form = PaceChangeForm(request.POST)
    if not pace_form.is_valid():
        return _render_form(request, page, pace_form=pace_form)
    retro = services.retrospective_change_pace(
        enrolment=page.enrolment, period=page.period, hours_per_week=pace_form.cleaned_data["hours_per_week"]
    )
    messages.success(
        request,
        _("Your pace is now %(hours)s hours a week; your weeks are planned again from today.")
        % {"hours": floatformat(retro.pace_new_hours, -1)},
    )
    return redirect(_form_url(page) + "#pace")


@login_required
@require_GET
def timeline(request: HttpRequest, enrolment_pk: int) -> HttpResponse:
    """Every period that has fallen due, newest first, with what was written."""
    enrolment = get_enrolment_for_user(request.user, enrolment_pk)
    spans = services.pauses_of(enrolment)
    today = local_today(request.user.time_zone)
    interval = enrolment.roadmap.retrospective_interval_weeks
    due = periods.due_count(start=enrolment.start_date, interval_weeks=interval, today=today, pauses=spans)
    rows = {}
    earlier = []  # retrospectives of a cycle the learner has since restarted: read-only history
    for retro in Retrospective.objects.filter(enrolment=enrolment).prefetch_related(
        Prefetch("answers", queryset=RetrospectiveAnswer.objects.order_by("position"))
    ):
        if retro.cycle_start == enrolment.start_date:
            rows[retro.period_index] = retro
        elif retro.status != "draft" or retro.answers.all():
            earlier.append(retro)
    count = max([due, *(index + 1 for index in rows)])
    entries = []
    for index in range(count - 1, -1, -1):
        retro = rows.get(index)
        if retro is not None:
            period = periods.Period(index, interval, retro.period_start, retro.period_end)
        else:
            period = periods.period(start=enrolment.start_date, interval_weeks=interval, index=index, pauses=spans)
        entries.append({"period": period, "retro": retro, "overdue": periods.is_overdue(index, due)})
    return render(
        request, "retrospectives/timeline.html", {"enrolment": enrolment, "entries": entries, "earlier": earlier}
    )


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """The learner's roadmaps with their timelines, and a search over their own answers."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = None
    if query:
        answers = RetrospectiveAnswer.objects.for_user(request.user).search(query)
        page = Paginator(answers, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    enrolments = (
        Enrolment.objects.for_user(request.user)
        .exclude(status=EnrolmentStatus.LEFT)
        .select_related("roadmap")
        .order_by("roadmap__title", "pk")
    )
    return render(
        request,
        "retrospectives/search.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "querystring": urlencode({"q": query}) if query else "",
            "enrolments": enrolments,
        },
    )
