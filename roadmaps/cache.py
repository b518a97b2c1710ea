"""Caching of published roadmap content, shared by every app server.

The roadmap page's content (steps, items, pace plans, guidance, metrics,
prompts: one query per table) is the same for every reader, so it is cached
as data, keyed on the roadmap's `updated_at`. Every editor save goes through
`roadmaps.services.roadmap_touch`, which moves `updated_at`, so the next
request reads a new key and the old entry simply expires: no explicit
deletion, and no app server can serve a stale copy it kept in memory.

Data, not HTML: the page interleaves the signed-in learner's progress with
the content and carries a CSRF token, neither of which may ever be shared
between readers. What is cached here holds nothing about the reader.
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache

from roadmaps.content import RoadmapContent, load_roadmap_content
from roadmaps.models import Roadmap

logger = logging.getLogger(__name__)

# Long enough to matter, short enough that an edit made outside the admin
# (a shell, a data migration that forgot roadmap_touch) shows within the day.
CONTENT_TIMEOUT_SECONDS = 6 * 60 * 60
# Bumped by `roadmap_content_cache_clear()`: the default retrospective prompts
# are shared by all roadmaps and have no roadmap of their own to touch.
_GENERATION_KEY = "roadmap-content:generation"


def _content_key(roadmap: Roadmap, generation: str) -> str:
    return f"roadmap-content:{generation}:{roadmap.pk}:{roadmap.updated_at.timestamp():.6f}"


def cached_roadmap_content(roadmap: Roadmap) -> RoadmapContent:
    """`load_roadmap_content`, from the cache for published roadmaps.

    Drafts are read fresh: only editors see them, usually while editing. A
    cache outage costs speed, never the page.
    """
    if not roadmap.is_published:
        return load_roadmap_content(roadmap)
    try:
        generation = cache.get_or_set(_GENERATION_KEY, "0", timeout=None)
        key = _content_key(roadmap, generation)
        content = cache.get(key)
    except Exception:
        logger.warning("roadmap content cache unavailable", exc_info=True)
        return load_roadmap_content(roadmap)
    if content is None:
        content = load_roadmap_content(roadmap)
        try:
            cache.set(key, content, timeout=CONTENT_TIMEOUT_SECONDS)
        except Exception:
            logger.warning("roadmap content cache unavailable", exc_info=True)
    else:
        # The view's instance is fresher (prefetched tags, the reader's
        # permissions); the cached copy only supplies the content rows.
        content.roadmap = roadmap
    return content


def roadmap_content_cache_clear() -> None:
    """Invalidate every roadmap's cached content at once (e.g. after editing
    the default retrospective prompts, which belong to no roadmap)."""
    cache.set(_GENERATION_KEY, uuid.uuid4().hex, timeout=None)
