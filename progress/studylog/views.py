"""The study log: list, add, edit, delete entries; planned-break weeks.

Every entry is loaded through `progress.access.get_entry_for_user`, which 404s on another
learner's entry; every write is a POST.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.navigation import safe_next
from progress import charts
from progress.access import get_entry_for_user
from progress.models import Enrolment, ItemProgress, PlannedBreak, StudyEntry
from progress.schedule import local_today, week_start
from progress.studylog import services, stats
from progress.studylog.forms import PlannedBreakForm, StudyEntryForm
from progress.wording import day
from roadmaps.models import Item

BREAKS_LISTED = 12  # coming up, and again past ones

PAGE_SIZE = 25
MENU_ITEMS = 30


def _today(request: HttpRequest):
    return local_today(request.user.time_zone)


def _item_menu(user, extra: Item | None = None) -> list[tuple[Item, str]]:
    """The items offered in the form's menu: the one the learner came from
    and those they have in progress."""
    rows = (
        ItemProgress.objects.for_user(user)
        .filter(enrolment__status__in=["active", "paused"], state="in_progress")
        .on_roadmap()
        .select_related("item", "enrolment__roadmap")
        .defer("note", "item__body", "item__why", "enrolment__roadmap__description", "enrolment__roadmap__audience")
        .order_by("-state_changed_at")[:MENU_ITEMS]
    )
    menu = [
        (row.item, _("%(item)s (%(roadmap)s)") % {"item": row.item.title, "roadmap": row.enrolment.roadmap.title})
        for row in rows
    ]
    if extra is not None and all(item.pk != extra.pk for item, _label in menu):
        menu.insert(0, (extra, extra.title))
    return menu


@login_required
@require_GET
def log_list(request: HttpRequest) -> HttpResponse:
    return _render_log_list(request)


def _render_log_list(request: HttpRequest, *, break_form: PlannedBreakForm | None = None, status: int = 200):
    """The study log page; `break_form`, a planned break that did not
    validate, comes back with what was typed and its error at the field."""
    today = _today(request)
    entries = StudyEntry.objects.for_user(request.user).select_related("item", "enrolment__roadmap").defer(
        "item__body", "item__why", "enrolment__roadmap__description", "enrolment__roadmap__audience"
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    this_week = week_start(today)
    mine = PlannedBreak.objects.filter(user=request.user)
    breaks = list(mine.filter(week_start__gte=this_week).order_by("week_start")[:BREAKS_LISTED])
    # Past breaks too, newest first: a week marked by mistake can be undone.
    past_breaks = list(mine.filter(week_start__lt=this_week).order_by("-week_start")[:BREAKS_LISTED])
    return render(
        request,
        "progress/log/list.html",
        {
            "page": page, "breaks": breaks, "past_breaks": past_breaks,
            "break_form": break_form or PlannedBreakForm(today=today), "today": today,
            # Drawn in answer to a POST: the page's links and "next" go to its own address.
            "page_path": reverse("progress:log_list") if request.method == "POST" else "",
            "heatmap": charts.study_heatmap(_heatmap_days(request.user, today)),
        },
        status=status,
    )


def _heatmap_days(user, today):
    """The heatmap's weeks: minutes per day summed in the database, only
    for the days it shows (one query, however long the log)."""
    first = week_start(today) - timedelta(weeks=stats.HEATMAP_WEEKS - 1)
    per_day = (
        StudyEntry.objects.for_user(user).filter(date__gte=first, date__lte=today)
        .order_by().values_list("date").annotate(total=Sum("minutes"))
    )
    return stats.heatmap(dict(per_day), today=today)


@login_required
@require_http_methods(["GET", "POST"])
def log_add(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = _today(request)
    item = None
    if request.GET.get("item", "").isdigit():
        item = Item.objects.active().filter(pk=request.GET["item"], roadmap__enrolments__user=user).first()
    initial = {"date": today}
    if item is not None:
        initial["item"] = item.pk
        initial["enrolment"] = Enrolment.objects.filter(user=user, roadmap_id=item.roadmap_id).values_list(
            "pk", flat=True
        ).first()
    form = StudyEntryForm(
        request.POST or None, user=user, today=today, item_choices=_item_menu(user, item), initial=initial
    )
    back = safe_next(request, reverse("dashboard"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.study_entry_add(
            user=user, date=data["date"], minutes=data["minutes"], enrolment=data["enrolment"],
            item=data["item"], note=data["note"],
        )
        messages.success(request, ngettext(
            "Logged %(count)d minute on %(date)s.", "Logged %(count)d minutes on %(date)s.", data["minutes"]
        ) % {"count": data["minutes"], "date": day(data["date"])})
        return redirect(back)
    status = 400 if request.method == "POST" else 200
    return render(request, "progress/log/form.html", {"form": form, "item": item, "next": back}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def log_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for_user(request.user, entry_id)
    form = StudyEntryForm(
        request.POST or None, instance=entry, user=request.user, today=_today(request),
        item_choices=_item_menu(request.user, entry.item),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Entry saved."))
        return redirect("progress:log_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "progress/log/form.html", {"form": form, "entry": entry}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def log_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for_user(request.user, entry_id)
    if request.method == "POST":
        entry.delete()
        messages.success(request, _("Deleted the entry of %(date)s.") % {"date": day(entry.date)})
        return redirect("progress:log_list")
    return render(request, "progress/log/delete.html", {"entry": entry})


@login_required
@require_POST
def planned_break(request: HttpRequest) -> HttpResponse:
    form = PlannedBreakForm(request.POST, today=_today(request))
    back = safe_next(request, reverse("dashboard"))
    if not form.is_valid():
        if form.has_error("week"):
            # The one box a learner types in is on the study log page: it comes
            # back there, the date as typed, the error beside it.
            return _render_log_list(request, break_form=form, status=400)
        messages.error(request, _("That is not something a planned break can do."))
        return redirect(back)
    on = form.cleaned_data["action"] == "mark"
    monday = form.cleaned_data["week"]
    services.planned_break_set(user=request.user, week_start=monday, on=on)
    if on:
        messages.success(
            request,
            _("The week of %(date)s is a planned break: it will not break your streak.")
            % {"date": day(monday)},
        )
    else:
        messages.success(
            request, _("The week of %(date)s is no longer a planned break.") % {"date": day(monday)}
        )
    return redirect(back)
