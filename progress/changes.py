"""What changed on a roadmap since the learner last looked.

Items an editor added, and items renamed (with the name the learner knew),
after `Enrolment.changes_since` — when they pressed "Mark as seen", or when
they enrolled. The roadmap page and the plan read them from the roadmap's
cached facts (`RoadmapFacts.recent_changes`: the items created or renamed in
the last weeks, the same for every reader); the dashboard counts them in one
query, only for roadmaps edited since the learner looked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from roadmaps.models import Item


@dataclass
class ContentChanges:
    added: set[int] = field(default_factory=set)  # item pks
    renamed: dict[int, str] = field(default_factory=dict)  # item pk → the title before

    def __bool__(self) -> bool:
        return bool(self.added or self.renamed)


def changes_for(enrolment, recent_changes) -> ContentChanges:
    """From the cached (pk, created_at, renamed_at, previous_title) tuples."""
    since = enrolment.changes_since
    changes = ContentChanges()
    for pk, created_at, renamed_at, previous_title in recent_changes:
        if created_at > since:
            changes.added.add(pk)
        elif renamed_at is not None and renamed_at > since and previous_title:
            changes.renamed[pk] = previous_title
    return changes


@dataclass(frozen=True)
class ChangeCounts:
    added: int
    renamed: int


def count_changes(enrolments) -> dict[int, ChangeCounts]:
    """enrolment pk → what changed since the learner looked, for the
    enrolments whose roadmap was edited since: one query, none when none was.

    The query reads only the items added or renamed since the earliest of
    those looks (few: what editors changed lately), and each is counted for
    its roadmap here — a condition per enrolment inside COUNT(... FILTER)
    cost more to build than the query took to run."""
    edited = {e.roadmap_id: e for e in enrolments if e.roadmap.updated_at and e.roadmap.updated_at > e.changes_since}
    if not edited:
        return {}
    oldest = min(e.changes_since for e in edited.values())
    # Two halves, each on its own index (roadmap, created_at / renamed_at):
    # with an OR the database read every item of the roadmaps.
    items = Item.objects.active().filter(roadmap_id__in=edited).order_by()
    added_lately = items.filter(created_at__gt=oldest)
    renamed_lately = items.filter(renamed_at__gt=oldest, created_at__lte=oldest)
    rows = added_lately.values_list("roadmap_id", "created_at", "renamed_at").union(
        renamed_lately.values_list("roadmap_id", "created_at", "renamed_at"), all=True
    )
    added: dict[int, int] = defaultdict(int)
    renamed: dict[int, int] = defaultdict(int)
    for roadmap_id, created_at, renamed_at in rows:
        since = edited[roadmap_id].changes_since
        if created_at > since:
            added[roadmap_id] += 1
        elif renamed_at is not None and renamed_at > since:
            renamed[roadmap_id] += 1
    return {
        e.pk: ChangeCounts(added[roadmap_id], renamed[roadmap_id])
        for roadmap_id, e in edited.items() if added[roadmap_id] or renamed[roadmap_id]
    }
