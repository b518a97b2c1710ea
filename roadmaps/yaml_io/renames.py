"""Renames in files whose keys come from their titles (outlines, flow
charts): there, an item whose title the editor corrected reads as a new item
and a retired one, and the learners' ticks on it would be hidden.

Before the preview and the write, a new item of such a file takes the key of
the roadmap's item that would be retired in its place: the same step and
kind, the same place in that list, and a like title (or the same link). The
importer then sees a rename, and the learners' records stay on the item.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from roadmaps.models import Item, ItemKind, Roadmap
from roadmaps.yaml_io.schema import ITEM_LISTS, RoadmapIn

LIST_KINDS = {"topics": ItemKind.TOPIC, "resources": ItemKind.RESOURCE, "projects": ItemKind.PROJECT,
              "checkpoints": ItemKind.CHECKPOINT}
LIKE = 0.6  # "Systematic Program Design" -> "Systematic Program Design, revised" is 0.84


def adopt_renamed_keys(data: RoadmapIn, *, only: set[int] | None = None) -> int:
    """Give the file's renamed items their old keys (only the entries whose
    id() is in `only`, when given: those the file gave no key); how many."""
    if only is not None and not only:
        return 0
    roadmap = Roadmap.objects.filter(slug=data.slug).first()
    if roadmap is None:
        return 0
    current: dict[tuple[str, str], list[Item]] = {}
    for item in (Item.objects.filter(roadmap=roadmap, parent__isnull=True, step__isnull=False).active()
                 .select_related("step").order_by("step__position", "kind", "position", "pk")):
        current.setdefault((item.step.key, item.kind), []).append(item)
    file_keys = {entry.key for step in data.steps for name in ITEM_LISTS for entry in getattr(step, name)}
    known = {item.key for items in current.values() for item in items}
    adopted = 0
    for step in data.steps:
        for name in ITEM_LISTS:
            entries, items = getattr(step, name), current.get((step.key, LIST_KINDS[name]), [])
            for place, entry in enumerate(entries):
                if entry.key in known or place >= len(items) or (only is not None and id(entry) not in only):
                    continue
                old = items[place]
                if old.key in file_keys:
                    continue  # still in the file: not the one this replaces
                if (entry.url and entry.url == old.url) or _like(entry.title, old.title):
                    file_keys.add(old.key)
                    entry.key = old.key
                    adopted += 1
    return adopted


def _like(one: str, other: str) -> bool:
    return SequenceMatcher(None, one.casefold(), other.casefold()).ratio() >= LIKE
