"""The roadmap page's hook into learner state.

The roadmaps app never imports progress: its template loads this library and
asks for the learner's state with the content it has already loaded, so the
hook costs one query for a signed-in learner who is not enrolled and three
for one who is (enrolment, item progress, milestones).

    {% load progress_tags %}{% learner_on_roadmap roadmap content as learner %}
"""

from __future__ import annotations

from django import template

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
    from progress.learner import load_learner_state

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return load_learner_state(user, roadmap, content.items)


@register.simple_tag(takes_context=True)
def enrol_form_for(context, content):
    """An unbound enrolment form, from the pace plans the page loaded already."""
    from progress.forms import EnrolForm
    from progress.schedule import local_today

    user = context["request"].user
    return EnrolForm(pace_plans=content.pace_plans, today=local_today(user.time_zone))


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
