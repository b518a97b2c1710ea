"""Learner state: enrolments, item progress, tailoring, study log and metrics.

Foreign keys to roadmap content (Item, Roadmap, MetricDefinition) PROTECT:
deleting content must never silently delete what a learner wrote. Editors
remove items by retiring them (`Item.retired_at`), which keeps these rows.
Foreign keys to the user CASCADE, so "delete my account" removes it all.

One module per concern, all importable from `progress.models` as Django
expects: `enrolment` (enrolments, pauses, plan repairs), `items` (item
states, milestones, the kept per-step summaries), `studylog` (study entries,
planned breaks, metric entries).
"""

from progress.models.enrolment import (
    HOURS_PER_WEEK_MAX,
    HOURS_PER_WEEK_MIN,
    Enrolment,
    EnrolmentPause,
    EnrolmentStatus,
    PlanRepair,
    RepairKind,
)
from progress.models.items import STATE_BADGES, EnrolmentStep, ItemProgress, ItemState, Milestone, RoadmapLearnerStats
from progress.models.studylog import MINUTES_MAX, MetricEntry, PlannedBreak, StudyEntry

__all__ = [
    "HOURS_PER_WEEK_MAX", "HOURS_PER_WEEK_MIN", "MINUTES_MAX", "STATE_BADGES", "Enrolment", "EnrolmentPause",
    "EnrolmentStatus", "EnrolmentStep", "ItemProgress", "ItemState", "MetricEntry", "Milestone", "PlanRepair",
    "PlannedBreak", "RepairKind", "RoadmapLearnerStats", "StudyEntry",
]
