"""The counters a roadmap tracks (challenges solved, applications sent…):
the learner adds, edits and deletes entries; totals against targets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from progress.access import get_enrolment_for_user, get_metric_entry_for_user
from progress.metrics import services
from progress.metrics.forms import MetricEntryForm
from progress.models import Enrolment
from progress.schedule import local_today
from roadmaps.models import MetricDefinition


def _form(request: HttpRequest, enrolment: Enrolment, **kwargs) -> MetricEntryForm:
    metrics = MetricDefinition.objects.filter(roadmap_id=enrolment.roadmap_id).order_by("position")
    return MetricEntryForm(request.POST or None, metrics=metrics, today=local_today(request.user.time_zone), **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def metrics(request: HttpRequest, pk: int) -> HttpResponse:
    """Totals against targets, the latest entries, and the form to add one."""
    enrolment = get_enrolment_for_user(request.user, pk)
    today = local_today(request.user.time_zone)
    form = _form(request, enrolment, initial={"date": today, "metric": request.GET.get("metric")})
    if request.method == "POST" and form.is_valid():
        services.metric_entry_add(enrolment=enrolment, **form.cleaned_data)
        messages.success(
            request,
            _("Added %(amount)s to %(counter)s.")
            % {"amount": form.cleaned_data["amount"], "counter": form.cleaned_data["metric"].name},
        )
        return redirect("progress:metrics", pk=enrolment.pk)
    totals = list(
        MetricDefinition.objects.filter(roadmap_id=enrolment.roadmap_id)
        .annotate(total=Coalesce(Sum("entries__amount", filter=Q(entries__enrolment=enrolment)), 0))
        .order_by("position")
    )
    # The menu from the rows just loaded: a queryset-backed <select> would
    # query again each time Django looks at its choices.
    form.fields["metric"].widget.choices = [(metric.pk, metric.name) for metric in totals]
    entries = enrolment.metric_entries.select_related("metric")[:50]
    return render(
        request,
        "progress/log/metrics.html",
        {"enrolment": enrolment, "totals": totals, "entries": entries, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def metric_edit(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    entry = get_metric_entry_for_user(request.user, pk, entry_id)
    form = _form(request, entry.enrolment, instance=entry)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Entry saved."))
        return redirect("progress:metrics", pk=pk)
    return render(
        request,
        "progress/log/metric_form.html",
        {"enrolment": entry.enrolment, "entry": entry, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def metric_delete(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    entry = get_metric_entry_for_user(request.user, pk, entry_id)
    if request.method == "POST":
        entry.delete()
        messages.success(
            request, _("Deleted %(amount)s from %(counter)s.") % {"amount": entry.amount, "counter": entry.metric.name}
        )
        return redirect("progress:metrics", pk=pk)
    return render(request, "progress/log/metric_delete.html", {"enrolment": entry.enrolment, "entry": entry})
