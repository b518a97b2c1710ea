"""Everything the roadmap page shows, loaded in a fixed number of queries.

`load_roadmap_content` reads the whole roadmap in three queries (steps, items,
and the small tables in one round trip: pace plans, guidance, metrics,
prompts, tags; see `side_tables`) and groups rows in Python, so the page
costs the same number of queries for 5 items or 2,000.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from roadmaps.hours import CONTAINER, default_plan, item_hours, roles_of
from roadmaps.models import (
    Guidance,
    GuidanceKind,
    Item,
    ItemKind,
    MetricDefinition,
    PacePlan,
    RetrospectivePrompt,
    Roadmap,
    Step,
    Tag,
)
from roadmaps.querysets import effective_prompts
from roadmaps.side_tables import load_side_tables

# The heading of each kind's list in a step, in the reader's language.
KIND_HEADINGS = {
    ItemKind.TOPIC: _("Topics"), ItemKind.RESOURCE: _("Resources"),
    ItemKind.PROJECT: _("Projects"), ItemKind.CHECKPOINT: _("Checkpoints"),
}


@dataclass
class ItemNode:
    """An item as the page lists it when its step has structure: a topic
    with its subtopics and its own resources (both empty for other kinds)."""

    item: Item
    subtopics: list = field(default_factory=list)  # ItemNode | Alternatives
    resources: list[Item] = field(default_factory=list)
    is_alternatives = False

    @property
    def has_subtopics(self) -> bool:
        return bool(self.subtopics)

    @property
    def subtopic_count(self) -> int:
        return sum(len(entry.nodes) if entry.is_alternatives else 1 for entry in self.subtopics)


@dataclass
class Alternatives:
    """Consecutive alternatives of one group: "Pick one: Relational database"."""

    name: str
    nodes: list[ItemNode]
    is_alternatives = True


@dataclass
class HeadingBlock:
    heading: str  # "" for topics under no heading
    entries: list  # ItemNode | Alternatives


def _with_alternatives(nodes: list[ItemNode]) -> list:
    """`nodes` with each run of alternatives of one group in an Alternatives box."""
    entries: list = []
    for node in nodes:
        item = node.item
        last = entries[-1] if entries else None
        if item.alternative_group and last is not None and last.is_alternatives and last.name == item.alternative_group:
            last.nodes.append(node)
        elif item.alternative_group:
            entries.append(Alternatives(name=item.alternative_group, nodes=[node]))
        else:
            entries.append(node)
    return entries


@dataclass
class ItemGroup:
    """The items of one step (or of the roadmap as a whole), by kind."""

    topics: list[Item] = field(default_factory=list)
    resources: list[Item] = field(default_factory=list)
    projects: list[Item] = field(default_factory=list)
    checkpoints: list[Item] = field(default_factory=list)

    def add(self, item: Item) -> None:
        getattr(self, f"{item.kind}s").append(item)

    @property
    def all(self) -> list[Item]:
        return self.topics + self.resources + self.projects + self.checkpoints

    # Read several times a render (the step header, the totals, the timeline):
    # computed once. The lists are complete before anything reads them.
    @cached_property
    def hours(self) -> Decimal:
        """What the items add up to, by the plan's own rule (roadmaps.hours):
        before a learner chooses, core items and the first of each group of
        alternatives; never a topic that has subtopics."""
        items = default_plan(self.all) if self.is_structured else self.all
        return sum((item_hours(item.kind, item.estimated_hours) for item in items), Decimal(0))

    @cached_property
    def optional_hours(self) -> Decimal:
        """The hours of what a plan leaves out until a learner takes it up:
        optional items and the other alternatives."""
        if not self.is_structured:
            return Decimal(0)
        counted = {item.pk for item in default_plan(self.all)}
        roles = roles_of(self.all)
        return sum(
            (item_hours(item.kind, item.estimated_hours) for item in self.all
             if item.pk not in counted and roles[item.pk] != CONTAINER),
            Decimal(0),
        )

    def __bool__(self) -> bool:
        return bool(self.all)

    @property
    def sections(self) -> list[tuple[str, str, list[Item]]]:
        """(heading, kind, items) for each kind this group has, in page order."""
        kinds = (
            (KIND_HEADINGS[ItemKind.TOPIC], ItemKind.TOPIC, self.topics),
            (KIND_HEADINGS[ItemKind.RESOURCE], ItemKind.RESOURCE, self.resources),
            (KIND_HEADINGS[ItemKind.PROJECT], ItemKind.PROJECT, self.projects),
            (KIND_HEADINGS[ItemKind.CHECKPOINT], ItemKind.CHECKPOINT, self.checkpoints),
        )
        return [(heading, str(kind), items) for heading, kind, items in kinds if items]

    @property
    def count(self) -> int:
        return len(self.topics) + len(self.resources) + len(self.projects) + len(self.checkpoints)

    @cached_property
    def is_structured(self) -> bool:
        """Whether any item has a status, a parent or a heading: only then is
        the group listed as a tree (a flat list renders faster)."""
        return any(item.parent_id or item.heading or item.status != "core" for item in self.all)

    def _tree(self) -> tuple[list[ItemNode], list[Item]]:
        """The top-level topics as nodes (subtopics and resources under them),
        and the resources that belong to no topic of this group."""
        topics = {item.pk: ItemNode(item) for item in self.topics}
        top: list[ItemNode] = []
        for item in self.topics:
            parent = topics.get(item.parent_id)
            if parent is not None and parent.item.parent_id is None:
                parent.subtopics.append(topics[item.pk])
            else:
                top.append(topics[item.pk])
        loose: list[Item] = []
        for item in self.resources:
            parent = topics.get(item.parent_id)
            (parent.resources if parent is not None else loose).append(item)
        for node in top:
            node.subtopics = _with_alternatives(node.subtopics)
        return top, loose

    @property
    def tree_sections(self) -> list[tuple[str, str, list[HeadingBlock]]]:
        """(heading, kind, blocks) for each kind, in page order: topics in
        blocks by heading, each a list of nodes and boxes of alternatives;
        the resources of no topic; projects and checkpoints."""
        top, loose = self._tree()
        topic_blocks: list[HeadingBlock] = []
        for node in top:
            if topic_blocks and topic_blocks[-1].heading == node.item.heading:
                topic_blocks[-1].entries.append(node)
            else:
                topic_blocks.append(HeadingBlock(node.item.heading, [node]))
        for block in topic_blocks:
            block.entries = _with_alternatives(block.entries)
        def flat(items: list[Item]) -> list[HeadingBlock]:
            return [HeadingBlock("", _with_alternatives([ItemNode(item) for item in items]))]

        kinds = (
            (KIND_HEADINGS[ItemKind.TOPIC], ItemKind.TOPIC, topic_blocks),
            (KIND_HEADINGS[ItemKind.RESOURCE], ItemKind.RESOURCE, flat(loose)),
            (KIND_HEADINGS[ItemKind.PROJECT], ItemKind.PROJECT, flat(self.projects)),
            (KIND_HEADINGS[ItemKind.CHECKPOINT], ItemKind.CHECKPOINT, flat(self.checkpoints)),
        )
        return [(heading, str(kind), blocks) for heading, kind, blocks in kinds
                if any(block.entries for block in blocks)]

    @property
    def subtopics_of(self) -> dict[int, tuple[int, ...]]:
        """Each topic that has subtopics → their pks (the learner's "2 of 3 done")."""
        if not self.is_structured:
            return {}
        found: dict[int, list[int]] = defaultdict(list)
        topics = {item.pk: item for item in self.topics}
        for item in self.topics:
            parent = topics.get(item.parent_id)
            if parent is not None and parent.parent_id is None:
                found[parent.pk].append(item.pk)
        return {pk: tuple(children) for pk, children in found.items()}

    @property
    def counts(self) -> list[str]:
        """“3 topics”, “1 resource”… for the kinds this group has."""
        # Lazy plurals keyed on "count": the number picks the form when formatted.
        return [
            words % {"count": len(items)}
            for words, items in (
                (ngettext_lazy("%(count)d topic", "%(count)d topics", "count"), self.topics),
                (ngettext_lazy("%(count)d resource", "%(count)d resources", "count"), self.resources),
                (ngettext_lazy("%(count)d project", "%(count)d projects", "count"), self.projects),
                (ngettext_lazy("%(count)d checkpoint", "%(count)d checkpoints", "count"), self.checkpoints),
            )
            if items
        ]


@dataclass
class StepContent:
    step: Step
    items: ItemGroup
    first_week: int | None = None
    last_week: int | None = None

    @property
    def hours(self) -> Decimal:
        # From the items, never the step's stated figure: the header and the
        # learner's plan must agree (the admin warns when the two differ).
        return self.items.hours

    @property
    def optional_hours(self) -> Decimal:
        return self.items.optional_hours

    @property
    def stated_hours_differ(self) -> bool:
        return bool(self.step.estimated_hours) and self.step.estimated_hours != self.items.hours

    @property
    def bar_start(self) -> int | None:
        """Offset of the step's first week on the timeline (0-based), for its SVG bar."""
        return None if self.first_week is None else self.first_week - 1

    @property
    def is_long(self) -> bool:
        """Long item lists start folded (in a <details>) so the page stays scannable."""
        return self.items.count > LONG_STEP_ITEMS


# A step with more items than this shows them folded until the reader opens them.
LONG_STEP_ITEMS = 24

GUIDANCE_HEADINGS = {
    GuidanceKind.TIP: _("Tips"),
    GuidanceKind.MISTAKE: _("Common mistakes"),
    GuidanceKind.QUICK_WIN: _("Quick wins"),
    GuidanceKind.LEVERAGE: _("Leverage moves"),
    GuidanceKind.NEXT_STEP: _("Next steps"),
}


@dataclass
class GuidanceList:
    kind: str
    heading: str
    entries: list[Guidance]


@dataclass
class RoadmapContent:
    roadmap: Roadmap
    steps: list[StepContent]
    general: ItemGroup
    pace_plans: list[PacePlan]
    guidance: dict[str, list[Guidance]]
    schedule: list[Guidance]
    metrics: list[MetricDefinition]
    prompts: list[RetrospectivePrompt]
    tags: list[Tag] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        return [item for step in self.steps for item in step.items.all] + self.general.all

    @property
    def total_hours(self) -> Decimal:
        return sum((step.hours for step in self.steps), Decimal(0)) + self.general.hours

    def items_added_after(self, moment) -> int:
        """How many active items were added after `moment` ("n items added
        since you enrolled")."""
        return sum(1 for item in self.items if item.created_at > moment)

    @property
    def checkpoints_by_week(self) -> list[tuple[int, list[Item]]]:
        weeks: dict[int, list[Item]] = defaultdict(list)
        for item in self.items:
            if item.kind == ItemKind.CHECKPOINT and item.week:
                weeks[item.week].append(item)
        return sorted(weeks.items())

    @property
    def total_weeks(self) -> int:
        """The length of the timeline: the steps' weeks, or the roadmap's own duration if longer."""
        step_weeks = max((step.last_week or 0 for step in self.steps), default=0)
        return max(step_weeks, self.roadmap.duration_weeks or 0)

    @property
    def weekly_schedule(self) -> list[Guidance]:
        """The suggested typical week (schedule entries not tied to a week)."""
        return [entry for entry in self.schedule if entry.week is None]

    @property
    def weekly_schedule_hours(self) -> Decimal:
        return sum((entry.hours or Decimal(0) for entry in self.weekly_schedule), Decimal(0))

    @property
    def sample_flow(self) -> list[tuple[int, list[Guidance]]]:
        """A sample day-by-day flow of the first weeks, grouped by week."""
        weeks: dict[int, list[Guidance]] = defaultdict(list)
        for entry in self.schedule:
            if entry.week is not None:
                weeks[entry.week].append(entry)
        return sorted(weeks.items())

    @property
    def guidance_lists(self) -> list[GuidanceList]:
        return [
            GuidanceList(kind=kind, heading=heading, entries=self.guidance[kind])
            for kind, heading in GUIDANCE_HEADINGS.items()
            if self.guidance.get(kind)
        ]

    @property
    def item_count(self) -> int:
        return sum(step.items.count for step in self.steps) + self.general.count

    @property
    def guidance_sections(self) -> list[tuple[str, list[Guidance]]]:
        labels = dict(GuidanceKind.choices)
        return [
            (labels[kind], self.guidance[kind])
            for kind in GuidanceKind.values
            if kind != GuidanceKind.SCHEDULE and self.guidance.get(kind)
        ]


def _place_steps_in_weeks(steps: list[StepContent]) -> None:
    """Give each step with a duration its span of roadmap weeks, in order."""
    week = 1
    for content in steps:
        if content.step.duration_weeks:
            content.first_week = week
            content.last_week = week + content.step.duration_weeks - 1
            week = content.last_week + 1


def load_roadmap_content(roadmap: Roadmap) -> RoadmapContent:
    steps = list(Step.objects.filter(roadmap=roadmap).order_by("position"))
    by_step = {step.pk: StepContent(step=step, items=ItemGroup()) for step in steps}
    general = ItemGroup()
    for item in Item.objects.filter(roadmap=roadmap).active().order_by("kind", "position", "pk"):
        (by_step[item.step_id].items if item.step_id else general).add(item)

    side = load_side_tables(roadmap)
    guidance: dict[str, list[Guidance]] = defaultdict(list)
    for entry in side[Guidance]:
        guidance[entry.kind].append(entry)

    step_contents = [by_step[step.pk] for step in steps]
    _place_steps_in_weeks(step_contents)
    return RoadmapContent(
        roadmap=roadmap,
        steps=step_contents,
        general=general,
        pace_plans=side[PacePlan],
        guidance=dict(guidance),
        schedule=guidance.get(GuidanceKind.SCHEDULE, []),
        metrics=side[MetricDefinition],
        # The roadmap's own prompts override the global default set.
        prompts=effective_prompts(side[RetrospectivePrompt], roadmap.pk),
        tags=side[Tag],
    )
