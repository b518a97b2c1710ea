"""The roadmap page's hook into learner state.

The roadmaps app never imports progress: its template loads this library and
asks for the learner's state with the content it has already loaded. For a
signed-in learner who is not enrolled that costs one query; for one who is,
the state comes from the one loader (`progress.state`, the step summaries)
and the page's widgets from `progress.roadmap_page`.

    {% load progress_tags %}{% learner_on_roadmap roadmap content as learner %}
"""

from __future__ import annotations

from bisect import bisect_right

from django import template
from django.template.loader import render_to_string

from progress.models import STATE_BADGES, ItemState

register = template.Library()



@register.simple_tag(takes_context=True)
def learner_on_roadmap(context, roadmap, content):
    """The LearnerState of the signed-in learner on this roadmap, or None."""
    from progress.access import load_enrolment_on_roadmap
    from progress.schedule import local_today
    from progress.state import load_state
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    enrolment = load_enrolment_on_roadmap(user, roadmap)
    if enrolment is None:  # the content (perhaps a lazy cache read) is not needed
        return None
    enrolment.roadmap = roadmap  # loaded already: its version and URL need no query
    return load_state(enrolment, today=local_today(user.time_zone), front_items=False, milestones=True)


@register.filter
def added_since(learner, sections) -> int:
    """Items added to the roadmap after the learner enrolled (the sections'
    cached creation times, oldest first)."""
    created = sections.facts.item_created
    return len(created) - bisect_right(created, learner.enrolment.created_at.timestamp())


@register.filter
def content_changes(learner, sections):
    """What changed since the learner last looked (progress.changes)."""
    from progress.changes import changes_for

    return changes_for(learner.enrolment, sections.facts.recent_changes)


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
def step_state(learner, step_id):
    return learner.step_state(step_id) if learner else None


@register.filter
def get_step(steps, step_id):
    """A step's StepState from LearnerState.steps (an empty one if none)."""
    from progress.state import StepState
    from progress.summaries import StepFigures

    return steps.get(step_id) or StepState(progress=StepFigures().progress)


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


@register.simple_tag
def item_widget(item, row, enrolment):
    """One item's widget, as the roadmap page has it (the htmx answer to a
    state change swaps this in)."""
    from progress.roadmap_page import WIDGET_TEMPLATE, widget_context

    state = row.state if row is not None and row.state else ItemState.NOT_STARTED
    if not enrolment.is_current:
        return render_to_string("progress/includes/item_badge.html", {"item": item, "state": state})
    return render_to_string(WIDGET_TEMPLATE, widget_context(item, state))


@register.simple_tag(takes_context=True)
def learner_sections(context, sections, learner, content, roadmap):
    """The roadmap's cached content sections with the learner's widgets and
    bars in their slots. A visitor, or a reader who is not enrolled, gets the
    sections without slots as they are. The template gets a mark where they
    go; the view puts them there (roadmaps.page)."""
    from progress.roadmap_page import cached_widgets, learner_body, load_rows
    from roadmaps.page import body_mark

    request = context["request"]
    if learner is None:
        return body_mark(request, sections.chunks)
    enrolment = learner.enrolment
    # `content` is lazy: it is only unpickled when the widgets are not cached.
    return body_mark(request, learner_body(
        sections=sections, widgets=cached_widgets(roadmap, content, sections, current=enrolment.is_current),
        rows=load_rows(enrolment), learner=learner, steps=dict(sections.facts.steps),
        changes=content_changes(learner, sections),
    ))
