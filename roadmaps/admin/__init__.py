"""Roadmap authoring in the Django admin (editors are staff in the "Editors" group)."""

from roadmaps.admin.roadmap import RetrospectivePromptAdmin, RoadmapAdmin, TagAdmin
from roadmaps.admin.step import StepAdmin

__all__ = ["RoadmapAdmin", "RetrospectivePromptAdmin", "StepAdmin", "TagAdmin"]
