"""The signed-in learner's view of a roadmap page.

The page's sections are rendered once for every reader (roadmaps.cache) and
cut at their learner slots. What a learner adds in a slot is either the same
for every learner in the same state — an item's state widget, rendered by
`progress/includes/item_widget.html` once per item and state and cached under
the roadmap content's key — or small and theirs: a step's bar, and an item's
note and links. Nothing of a learner is cached: per request the page joins
the cached pieces in the order the sections give, picking each item's widget
by the learner's state, and renders their own bits with templates.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import FilteredRelation, Q
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from config.caching import cache_get_or_compute
from progress.models import STATE_BADGES, ItemProgress, ItemState
from roadmaps.cache import CONTENT_TIMEOUT_SECONDS, RoadmapSections, content_version_key
from roadmaps.models import Item, ItemKind, ItemStatus

WIDGET_FORMAT = 4
WIDGET_TEMPLATE = "progress/includes/item_widget.html"
# What each state offers (the item details page offers all four).
# Lazy: the widgets are rendered (and cached, per language) in the reader's language.
ACTIONS = {
    ItemState.NOT_STARTED: (("in_progress", _("Start")), ("done", _("Done"))),
    ItemState.IN_PROGRESS: (("done", _("Done")), ("skipped", _("Skip")), ("not_started", _("Reset"))),
    ItemState.DONE: (("not_started", _("Reset")),),
    ItemState.SKIPPED: (("in_progress", _("Start")), ("not_started", _("Reset"))),
}
# An optional item or an alternative joins the learner's plan when they take
# it up (roadmaps.hours): its Start says so.
TAKE_UP = {ItemStatus.OPTIONAL: _("Add to my plan"), ItemStatus.ALTERNATIVE: _("Pick this one")}
ROW_COLUMNS = ("item_id", "state", "note", "evidence_url", "confidence", "repo_url", "live_url")


def widget_context(item, state: str) -> dict:
    actions = ACTIONS[state]
    take_up = TAKE_UP.get(getattr(item, "status", ItemStatus.CORE))
    if take_up and state == ItemState.NOT_STARTED:
        actions = tuple((value, take_up if value == "in_progress" else text) for value, text in actions)
    return {
        # A not-started item shows no badge: its buttons say where it stands.
        "item": item, "state": state, "label": ItemState(state).label,
        "badge": "" if state == ItemState.NOT_STARTED else STATE_BADGES[state],
        "actions": actions,
    }


def render_widgets(items) -> dict[int, tuple[str, ...]]:
    """Every item's widget in every state (in `ItemState.values` order): the
    same for every learner. Plain strings: a cached SafeString unpickles
    several times slower."""
    template = get_template(WIDGET_TEMPLATE)
    return {
        item.pk: tuple(template.render(widget_context(item, state)).strip() for state in ItemState.values)
        for item in items
    }


STATE_INDEX = {state: index for index, state in enumerate(ItemState.values)}


@lru_cache(maxsize=1)
def _template_digest() -> str:
    """A deploy that changes the widget's template never serves the old markup."""
    return hashlib.sha256(get_template(WIDGET_TEMPLATE).template.source.encode()).hexdigest()[:12]


def cached_widgets(roadmap, content) -> dict[int, tuple[str, ...]]:
    key = content_version_key(roadmap)
    if key is None:
        return render_widgets(content.items)
    return cache_get_or_compute(
        f"learner-widgets:{WIDGET_FORMAT}:{_template_digest()}:{key}", lambda: render_widgets(content.items),
        timeout=CONTENT_TIMEOUT_SECONDS,
    )


@dataclass
class LearnerRow:
    """The learner's row on an item, as the page shows it."""

    item_id: int
    state: str
    note: str
    evidence_url: str
    confidence: int | None
    repo_url: str
    live_url: str

    @property
    def has_extras(self) -> bool:
        return bool(self.note or self.evidence_url or self.confidence or self.repo_url or self.live_url)


def load_rows(enrolment) -> dict[int, LearnerRow]:
    """The learner's rows of the roadmap's active items: one query."""
    found = (
        ItemProgress.objects.filter(enrolment=enrolment, item__retired_at__isnull=True)
        .order_by()
        .values_list(*ROW_COLUMNS)
    )
    return {values[0]: LearnerRow(*values) for values in found}


def topic_figures(states: list[str], subtopic_count: int) -> dict:
    """A topic's progress from its subtopics' states (the learner's rows, of
    `subtopic_count` subtopics): skipped ones leave the count."""
    return {
        "done": states.count(ItemState.DONE), "started": states.count(ItemState.IN_PROGRESS),
        "total": subtopic_count - states.count(ItemState.SKIPPED),
    }


def topic_progress(enrolment, topic_id: int) -> dict:
    """A topic's progress after one of its subtopics was ticked, for the tick's
    htmx answer (one query): what the page shows under the topic."""
    mine = FilteredRelation("learner_progress", condition=Q(learner_progress__enrolment=enrolment))
    states = list(
        Item.objects.active().filter(parent_id=topic_id, kind=ItemKind.TOPIC).annotate(mine=mine)
        .values_list("mine__state", flat=True)
    )
    return {"topic_pk": topic_id, **topic_figures([state for state in states if state], len(states))}


def learner_body(
    *, sections: RoadmapSections, widgets, rows: dict[int, LearnerRow], learner, steps, changes=None
) -> SafeString:
    """The sections with the learner's widgets and bars in their slots.
    `widgets` None: the learner left the roadmap, their states show as
    badges without buttons (rare: rendered per request)."""
    # One context for all the learner's bits, pushed per piece: a fresh
    # context per render costs more than the small templates themselves.
    context = Context(
        {
            "learner": learner, "enrolment": learner.enrolment,
            "milestone_url": reverse("progress:milestone_add", args=[learner.enrolment.pk]),
        },
        use_l10n=False,
    )
    extras = get_template("progress/includes/item_extras.html").template
    step_state = get_template("progress/includes/step_state.html").template
    badge = get_template("progress/includes/item_badge.html").template
    news = get_template("progress/includes/item_news.html").template
    topic = get_template("roadmaps/includes/topic_progress.html").template
    added, renamed = (changes.added, changes.renamed) if changes else (set(), {})
    subtopics = dict(getattr(sections.facts, "subtopics", ()))

    def render(template, **values) -> str:
        with context.push(**values):
            return template.render(context)

    out = [sections.chunks[0]]
    for (kind, pk), chunk in zip(sections.slots, sections.chunks[1:], strict=True):
        if kind == "item":
            row = rows.get(pk)
            if widgets is None:
                if row is not None:
                    out.append(render(badge, item={"pk": pk}, state=row.state))
            elif pk in widgets:
                out.append(widgets[pk][STATE_INDEX[row.state] if row else 0])
            if pk in added or pk in renamed:
                out.append(render(news, renamed_from=renamed.get(pk, "")))
            if row is not None and row.has_extras:
                out.append(render(extras, row=row))
        elif kind == "topic":  # a topic that has subtopics: theirs is its progress
            states = [rows[sub].state for sub in subtopics.get(pk, ()) if sub in rows]
            out.append(render(topic, topic_pk=pk, **topic_figures(states, len(subtopics.get(pk, ())))))
            row = rows.get(pk)
            if row is not None and row.has_extras:
                out.append(render(extras, row=row))
        elif pk in steps:
            out.append(render(step_state, step=steps[pk]))
        out.append(chunk)
    return mark_safe("".join(out))

