"""Study-group pages. Every group URL loads the viewer's membership through
groups.access (404 for outsiders, 403 for members on organisers' actions);
every write is a POST that redirects back (post/redirect/get)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups import services
from groups.access import (
    get_active_invite,
    get_member_of_group,
    get_membership_for_user,
    get_organiser_membership,
    get_shared_retrospective_for_viewer,
)
from groups.board import SORTS, load_board, parse_sort, sort_rows
from groups.forms import GroupForm, InviteActionForm, JoinForm, NudgeForm, RoleForm, SharingForm, TokenForm
from groups.models import Membership, Nudge, SharedRetrospective
from progress.models import Enrolment
from progress.schedule import local_today
from retrospectives import periods
from retrospectives.pages import get_period_for_user

PAGE_SIZE = 50
COLUMN_LABELS = {
    "name": gettext_lazy("Member"), "progress": gettext_lazy("Progress"), "pace": gettext_lazy("Pace"),
    "hours": gettext_lazy("Hours this week"), "activity": gettext_lazy("Last active"),
    "retro": gettext_lazy("Retrospectives"),
}


def _detail(group_pk: int) -> HttpResponse:
    return redirect("groups:detail", pk=group_pk)


@login_required
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.of_user(request.user).select_related("group__roadmap")
        .annotate(member_count=Count("group__memberships")).order_by("group__name", "pk")
    )
    return render(request, "groups/list.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = services.group_create(user=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("%(name)s is ready. Copy the invite link below and send it to your members.") % {"name": group.name},
        )
        return _detail(group.pk)
    return render(request, "groups/form.html", {"form": form, "creating": True},
                  status=400 if form.is_bound else 200)


def _columns(column: str, descending: bool, follows_roadmap: bool) -> list[dict]:
    """The table's headers: each a link that sorts by it (again: the other way)."""
    headers = []
    for key in SORTS:
        if not follows_roadmap and key in ("progress", "pace", "retro"):
            continue
        current = key == column
        target = f"-{key}" if current and not descending else key
        headers.append({
            "key": key, "label": COLUMN_LABELS[key], "query": urlencode({"sort": target}),
            "aria_sort": ("descending" if descending else "ascending") if current else "",
        })
    return headers


@login_required
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = get_membership_for_user(request.user, pk)
    board = load_board(viewer)
    column, descending = parse_sort(request.GET.get("sort"))
    rows = sort_rows(board.rows, column, descending)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    invite = services.active_invite(viewer.group) if viewer.is_organiser else None
    context = {
        "group": viewer.group,
        "viewer": viewer,
        "board": board,
        "page": page,
        "columns": _columns(column, descending, board.follows_roadmap),
        "show_streaks": any(row.streak is not None for row in rows),
        "querystring": urlencode({"sort": f"{'-' if descending else ''}{column}"}),
        "invite_url": request.build_absolute_uri(reverse("groups:join") + "?" + urlencode({"token": invite.token}))
        if invite else "",
    }
    return render(request, "groups/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_settings(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = get_organiser_membership(request.user, pk)
    group = viewer.group
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        services.group_update(group=group, **form.cleaned_data)
        messages.success(request, _("Group settings saved."))
        return _detail(group.pk)
    return render(request, "groups/form.html", {"form": form, "group": group, "creating": False},
                  status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def invite_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm (`?action=regenerate` or `off`); POST does it."""
    viewer = get_organiser_membership(request.user, pk)
    form = InviteActionForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose whether to make a new link or switch it off."))
        return _detail(pk)
    action = form.cleaned_data["action"]
    if request.method == "GET":
        return render(request, "groups/invite_confirm.html", {"group": viewer.group, "action": action})
    if action == "regenerate":
        services.invite_regenerate(group=viewer.group, by=request.user)
        messages.success(request, _("A new invite link is ready; the old one no longer works."))
    else:
        services.invite_switch_off(group=viewer.group)
        messages.success(request, _("The invite link is switched off. Nobody new can join until you make a new one."))
    return redirect(reverse("groups:detail", args=[pk]) + "#invite")


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """The invite page. The token travels in the query string, which is
    never logged (paths are)."""
    token_form = TokenForm(request.GET or None)
    if not token_form.is_valid():
        return render(request, "groups/join_paste.html", {"token_form": token_form})
    token = token_form.cleaned_data["token"]
    invite = get_active_invite(token)
    group = invite.group
    already = Membership.objects.filter(group=group, user=request.user).first()
    if already is not None:
        messages.info(request, _("You are a member of %(name)s already.") % {"name": group.name})
        return _detail(group.pk)
    enrolled = group.roadmap_id and Enrolment.objects.current().filter(
        user=request.user, roadmap_id=group.roadmap_id
    ).exists()
    pace_plans = list(group.roadmap.pace_plans.order_by("position")) if group.roadmap_id and not enrolled else []
    form = JoinForm(
        request.POST or None, group=group, pace_plans=pace_plans, offer_enrolment=bool(pace_plans),
    )
    if request.method == "POST" and form.is_valid():
        joined = services.membership_join(
            invite=invite, user=request.user, sharing=form.choices(), pace_plan=form.pace_plan(),
            today=local_today(request.user.time_zone),
        )
        if joined.enrolment is not None:
            text = _("Welcome to %(name)s. You are enrolled in %(roadmap)s.") % {
                "name": group.name, "roadmap": group.roadmap.title}
        else:
            text = _("Welcome to %(name)s.") % {"name": group.name}
        messages.success(request, text)
        return _detail(group.pk)
    organisers = list(group.memberships.organisers().select_related("user").order_by("pk"))
    context = {
        "group": group, "form": form, "token": token, "organisers": organisers, "enrolled": enrolled,
        "member_count": group.memberships.count(),
        "action": reverse("groups:join") + "?" + urlencode({"token": token}),
    }
    return render(request, "groups/join.html", context, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = get_membership_for_user(request.user, pk)
    form = SharingForm(request.POST or None, instance=viewer, group=viewer.group)
    if request.method == "POST" and form.is_valid():
        services.membership_update_sharing(membership=viewer, **form.choices())
        messages.success(request, _("Saved: the group sees exactly what you chose, from now on."))
        return redirect("groups:sharing", pk=pk)
    shares = (
        SharedRetrospective.objects.filter(membership=viewer)
        .select_related("retrospective__enrolment__roadmap").order_by("-retrospective__period_end")
    )
    return render(request, "groups/sharing.html", {"group": viewer.group, "viewer": viewer, "form": form,
                                                   "shares": shares}, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST leaves at once."""
    viewer = get_membership_for_user(request.user, pk)
    group = viewer.group
    others = group.memberships.exclude(pk=viewer.pk).count()
    last_organiser = viewer.is_organiser and others and not group.memberships.organisers().exclude(
        pk=viewer.pk).exists()
    if request.method == "POST":
        try:
            deleted = services.membership_leave(membership=viewer)
        except services.GroupError as error:
            messages.error(request, str(error))
            return redirect("groups:leave", pk=pk)
        text = _("You deleted %(name)s.") if deleted else _("You left %(name)s.")
        messages.success(request, text % {"name": group.name})
        return redirect("groups:list")
    return render(request, "groups/leave.html", {"group": group, "others": others, "last_organiser": last_organiser})


@login_required
@require_GET
def member_detail(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    viewer = get_organiser_membership(request.user, pk)
    member = get_member_of_group(viewer, member_pk)
    nudged = Nudge.objects.filter(membership=member, week=services.nudge_week(member)).exists()
    return render(request, "groups/member.html", {
        "group": viewer.group, "viewer": viewer, "member": member, "nudged": nudged, "nudge_form": NudgeForm(),
    })


@login_required
@require_POST
def nudge(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    viewer = get_organiser_membership(request.user, pk)
    member = get_member_of_group(viewer, member_pk)
    form = NudgeForm(request.POST)
    if not form.is_valid():
        return render(request, "groups/member.html", {
            "group": viewer.group, "viewer": viewer, "member": member, "nudged": False, "nudge_form": form,
            "page_path": reverse("groups:member", args=[pk, member_pk]),  # the page's own address, for "next"
        }, status=400)
    try:
        services.nudge_send(sender=viewer, member=member, message=form.cleaned_data["message"])
    except services.GroupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Nudge sent to %(name)s.") % {"name": member.user.get_full_name()})
    return redirect("groups:member", pk=pk, member_pk=member_pk)


@login_required
@require_POST
def member_role(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    viewer = get_organiser_membership(request.user, pk)
    member = get_member_of_group(viewer, member_pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose organiser or member."))
        return redirect("groups:member", pk=pk, member_pk=member_pk)
    try:
        services.membership_set_role(by=viewer, member=member, role=form.cleaned_data["role"])
    except services.GroupError as error:
        messages.error(request, str(error))
    else:
        role_text = _("%(name)s is now an organiser.") if member.is_organiser else _("%(name)s is now a member.")
        messages.success(request, role_text % {"name": member.user.get_full_name()})
    if member.pk == viewer.pk and not member.is_organiser:
        return _detail(pk)  # stepped down: the member page is for organisers
    return redirect("groups:member", pk=pk, member_pk=member_pk)


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    viewer = get_organiser_membership(request.user, pk)
    member = get_member_of_group(viewer, member_pk)
    if request.method == "GET":
        return render(request, "groups/remove.html", {"group": viewer.group, "member": member})
    try:
        services.membership_remove(by=viewer, member=member)
    except services.GroupError as error:
        messages.error(request, str(error))
        return redirect("groups:member", pk=pk, member_pk=member_pk)
    messages.success(
        request,
        _("%(name)s is no longer in %(group)s.") % {"name": member.user.get_full_name(), "group": viewer.group.name},
    )
    return _detail(pk)


@login_required
@require_GET
def shared_retrospective(request: HttpRequest, pk: int, share_pk: int) -> HttpResponse:
    viewer = get_membership_for_user(request.user, pk)
    share = get_shared_retrospective_for_viewer(viewer, share_pk)
    retro = share.retrospective
    period = periods.Period(retro.period_index, retro.enrolment.roadmap.retrospective_interval_weeks,
                            retro.period_start, retro.period_end)
    return render(request, "groups/shared_retrospective.html", {
        "group": viewer.group, "share": share, "retro": retro, "period": period,
        "answers": sorted(retro.answers.all(), key=lambda answer: answer.position),
    })


@login_required
@require_POST
def retrospective_share(request: HttpRequest, pk: int, enrolment_pk: int, number: int) -> HttpResponse:
    """Share (or stop sharing) one of the learner's retrospectives with the group."""
    viewer = get_membership_for_user(request.user, pk)
    period_page = get_period_for_user(request.user, enrolment_pk, number)
    back = reverse("retrospectives:form", args=[enrolment_pk, number]) + "#share"
    retro = period_page.retro
    if retro is None:
        messages.error(request, _("Submit the retrospective before sharing it."))
        return redirect(back)
    if request.POST.get("action") == "stop":
        services.retrospective_unshare(membership=viewer, retrospective=retro)
        messages.success(request, _("%(name)s no longer sees this retrospective.") % {"name": viewer.group.name})
        return redirect(back)
    try:
        services.retrospective_share(membership=viewer, retrospective=retro)
    except services.GroupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Shared with %(name)s.") % {"name": viewer.group.name})
    return redirect(back)

