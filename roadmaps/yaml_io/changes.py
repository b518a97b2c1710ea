"""What importing a file would change in the roadmap it updates, read before
anything is written: items added, renamed, moved and retired, steps added
and removed, and how many learners each change touches.

"Learners touched" counts the enrolments that have a progress row on the
item (rows are made when a learner first marks it), read through the
reverse relation `Item.learner_progress`, so that content does not import
learner state. Counting is one aggregate query for the whole roadmap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext, ngettext_lazy

from roadmaps.models import Item, ItemKind, Roadmap, Step
from roadmaps.yaml_io.schema import RoadmapIn

ITEM_LISTS = {"topics": ItemKind.TOPIC, "resources": ItemKind.RESOURCE, "projects": ItemKind.PROJECT,
              "checkpoints": ItemKind.CHECKPOINT}


@dataclass(frozen=True)
class Change:
    key: str
    title: str
    detail: str = ""  # "“Old” → “New”", "step “A” → step “B”"
    learners: int = 0


@dataclass
class ChangePlan:
    slug: str
    title: str
    exists: bool
    step_count: int = 0
    item_count: int = 0
    added: list[Change] = field(default_factory=list)
    restored: list[Change] = field(default_factory=list)
    renamed: list[Change] = field(default_factory=list)
    moved: list[Change] = field(default_factory=list)
    retired: list[Change] = field(default_factory=list)
    steps_added: list[Change] = field(default_factory=list)
    steps_removed: list[Change] = field(default_factory=list)
    # What the file holds, step by step: (title, {kind label: count}, hours given).
    outline: list[tuple[str, dict[str, int], Decimal]] = field(default_factory=list)

    # Each group's heading with its count ("1 item retired", "2 items retired").
    GROUPS = (
        ("steps_added", ngettext_lazy("%(count)s step added", "%(count)s steps added", "count")),
        ("steps_removed", ngettext_lazy("%(count)s step removed (its items are retired)",
                                        "%(count)s steps removed (their items are retired)", "count")),
        ("added", ngettext_lazy("%(count)s item added", "%(count)s items added", "count")),
        ("restored", ngettext_lazy("%(count)s retired item back on the roadmap",
                                   "%(count)s retired items back on the roadmap", "count")),
        ("renamed", ngettext_lazy("%(count)s item renamed", "%(count)s items renamed", "count")),
        ("moved", ngettext_lazy("%(count)s item moved to another step or kind",
                                "%(count)s items moved to another step or kind", "count")),
        ("retired", ngettext_lazy("%(count)s item retired (hidden; learners' records kept)",
                                  "%(count)s items retired (hidden; learners' records kept)", "count")),
    )

    @property
    def groups(self) -> list[tuple[str, list[Change]]]:
        """(heading, changes) of each group that has some."""
        return [
            (heading % {"count": len(getattr(self, name))}, getattr(self, name))
            for name, heading in self.GROUPS if getattr(self, name)
        ]

    @property
    def has_changes(self) -> bool:
        return bool(self.groups)

    @property
    def learners_touched(self) -> int:
        """Progress rows on items that are retired or moved: the changes a learner notices."""
        return sum(change.learners for change in self.retired + self.moved + self.renamed)

    def lines(self, *, limit: int = 20) -> list[str]:
        """The plan as text, for the command's output."""
        head = f"{self.slug}: {self.step_count} step{'s' * (self.step_count != 1)}, " \
               f"{self.item_count} item{'s' * (self.item_count != 1)}"
        if not self.exists:
            return [f"{head} (new roadmap)", *self.outline_lines(limit=limit)]
        if not self.has_changes:
            return [f"{head}; no item or step added, renamed, moved or retired"]
        lines = [f"{head}; changes to the existing roadmap:"]
        for label, changes in self.groups:
            lines.append(f"  {label}:")
            for change in changes[:limit]:
                detail = f" — {change.detail}" if change.detail else ""
                who = f" [{change.learners} learner{'s' * (change.learners != 1)}]" if change.learners else ""
                lines.append(f"    {change.key} “{change.title}”{detail}{who}")
            if len(changes) > limit:
                lines.append(f"    … and {len(changes) - limit} more")
        return lines


    def outline_lines(self, *, limit: int) -> list[str]:
        lines = []
        for title, counts, hours in self.outline[:limit]:
            what = ", ".join(f"{n} {label if n != 1 else label[:-1]}" for label, n in counts.items() if n)
            what = what or "no items"
            lines.append(f"  step “{title}”: {what}" + (f", {hours.normalize():f} h" if hours else ""))
        if len(self.outline) > limit:
            lines.append(f"  … and {len(self.outline) - limit} more steps")
        return lines


def _outline(data: RoadmapIn) -> list[tuple[str, dict[str, int], Decimal]]:
    from roadmaps.yaml_io.writer import placed_items

    kinds = {kind: name for name, kind in ITEM_LISTS.items()}
    rows = []
    for step in data.steps:
        placed = placed_items(step)
        counts = {name: sum(1 for kind, *_ in placed if kinds[kind] == name) for name in ITEM_LISTS}
        hours = step.hours or sum((entry.hours for _, _, entry, _ in placed if entry.hours), Decimal(0))
        rows.append((step.title, counts, hours))
    return rows


def _file_items(data: RoadmapIn) -> list[tuple[str | None, str, str, str]]:
    """(step key, kind, key, title) of every item the file lists (subtopics
    and a topic's resources included)."""
    from roadmaps.yaml_io.writer import placed_items

    found = []
    for step in data.steps:
        found += [(step.key, kind, entry.key, entry.title) for kind, _, entry, _ in placed_items(step)]
    found += [(None, kind, entry.key, entry.title) for kind, _, entry, _ in placed_items(data)]
    return found


def plan_changes(data: RoadmapIn) -> ChangePlan:
    """What importing `data` would do, in three queries, writing nothing."""
    wanted = _file_items(data)
    plan = ChangePlan(slug=data.slug, title=data.title, exists=False, step_count=len(data.steps),
                      item_count=len(wanted), outline=_outline(data))
    roadmap = Roadmap.objects.filter(slug=data.slug).first()
    if roadmap is None:
        return plan
    plan.exists = True
    steps = {step.key: step for step in Step.objects.filter(roadmap=roadmap)}
    step_titles = {step.pk: step.title for step in steps.values()}
    current = {
        row["key"]: row
        for row in Item.objects.filter(roadmap=roadmap)
        .annotate(learners=Count("learner_progress__enrolment", distinct=True))
        .values("key", "title", "kind", "step_id", "step__key", "retired_at", "learners")
    }
    file_steps = {entry.key: entry for entry in data.steps}
    plan.steps_added = [Change(entry.key, entry.title) for entry in data.steps if entry.key not in steps]
    plan.steps_removed = [Change(key, step.title) for key, step in steps.items() if key not in file_steps]

    def where(step_key: str | None, kind: str) -> str:
        title = None
        if step_key is not None:
            title = file_steps[step_key].title if step_key in file_steps else step_key
        return place(kind, title)

    seen = set()
    for step_key, kind, key, title in wanted:
        seen.add(key)
        row = current.get(key)
        if row is None:
            plan.added.append(Change(key, title, where(step_key, kind)))
            continue
        learners = row["learners"]
        if row["retired_at"] is not None:
            plan.restored.append(Change(key, title, where(step_key, kind), learners))
            continue
        if row["title"] != title:
            plan.renamed.append(Change(key, title, gettext("was “%(title)s”") % {"title": row["title"]}, learners))
        if row["step__key"] != step_key or row["kind"] != kind:
            before = place(row["kind"], step_titles[row["step_id"]] if row["step_id"] else None)
            plan.moved.append(Change(key, title, f"{before} → {where(step_key, kind)}", learners))
    plan.retired = [
        Change(key, row["title"], "", row["learners"])
        for key, row in current.items()
        if key not in seen and row["retired_at"] is None
    ]
    return plan


def place(kind: str, step_title: str | None) -> str:
    """Where an item is: “topic in step “Basics”” or “roadmap-wide topic”."""
    label = ItemKind(kind).label.lower()
    if step_title is None:
        return gettext("roadmap-wide %(kind)s") % {"kind": label}
    return gettext("%(kind)s in step “%(step)s”") % {"kind": label, "step": step_title}
