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

from dataclasses import dataclass

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from config.caching import cache_get_or_compute
from progress.models import ItemProgress, ItemState
from roadmaps.cache import CONTENT_TIMEOUT_SECONDS, RoadmapSections, content_version_key

WIDGET_FORMAT = 1
WIDGET_TEMPLATE = "progress/includes/item_widget.html"
# What each state offers (the item details page offers all four).
ACTIONS = {
    ItemState.NOT_STARTED: (("in_progress", "Start"), ("done", "Done")),
    ItemState.IN_PROGRESS: (("done", "Done"), ("skipped", "Skip"), ("not_started", "Reset")),
    ItemState.DONE: (("not_started", "Reset"),),
    ItemState.SKIPPED: (("in_progress", "Start"), ("not_started", "Reset")),
}
BADGES = {
    ItemState.NOT_STARTED: "",
    ItemState.IN_PROGRESS: "badge--accent",
    ItemState.DONE: "badge--success",
    ItemState.SKIPPED: "badge--draft",
}
ROW_COLUMNS = ("item_id", "state", "note", "evidence_url", "confidence", "repo_url", "live_url")


def widget_context(item, state: str) -> dict:
    return {
        "item": item, "state": state, "label": ItemState(state).label, "badge": BADGES[state],
        "actions": ACTIONS[state],
    }


def render_widgets(items) -> dict[int, dict[str, str]]:
    """Every item's widget in every state: the same for every learner."""
    template = get_template(WIDGET_TEMPLATE)
    return {
        item.pk: {state: template.render(widget_context(item, state)) for state in ItemState.values}
        for item in items
    }


def cached_widgets(roadmap, content) -> dict[int, dict[str, str]]:
    key = content_version_key(roadmap)
    if key is None:
        return render_widgets(content.items)
    return cache_get_or_compute(
        f"learner-widgets:{WIDGET_FORMAT}:{key}", lambda: render_widgets(content.items),
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


def learner_body(*, sections: RoadmapSections, widgets, rows: dict[int, LearnerRow], learner, steps) -> SafeString:
    """The sections with the learner's widgets and bars in their slots.
    `widgets` None: the learner left the roadmap, their states show as
    badges without buttons (rare: rendered per request)."""
    extras = get_template("progress/includes/item_extras.html")
    step_state = get_template("progress/includes/step_state.html")
    badge = get_template("progress/includes/item_badge.html")
    out = [sections.chunks[0]]
    for (kind, pk), chunk in zip(sections.slots, sections.chunks[1:], strict=True):
        if kind == "item":
            row = rows.get(pk)
            if widgets is None:
                if row is not None:
                    out.append(badge.render({"item": {"pk": pk}, "state": row.state}))
            elif pk in widgets:
                out.append(widgets[pk][row.state if row else ItemState.NOT_STARTED])
            if row is not None and row.has_extras:
                out.append(extras.render({"row": row, "enrolment": learner.enrolment}))
        elif pk in steps:
            out.append(step_state.render({"learner": learner, "step": steps[pk]}))
        out.append(chunk)
    return mark_safe("".join(out))

