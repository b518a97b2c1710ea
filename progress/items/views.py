"""Item state and details: a learner marks an item and keeps notes on it.

The enrolment and the item are loaded through progress.access, which 404s on
anything the signed-in learner does not own; every write is a POST.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, retarget

from config.navigation import safe_next
from progress.access import get_enrolment_for_item, get_enrolment_for_user, get_item_for_enrolment
from progress.items import services
from progress.items.forms import ItemDetailsForm, ItemStateForm, ItemStatePickForm
from progress.models import Enrolment, ItemProgress
from progress.roadmap_page import topic_progress
from progress.schedule import local_today
from progress.state import load_state
from progress.wording import marked
from roadmaps.models import ItemKind

BAD_STATE = gettext_lazy("That is not a state an item can have.")
# What the notes page offers besides the roadmap page's buttons: every state.
STATE_CHOICES = (
    ("in_progress", gettext_lazy("Start")), ("done", gettext_lazy("Done")), ("skipped", gettext_lazy("Skip")),
    ("not_started", gettext_lazy("Reset")),
)


def _roadmap_anchor(enrolment: Enrolment, item_id: int) -> str:
    return reverse("roadmaps:detail", args=[enrolment.roadmap.slug]) + f"#item-{item_id}"


# --- Item state and details ------------------------------------------------------


@login_required
@require_POST
def item_state(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Plain POST → redirect back to the item; htmx → the item's fragment
    plus its step's and the roadmap's bars, swapped out of band."""
    enrolment = get_enrolment_for_user(request.user, pk)
    return _set_state(request, enrolment, get_item_for_enrolment(enrolment, item_id))


@login_required
@require_POST
def item_state_pick(request: HttpRequest, pk: int) -> HttpResponse:
    """`item_state` for the roadmap page's one form: the button names the item
    and the state ("<item id> <state>")."""
    enrolment = get_enrolment_for_user(request.user, pk)
    form = ItemStatePickForm(request.POST)
    if not form.is_valid():
        return _bad_state(request, reverse("roadmaps:detail", args=[enrolment.roadmap.slug]))
    item = get_item_for_enrolment(enrolment, form.cleaned_data["item_id"])
    return _set_state(request, enrolment, item, state=form.cleaned_data["state"])


@login_required
@require_safe
def my_item(request: HttpRequest, item_id: int) -> HttpResponse:
    enrolment, item = get_enrolment_for_item(request.user, item_id)
    return redirect("progress:item_details", enrolment.pk, item.pk)


def _bad_state(request: HttpRequest, back: str) -> HttpResponse:
    """A state no item can have: nothing changes, and the learner is told."""
    if request.htmx:
        return HttpResponse(BAD_STATE, status=400)
    messages.error(request, BAD_STATE)
    return redirect(back)


def _set_state(request: HttpRequest, enrolment: Enrolment, item, state: str | None = None) -> HttpResponse:
    # Read before the write: once it is saved, nothing may fail.
    back = safe_next(request, _roadmap_anchor(enrolment, item.pk))
    if state is None:
        form = ItemStateForm(request.POST)
        if not form.is_valid():
            return _bad_state(request, back)
        state = form.cleaned_data["state"]
    row = services.item_progress_set_state(enrolment=enrolment, item=item, state=state)
    if not request.htmx:
        # Only here: an htmx swap shows the change in place, and a message
        # queued then would turn up, stale, on the next page the learner loads.
        messages.success(request, marked(item.title, state))
        return redirect(back)
    # The plan's figures move with the tick: the same loader as every page,
    # from the summaries the change just kept (one query, no items).
    learner = load_state(enrolment, today=local_today(request.user.time_zone), front_items=False)
    response = render(
        request,
        "progress/fragments/item_changed.html",
        {
            "enrolment": enrolment,
            "item": item,
            "row": row,
            "step_id": item.step_id,
            "step_progress": learner.step_state(item.step_id).progress,
            "roadmap_progress": learner.progress,
            "learner": learner,
            "said": marked(item.title, state),
            "next": back,
            # A subtopic's tick moves its topic's "n of m done" too.
            "topic": topic_progress(enrolment, item.parent_id) if item.parent_id and item.kind == ItemKind.TOPIC
            else None,
        },
    )
    # The page's buttons submit one shared form: the answer names its target.
    return retarget(reswap(response, "outerHTML"), f"#learner-item-{item.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def item_details(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    item = get_item_for_enrolment(enrolment, item_id)
    row = ItemProgress.objects.filter(enrolment=enrolment, item=item).first()
    is_project = item.kind == ItemKind.PROJECT
    initial = {}
    if row:
        initial = {name: getattr(row, name) for name in ("note", "evidence_url", "confidence", "repo_url", "live_url")}
    form = ItemDetailsForm(request.POST or None, initial=initial, is_project=is_project)
    back = safe_next(request, _roadmap_anchor(enrolment, item.pk))
    if request.method == "POST" and form.is_valid():
        services.item_progress_save_details(enrolment=enrolment, item=item, **form.cleaned_data)
        messages.success(request, _("Saved your notes on %(title)s.") % {"title": item.title})
        return redirect(back)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "progress/item_details.html",
        {
            "enrolment": enrolment, "item": item, "row": row, "form": form, "next": back,
            "state_choices": STATE_CHOICES,
        },
        status=status,
    )
