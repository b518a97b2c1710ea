"""What changed on a roadmap since the learner last looked.

Items an editor added, and items renamed (with the name the learner knew),
after `Enrolment.changes_since` — when they pressed "Mark as seen", or when
they enrolled. The roadmap page and the plan read them from the roadmap's
cached facts (`RoadmapFacts.recent_changes`: the items created or renamed in
the last weeks, the same for every reader); the dashboard counts them in one
query, only for roadmaps edited since the learner looked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Q

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
    enrolments whose roadmap was edited since: one query, none when none was."""
    edited = [e for e in enrolments if e.roadmap.updated_at and e.roadmap.updated_at > e.changes_since]
    if not edited:
        return {}
    added = reduce(or_, (Q(roadmap_id=e.roadmap_id, created_at__gt=e.changes_since) for e in edited))
    renamed = reduce(or_, (
        Q(roadmap_id=e.roadmap_id, renamed_at__gt=e.changes_since, created_at__lte=e.changes_since) for e in edited
    ))
    rows = (
        Item.objects.active().filter(roadmap_id__in=[e.roadmap_id for e in edited])
        .values("roadmap_id").order_by()
        .annotate(added=Count("pk", filter=added), renamed=Count("pk", filter=renamed))
        .values_list("roadmap_id", "added", "renamed")
    )
    by_roadmap = {roadmap_id: ChangeCounts(a, r) for roadmap_id, a, r in rows if a or r}
    return {e.pk: by_roadmap[e.roadmap_id] for e in edited if e.roadmap_id in by_roadmap}
