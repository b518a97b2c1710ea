"""Caching of published roadmap content, shared by every app server.

The roadmap page's content (steps, items, pace plans, guidance, metrics,
prompts: one query per table) is the same for every reader, so it is cached
as data, keyed on the roadmap's `updated_at`. Every editor save goes through
`roadmaps.services.roadmap_touch`, which moves `updated_at`, so the next
request reads a new key and the old entry simply expires: no explicit
deletion, and no app server can serve a stale copy it kept in memory.

Data, and the HTML of the sections without any reader in it (below): the
page interleaves the signed-in learner's progress with the content and
carries a CSRF token, neither of which may ever be shared between readers.
What is cached here holds nothing about the reader.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from config.caching import CacheUnavailable, cache_get_or_compute
from roadmaps.content import RoadmapContent, load_roadmap_content
from roadmaps.languages import language_if_not_interface
from roadmaps.models import Roadmap

logger = logging.getLogger(__name__)

# Long enough to matter, short enough that an edit made outside the admin
# (a shell, a data migration that forgot roadmap_touch) shows within the day.
CONTENT_TIMEOUT_SECONDS = 6 * 60 * 60
# Bumped by `roadmap_content_cache_clear()`: the default retrospective prompts
# are shared by all roadmaps and have no roadmap of their own to touch.
_GENERATION_KEY = "roadmap-content:generation"


# Bump when RoadmapContent changes shape: a shared cache may still hold
# entries pickled by the previous release.
CONTENT_FORMAT = 4


def _content_key(roadmap: Roadmap, generation: str) -> str:
    # The interface language too: the sections and the learner's widgets are
    # rendered with the reader's language (labels, buttons, "3 topics"), and
    # every cache keyed on this one inherits it.
    return (
        f"roadmap-content:{CONTENT_FORMAT}:{generation}:{translation.get_language() or settings.LANGUAGE_CODE}:"
        f"{roadmap.pk}:{roadmap.updated_at.timestamp():.6f}"
    )


def content_version_key(roadmap: Roadmap) -> str | None:
    """The key of the roadmap's cached content, for other caches of data that
    is the same for every reader and made from that content (the learner's
    view of the page, progress.roadmap_page); None for drafts or when the
    cache is down (compute without it)."""
    if not roadmap.is_published:
        return None
    try:
        return _content_key(roadmap, _generation())
    except CacheUnavailable:
        return None


def cached_roadmap_content(roadmap: Roadmap) -> RoadmapContent:
    """`load_roadmap_content`, from the cache for published roadmaps.

    Drafts are read fresh: only editors see them, usually while editing. A
    cache outage costs speed, never the page.
    """
    if not roadmap.is_published:
        return load_roadmap_content(roadmap)
    try:
        key = _content_key(roadmap, _generation())
    except CacheUnavailable:
        return load_roadmap_content(roadmap)
    content = cache_get_or_compute(key, lambda: load_roadmap_content(roadmap), timeout=CONTENT_TIMEOUT_SECONDS)
    # The view's instance is fresher (the reader's permissions); the cached
    # copy only supplies the content rows. (The cache holds a pickled copy:
    # this changes nothing stored.)
    content.roadmap = roadmap
    return content


def _generation() -> str:
    try:
        return cache.get_or_set(_GENERATION_KEY, "0", timeout=None)
    except Exception as error:
        logger.warning("cache unavailable (reading the content generation)", exc_info=True)
        raise CacheUnavailable from error


def roadmap_content_cache_clear() -> None:
    """Invalidate every roadmap's cached content at once (e.g. after editing
    the default retrospective prompts, which belong to no roadmap)."""
    cache.set(_GENERATION_KEY, uuid.uuid4().hex, timeout=None)


# --- Rendered sections -------------------------------------------------------
#
# Rendering the content sections (table of contents, overview, timeline,
# steps with their items, weeks, pace, guidance) is most of the roadmap page's
# cost: on a 2,000-item roadmap ~0.2 s per request. That HTML is the same for
# every reader, so it is cached too, keyed like the content (generation,
# roadmap pk, updated_at) plus a digest of the templates that render it, so a
# deploy that changes them never serves the old markup.
#
# It is rendered without a request: no user, no CSRF token, no context
# processors can reach it. Where the signed-in learner's state goes (each
# item's widget, each step's bar) it holds a slot, an HTML comment that no
# content can produce (titles are escaped, Markdown is sanitised without
# comments); the progress app fills the slots per request, and a visitor gets
# the copy with the slots taken out.

# Bump when RoadmapSections or RoadmapFacts change shape: a shared cache may
# still hold entries pickled by the previous release.
SECTIONS_FORMAT = 8
SLOT_START, SLOT_END = "<!--learner-slot:", "-->"
SECTION_TEMPLATES = (
    "roadmaps/includes/toc.html", "roadmaps/includes/sections.html", "roadmaps/includes/overview.html",
    "roadmaps/includes/timeline.html", "roadmaps/includes/step.html", "roadmaps/includes/item_lists.html",
    "roadmaps/includes/item_tree.html", "roadmaps/includes/item_node.html", "roadmaps/includes/item_subtopic.html",
    "roadmaps/includes/item_body.html",
    "roadmaps/includes/weeks.html", "roadmaps/includes/general.html", "roadmaps/includes/pace.html",
    "roadmaps/includes/schedule_table.html", "roadmaps/includes/guidance.html",
)


@dataclass(frozen=True)
class RoadmapFacts:
    """The few figures of the content the page header shows, kept with the
    sections so that a visitor's request never unpickles the content itself
    (thousands of model instances on a big roadmap)."""

    total_weeks: int
    total_hours: object  # Decimal
    step_count: int
    item_count: int
    first_step_key: str
    pace_plans: list  # the enrolment form's choices, for a signed-in reader not enrolled yet
    tags: list  # the header's technologies: cached here, so a warm page never queries them
    # When each active item was added (POSIX seconds: they unpickle six
    # times faster than datetimes), oldest first: "n items added since you
    # enrolled" is a bisection, not a walk over the items.
    item_created: tuple = ()
    steps: tuple = ()  # (pk, title) of each step: what a learner's step bar names
    # (pk, created_at, renamed_at, previous_title) of the items added or
    # renamed in the last RECENT_CHANGES_WEEKS: what the learner has not seen
    # is marked "New" or "was …" (progress.changes).
    recent_changes: tuple = ()
    # (topic pk, its subtopics' pks) of each topic that has subtopics: what
    # a learner's "2 of 3 done" on it counts.
    subtopics: tuple = ()


@dataclass(frozen=True)
class RoadmapSections:
    toc: str
    # The body cut at its learner slots, once, when it is rendered: chunks[0],
    # then for each slot its (kind, pk) and the chunk after it. The progress
    # app puts the learner's widgets between the chunks (progress.roadmap_page);
    # a visitor's page has the chunks alone. UTF-8: the response's own bytes
    # (roadmaps.page).
    chunks: tuple[bytes, ...]
    # Each slot's kind ("item", "topic", "step") and pk, side by side: two
    # flat tuples unpickle twice as fast as a pair per slot.
    slot_kinds: tuple[str, ...]
    slot_pks: tuple[int, ...]
    facts: RoadmapFacts

    @property
    def toc_html(self) -> SafeString:
        return mark_safe(self.toc)



def sections_version() -> str:
    """What the sections' markup depends on besides the content: a cache
    made to match their slots (progress.roadmap_page's widgets, in slot
    order) puts it in its key."""
    return f"{SECTIONS_FORMAT}:{_templates_digest()}"


@lru_cache(maxsize=1)
def _templates_digest() -> str:
    sources = "\0".join(get_template(name).template.source for name in SECTION_TEMPLATES)
    return hashlib.sha256(sources.encode()).hexdigest()[:12]


RECENT_CHANGES_WEEKS = 26


def recent_changes_of(items) -> tuple:
    since = timezone.now() - timedelta(weeks=RECENT_CHANGES_WEEKS)
    return tuple(
        (item.pk, item.created_at, item.renamed_at, item.previous_title)
        for item in items
        if item.created_at > since or (item.renamed_at is not None and item.renamed_at > since)
    )


def render_roadmap_sections(roadmap: Roadmap, content: RoadmapContent) -> RoadmapSections:
    # The content's language where it is not the interface's (the key has the
    # interface's language): what editors wrote is marked with it.
    context = {
        "roadmap": roadmap, "content": content,
        "content_lang": language_if_not_interface(roadmap.language), "interface_lang": translation.get_language(),
    }
    toc, body = (
        get_template(name).template.render(Context(context, use_l10n=False))
        for name in SECTION_TEMPLATES[:2]
    )
    facts = RoadmapFacts(
        total_weeks=content.total_weeks,
        total_hours=content.total_hours,
        step_count=len(content.steps),
        item_count=content.item_count,
        first_step_key=content.steps[0].step.key if content.steps else "",
        pace_plans=list(content.pace_plans),
        tags=list(content.tags),
        item_created=tuple(sorted(item.created_at.timestamp() for item in content.items)),
        steps=tuple((step_content.step.pk, step_content.step.title) for step_content in content.steps),
        recent_changes=recent_changes_of(content.items),
        subtopics=tuple(
            pair for group in [*(step.items for step in content.steps), content.general]
            for pair in group.subtopics_of.items()
        ),
    )
    chunks, slot_kinds, slot_pks = split_slots(body)
    return RoadmapSections(toc=toc, chunks=chunks, slot_kinds=slot_kinds, slot_pks=slot_pks, facts=facts)


def split_slots(body: str) -> tuple[tuple[bytes, ...], tuple[str, ...], tuple[int, ...]]:
    """`body` cut at its `<!--learner-slot:kind:pk-->` comments, which no
    content can produce (titles are escaped, Markdown is sanitised without
    comments)."""
    first, *rest = body.split(SLOT_START)
    chunks, kinds, pks = [first], [], []
    for piece in rest:
        slot, _, chunk = piece.partition(SLOT_END)
        kind, _, pk = slot.partition(":")
        kinds.append(sys.intern(kind))
        pks.append(int(pk))
        chunks.append(chunk)
    return tuple(chunk.encode() for chunk in chunks), tuple(kinds), tuple(pks)


def cached_roadmap_sections(roadmap: Roadmap, content: RoadmapContent) -> RoadmapSections:
    """`render_roadmap_sections`, from the cache for published roadmaps.

    `content` may be lazy (the view passes a SimpleLazyObject): it is only
    read when the sections are rendered, i.e. on a cache miss."""
    if not roadmap.is_published:
        return render_roadmap_sections(roadmap, content)
    try:
        key = f"roadmap-html:{sections_version()}:{_content_key(roadmap, _generation())}"
    except CacheUnavailable:
        return render_roadmap_sections(roadmap, content)
    return cache_get_or_compute(
        key, lambda: render_roadmap_sections(roadmap, content), timeout=CONTENT_TIMEOUT_SECONDS
    )
