"""The roadmap page's hook into learner state.

The roadmaps app never imports progress: its template loads this library and
asks for the learner's state with the content it has already loaded, so the
hook costs one query for a signed-in learner who is not enrolled and three
for one who is (enrolment, item progress, milestones).

    {% load progress_tags %}{% learner_on_roadmap roadmap content as learner %}
"""

from __future__ import annotations

from urllib.parse import quote

from django import template
from django.template import Context
from django.template.defaultfilters import linebreaksbr
from django.template.loader import get_template
from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from progress.models import ItemState

register = template.Library()

STATE_BADGES = {
    ItemState.NOT_STARTED: "badge--muted",
    ItemState.IN_PROGRESS: "badge--accent",
    ItemState.DONE: "badge--success",
    ItemState.SKIPPED: "badge--draft",
}


@register.simple_tag(takes_context=True)
def learner_on_roadmap(context, roadmap, content):
    """The LearnerState of the signed-in learner on this roadmap, or None."""
    from progress.learner import learner_state_for, load_enrolment

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    enrolment = load_enrolment(user, roadmap)
    if enrolment is None:  # the content (perhaps a lazy cache read) is not needed
        return None
    enrolment.roadmap = roadmap  # loaded already: the widgets' return link needs its URL, not a query
    return learner_state_for(enrolment, user, content.items)


@register.simple_tag(takes_context=True)
def enrol_form_for(context, content):
    """An unbound enrolment form, from the pace plans the page loaded already
    (`content` is anything with `pace_plans`: the content or the cached facts)."""
    from progress.enrolments.forms import EnrolForm
    from progress.schedule import local_today

    user = context["request"].user
    roadmap = context.get("roadmap")
    suggested = getattr(roadmap, "weekly_hours", None) or user.weekly_hours_goal
    return EnrolForm(pace_plans=content.pace_plans, today=local_today(user.time_zone), suggested_hours=suggested)


@register.filter
def row_for(learner, item):
    return learner.row_for(item) if learner else None


@register.filter
def step_state(learner, step_id):
    return learner.step_state(step_id) if learner else None


@register.filter
def state_label(state: str) -> str:
    try:
        return ItemState(state).label
    except ValueError:
        return ""


@register.filter
def state_badge(state: str) -> str:
    return STATE_BADGES.get(state, "")


@register.filter
def step_bar_id(step_id) -> str:
    return f"step-progress-{step_id}"


# --- The learner's widget on each item -------------------------------------------
#
# A roadmap may hold thousands of items and the signed-in learner's page has a
# state form on each: built here as plain strings (one call per item, no
# include, no filter chain), with the URLs reversed once per page and only the
# editor's and learner's text escaped. The htmx answer to a state change
# (fragments/item_changed.html) renders the same function, so what is swapped in
# is what the page had. The form carries no "next" field: the view sends a plain
# POST back to this item on the roadmap page, which is where the form is.

_PLACEHOLDER = 2147483647  # an item id no URL here will have; replaced per item
_BUTTONS = (
    # (state, label, button class, shown when the item is in one of these states)
    ("in_progress", "Start", "button button--small button--secondary", ("not_started", "skipped")),
    ("done", "Done", "button button--small", ("not_started", "in_progress", "skipped")),
    ("skipped", "Skip", "button button--small button--secondary", ("not_started", "in_progress")),
    ("not_started", "Reset", "button button--small button--secondary", ("in_progress", "done", "skipped")),
)


def _url_parts(name: str, enrolment_pk: int) -> tuple[str, str]:
    prefix, _, suffix = reverse(name, args=[enrolment_pk, _PLACEHOLDER]).rpartition(str(_PLACEHOLDER))
    return prefix, suffix


def _page_parts(context, enrolment) -> dict:
    """What every item's widget on the page shares, computed once per render."""
    cache = context.render_context
    key = ("learner_item", enrolment.pk)
    parts = cache.get(key)
    if parts is None:
        token = context.get("csrf_token")
        parts = {
            "state": _url_parts("progress:item_state", enrolment.pk),
            "details": _url_parts("progress:item_details", enrolment.pk),
            # "Log time" on an item: the study log form with the item chosen,
            # then back to the item on the roadmap page ("#" quoted in "next").
            "log": (
                f"{reverse('progress:log_add')}?item=",
                f"&amp;next={quote(enrolment.roadmap.get_absolute_url())}%23item-",
            ),
            "csrf": (
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'
                if token and str(token) != "NOTPROVIDED" else ""
            ),
            "current": enrolment.is_current,
            # What the date filter's "M" gives, without a translation lookup per item.
            "months": [""] + [str(MONTHS_3[month]).title() for month in range(1, 13)],
        }
        cache[key] = parts
    return parts


def learner_item_html(context, item, row, enrolment) -> SafeString:
    parts = _page_parts(context, enrolment)
    state = row.state if row and row.state else ItemState.NOT_STARTED
    pk = item.pk
    title = escape(item.title)
    state_url = f"{parts['state'][0]}{pk}{parts['state'][1]}"
    out = [
        f'<div class="learner-item learner-item--{state}" id="learner-item-{pk}">'
        f'<form class="learner-item__form" method="post" action="{state_url}" hx-post="{state_url}" '
        f'hx-target="#learner-item-{pk}" hx-swap="outerHTML">{parts["csrf"]}'
        f'<span class="badge {STATE_BADGES.get(state, "")}">{state_label(state)}</span>'
    ]
    if row and state != ItemState.NOT_STARTED:
        # As |date:"c" and |date:"j M" would print it, at a fraction of the cost.
        changed = template_localtime(row.state_changed_at)
        month = parts["months"][changed.month]
        out.append(f' <time class="muted" datetime="{changed.isoformat()}">{changed.day} {month}</time>')
    if parts["current"]:
        out.append('<span class="cluster learner-item__actions">')
        for value, label, classes, shown_in in _BUTTONS:
            if state in shown_in:
                out.append(
                    f'<button class="{classes}" name="state" value="{value}">{label}'
                    f'<span class="visually-hidden">: {title}</span></button>'
                )
        out.append("</span>")
    out.append("</form>")
    if row is not None:
        if row.note:
            out.append(
                '<p class="learner-item__note"><span class="visually-hidden">Your note: </span>'
                f"{linebreaksbr(row.note, autoescape=True)}</p>"
            )
        if row.evidence_url or row.confidence or row.repo_url or row.live_url:
            out.append('<ul class="cluster learner-item__links">')
            if row.repo_url:
                out.append(
                    f'<li><a href="{escape(row.repo_url)}" rel="noopener noreferrer nofollow">Repository</a></li>'
                )
            if row.live_url:
                out.append(f'<li><a href="{escape(row.live_url)}" rel="noopener noreferrer nofollow">Live</a></li>')
            if row.evidence_url:
                out.append(
                    f'<li><a href="{escape(row.evidence_url)}" rel="noopener noreferrer nofollow">Evidence</a></li>'
                )
            if row.confidence:
                out.append(f'<li class="muted">Confidence {row.confidence}/5</li>')
            out.append("</ul>")
    has_notes = row is not None and (row.note or row.repo_url or row.evidence_url)
    out.append(
        f'<a class="learner-item__edit" href="{parts["details"][0]}{pk}{parts["details"][1]}">'
        f'{"Edit notes" if has_notes else "Add a note"}{", links" if item.kind == "project" else ""}'
        f'<span class="visually-hidden"> for {title}</span></a>'
    )
    if parts["current"]:
        log = parts["log"]
        out.append(
            f'<a class="learner-item__log" href="{log[0]}{pk}{log[1]}{pk}">'
            f'Log time<span class="visually-hidden"> on {title}</span></a>'
        )
    out.append("</div>")
    return mark_safe("".join(out))


@register.simple_tag(takes_context=True)
def learner_item(context, learner, item):
    """The learner's state form and notes on one item of the roadmap page."""
    return learner_item_html(context, item, learner.rows.get(item.pk), learner.enrolment)


@register.simple_tag(takes_context=True)
def item_widget(context, item, row, enrolment):
    """The same widget for an item, row and enrolment given directly (htmx answers)."""
    return learner_item_html(context, item, row, enrolment)


@register.simple_tag(takes_context=True)
def learner_sections(context, sections, learner, content):
    """The roadmap's cached content sections with the learner's state in their
    slots: a widget per item, a bar per step. A visitor, or a reader who is not
    enrolled, gets the copy without slots as it is."""
    from roadmaps.cache import LEARNER_SLOT

    if learner is None:
        return sections.visitor_html
    items = {item.pk: item for item in content.items}
    steps = {step_content.step.pk: step_content.step for step_content in content.steps}
    step_template = get_template("progress/includes/step_state.html").template
    rows, enrolment = learner.rows, learner.enrolment

    def fill(match) -> str:
        pk = int(match.group(2))
        if match.group(1) == "item":
            item = items.get(pk)
            return learner_item_html(context, item, rows.get(pk), enrolment) if item else ""
        step = steps.get(pk)
        if step is None:
            return ""
        return step_template.render(Context({"learner": learner, "step": step}, use_l10n=False))

    return mark_safe(LEARNER_SLOT.sub(fill, sections.body))
