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
from django.utils.translation import gettext, ngettext, ngettext_lazy

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
        """The plan as text, for the command's output (an editor reads it)."""
        head = gettext("%(slug)s: %(steps)s, %(items)s") % {
            "slug": self.slug,
            "steps": ngettext("%(count)s step", "%(count)s steps", self.step_count) % {"count": self.step_count},
            "items": ngettext("%(count)s item", "%(count)s items", self.item_count) % {"count": self.item_count},
        }
        if not self.exists:
            return [gettext("%(head)s (new roadmap)") % {"head": head}, *self.outline_lines(limit=limit)]
        if not self.has_changes:
            return [gettext("%(head)s; no item or step added, renamed, moved or retired") % {"head": head}]
        lines = [gettext("%(head)s; changes to the existing roadmap:") % {"head": head}]
        for label, changes in self.groups:
            lines.append(f"  {label}:")
            for change in changes[:limit]:
                line = gettext("%(key)s “%(title)s”") % {"key": change.key, "title": change.title}
                if change.detail:
                    line += f" — {change.detail}"
                if change.learners:
                    line += " " + ngettext("[%(count)s learner]", "[%(count)s learners]", change.learners) % {
                        "count": change.learners}
                lines.append(f"    {line}")
            if len(changes) > limit:
                lines.append("    " + gettext("… and %(count)s more") % {"count": len(changes) - limit})
        return lines

    def outline_lines(self, *, limit: int) -> list[str]:
        lines = []
        for title, counts, hours in self.outline[:limit]:
            what = ", ".join(KIND_COUNTS[name] % {"count": n} for name, n in counts.items() if n)
            what = what or gettext("no items")
            if hours:
                what = gettext("%(items)s, %(hours)s h") % {"items": what, "hours": f"{hours.normalize():f}"}
            lines.append("  " + gettext("step “%(title)s”: %(items)s") % {"title": title, "items": what})
        if len(self.outline) > limit:
            more = len(self.outline) - limit
            lines.append("  " + ngettext("… and %(count)s more step", "… and %(count)s more steps", more) % {
                "count": more})
        return lines


# How many of each kind a step of the file holds ("8 topics"), by list name.
KIND_COUNTS = {
    "topics": ngettext_lazy("%(count)s topic", "%(count)s topics", "count"),
    "resources": ngettext_lazy("%(count)s resource", "%(count)s resources", "count"),
    "projects": ngettext_lazy("%(count)s project", "%(count)s projects", "count"),
    "checkpoints": ngettext_lazy("%(count)s checkpoint", "%(count)s checkpoints", "count"),
}


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
