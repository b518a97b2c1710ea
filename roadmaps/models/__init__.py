"""The roadmaps app's models, one module per concern, all importable from
`roadmaps.models` as Django expects:

- `roadmap`: the roadmap, its steps and items, and their tags;
- `pacing`: the named pace plans and the guidance beside the items;
- `tracking`: the counters a roadmap defines and its retrospective prompts.
"""

from roadmaps.models.pacing import Guidance, GuidanceKind, PacePlan, Weekday
from roadmaps.models.roadmap import (
    CHILD_KINDS,
    KIND_ORDER,
    POSITIVE_HOURS,
    Item,
    ItemKind,
    ItemStatus,
    ResourceKind,
    Roadmap,
    SkillLevel,
    Status,
    Step,
    Tag,
    parse_weekly_goals,
    split_lines,
)
from roadmaps.models.tracking import MetricDefinition, RetrospectivePrompt

__all__ = [
    "CHILD_KINDS", "KIND_ORDER", "POSITIVE_HOURS", "Guidance", "GuidanceKind", "Item", "ItemKind", "ItemStatus",
    "MetricDefinition", "PacePlan", "ResourceKind", "RetrospectivePrompt", "Roadmap", "SkillLevel", "Status", "Step",
    "Tag", "Weekday", "parse_weekly_goals", "split_lines",
]
