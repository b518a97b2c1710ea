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
from functools import lru_cache

from django.db.models import FilteredRelation, Q
from django.template import Context
from django.template.defaultfilters import floatformat
from django.template.loader import get_template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from config.caching import cache_get_or_compute
from progress.learner import StepState
from progress.models import STATE_BADGES, ItemProgress, ItemState
from progress.summaries import StepFigures
from roadmaps.cache import CONTENT_TIMEOUT_SECONDS, RoadmapSections, content_version_key, sections_version
from roadmaps.models import Item, ItemKind, ItemStatus

WIDGET_FORMAT = 7
WIDGET_TEMPLATE = "progress/includes/item_widget.html"
BADGE_TEMPLATE = "progress/includes/item_badge.html"
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
# The learner's own note and links on an item, shown under its widget.
DETAIL_COLUMNS = ("note", "evidence_url", "confidence", "repo_url", "live_url")


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


# One tuple per state of every item slot's widget, in UTF-8.
Widgets = tuple[tuple[bytes, ...], ...]


def render_widgets(items, *, current: bool = True) -> Widgets:
    """The widget of each of `items` (the sections' item slots, in order) in
    every state: one tuple per state, in `ItemState.values` order, the same
    for every learner. Not `current` (the learner left the roadmap): its
    badge without buttons. A few flat tuples of plain values, not a tuple
    per item nor a dict by pk: they unpickle six times faster (and leave the
    garbage collector thousands fewer objects to walk). In UTF-8, as the
    page's body is joined (roadmaps.page)."""
    if not current:
        badge = get_template(BADGE_TEMPLATE)
        return tuple(
            tuple(badge.render({"item": item, "state": state}).strip().encode() for item in items)
            for state in ItemState.values
        )
    template = get_template(WIDGET_TEMPLATE)
    return tuple(
        tuple(template.render(widget_context(item, state)).strip().encode() for item in items)
        for state in ItemState.values
    )


STATE_INDEX = {state: index for index, state in enumerate(ItemState.values)}


@lru_cache(maxsize=1)
def _template_digest() -> str:
    """A deploy that changes the widget's templates never serves the old markup."""
    sources = "\0".join(get_template(name).template.source for name in (WIDGET_TEMPLATE, BADGE_TEMPLATE))
    return hashlib.sha256(sources.encode()).hexdigest()[:12]


def cached_widgets(roadmap, content, sections: RoadmapSections, *, current: bool = True) -> Widgets:
    """`render_widgets` for the sections' item slots, from the cache for
    published roadmaps. The key holds the sections' own version: the slots'
    order comes from their templates."""
    def render() -> Widgets:
        by_pk = {item.pk: item for item in content.items}
        slotted = [by_pk[pk] for kind, pk in zip(sections.slot_kinds, sections.slot_pks, strict=True) if kind == "item"]
        return render_widgets(slotted, current=current)

    key = content_version_key(roadmap)
    if key is None:
        return render()
    kind = "widgets" if current else "badges"
    return cache_get_or_compute(
        f"learner-{kind}:{WIDGET_FORMAT}:{_template_digest()}:{sections_version()}:{key}", render,
        timeout=CONTENT_TIMEOUT_SECONDS,
    )


class LearnerRows:
    """The learner's rows, as the page needs them: every item's state, and the note and links of the few that have
    some (plain tuples: a page may hold thousands of rows)."""

    __slots__ = ("states", "details")

    def __init__(self, found) -> None:
        self.states: dict[int, str] = {}
        self.details: dict[int, dict] = {}
        for item_id, state, *details in found:
            self.states[item_id] = state
            if any(details):
                self.details[item_id] = dict(zip(DETAIL_COLUMNS, details, strict=True))


def load_rows(enrolment) -> LearnerRows:
    """The learner's rows: one query on the enrolment's index alone. Rows of
    items an editor retired come too, and are never asked for: the page's
    slots are the active items."""
    return LearnerRows(
        ItemProgress.objects.filter(enrolment=enrolment).order_by().values_list("item_id", "state", *DETAIL_COLUMNS)
    )


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


# The overlay's fixed words, translated once per request (and handed to
# every piece's template in one context) rather than once per piece.
LABELS = {
    "your_progress": _("Your progress"), "add_milestone": _("Add a personal milestone"),
    "your_note": _("Your note:"), "repository": _("Repository"), "live": _("Live"), "evidence": _("Evidence"),
    "new": _("New"), "renamed": _("Renamed"),
}


@lru_cache(maxsize=4096)
def _hours(value, language: str) -> str:
    """`value|floatformat:"-1"` in `language` (the active one): a formatting
    memo, the same for everyone."""
    return floatformat(value, "-1")


@lru_cache(maxsize=1024)
def _day(day, format: str, language: str) -> str:
    """`day|date:format` in `language` (the active one): a formatting memo."""
    return date_format(day, format)


class _Texts:
    """The overlay's sentences with numbers and dates in them, as text (the
    templates escape them): a step's bar through `{% blocktranslate %}`,
    fifty times on a page, cost more than the rest of the overlay."""

    def __init__(self) -> None:
        self.language = get_language()
        self.progress = gettext("%(title)s: your progress")
        self.to_step = gettext("to %(title)s")
        self._confidence: dict[int, str] = {}

    def bar(self, progress) -> dict:
        """What a bar says, as progress/includes/bar.html says it."""
        shown, items, skipped = progress.shown_percent, progress.item_count, progress.skipped_count
        label = ngettext(
            "%(percent)s%% · %(done)s of %(items)s done", "%(percent)s%% · %(done)s of %(items)s done", items
        ) % {"percent": shown, "done": progress.done_count, "items": items}
        if skipped:
            label += " · " + ngettext("%(skipped)s skipped", "%(skipped)s skipped", skipped) % {"skipped": skipped}
        value = gettext("%(percent)s%% done, %(done)s of %(total)s hours") % {
            "percent": shown,
            "done": _hours(progress.done_hours, self.language), "total": _hours(progress.total_hours, self.language),
        }
        return {
            "percent": progress.percent, "shown": shown, "label": label, "value": value,
            "complete": progress.is_complete,
        }

    def planned(self, weeks) -> str:
        if not weeks:
            return ""
        first, last = weeks
        start = _day(first, "MONTH_DAY_FORMAT", self.language)
        if last == first:
            return gettext("Planned: week of %(first)s") % {"first": start}
        return gettext("Planned: week of %(first)s – week of %(last)s") % {
            "first": start, "last": _day(last, "SHORT_DATE_FORMAT", self.language),
        }

    def confidence(self, value: int) -> str:
        if value not in self._confidence:
            self._confidence[value] = gettext("Confidence %(confidence)s/5") % {"confidence": value}
        return self._confidence[value]


EMPTY_STEP = StepState(progress=StepFigures().progress)
PIECE_TEMPLATES = {
    "step": "progress/includes/step_state.html", "extras": "progress/includes/item_extras.html",
    "news": "progress/includes/item_news.html", "topic": "roadmaps/includes/topic_progress.html",
}


def learner_body(
    *, sections: RoadmapSections, widgets, rows: LearnerRows, learner, steps: dict[int, str], changes=None
) -> list[bytes]:
    """The sections with the learner's widgets and bars in their slots, as
    the pieces of the page's body in UTF-8 (roadmaps.page joins them).

    Most slots take a string as it is: an item's cached widget for the
    learner's state (`cached_widgets`; for a learner who left the roadmap,
    its badge, on the items they have a row on). The few that hold
    something of the learner's own — a step's bar, an item's note and links,
    "New" — are rendered by their small templates with one shared context
    (a fresh context per render costs more than those templates)."""
    texts = _Texts()
    context = Context(
        {
            **{name: str(label) for name, label in LABELS.items()},
            "milestone_url": reverse("progress:milestone_add", args=[learner.enrolment.pk]),
        },
        use_l10n=False,
    )
    templates = {kind: get_template(name).template for kind, name in PIECE_TEMPLATES.items()}

    def render(kind: str, **values) -> bytes:
        with context.push(values):
            return templates[kind].render(context).encode()

    # A note or a link is the learner's own, but most items carry only a
    # confidence ("Confidence 4/5"): the same few pieces, rendered once each.
    extras: dict[tuple, bytes] = {}

    def render_extras(details: dict) -> bytes:
        key = tuple(details.values())
        if key not in extras:
            extras[key] = render("extras", row=_extras(details, texts))
        return extras[key]

    current = learner.enrolment.is_current
    added, renamed = (changes.added, changes.renamed) if changes else (set(), {})
    subtopics = dict(getattr(sections.facts, "subtopics", ()))
    states, details = rows.states, rows.details
    not_started = widgets[0]
    out = [sections.chunks[0]]
    slot = -1  # the item slot's index in the widgets' tuples
    for kind, pk, chunk in zip(sections.slot_kinds, sections.slot_pks, sections.chunks[1:], strict=True):
        if kind == "item":
            slot += 1
            state = states.get(pk)
            if state is not None:
                out.append(widgets[STATE_INDEX[state]][slot])
            elif current:
                out.append(not_started[slot])
            if pk in added or pk in renamed:
                out.append(render("news", renamed_from=renamed.get(pk, "")))
            if pk in details:
                out.append(render_extras(details[pk]))
        elif kind == "topic":  # a topic that has subtopics: theirs is its progress
            mine = [states[sub] for sub in subtopics.get(pk, ()) if sub in states]
            out.append(render("topic", topic_pk=pk, **topic_figures(mine, len(subtopics.get(pk, ())))))
            if pk in details:
                out.append(render_extras(details[pk]))
        elif pk in steps:
            state = learner.steps.get(pk) or EMPTY_STEP
            title = steps[pk]
            out.append(render(
                "step", pk=pk, name=texts.progress % {"title": title}, to=texts.to_step % {"title": title},
                bar=texts.bar(state.progress), planned=texts.planned(state.planned), milestones=state.milestones,
            ))
        out.append(chunk)
    return out


def _extras(details: dict, texts: _Texts) -> dict:
    confidence = details["confidence"]
    return {
        **details, "confidence": texts.confidence(confidence) if confidence else "",
        "links": bool(confidence or details["evidence_url"] or details["repo_url"] or details["live_url"]),
    }
