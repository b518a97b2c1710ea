"""The importer's warnings about Markdown the sanitiser will change: one per
field, naming the place in the file (`steps[0].topics[2].body`), so an
editor sees what a converted page loses before learners do."""

from __future__ import annotations

from collections.abc import Iterator

from roadmaps.markdown import sanitiser_losses
from roadmaps.yaml_io.schema import RoadmapIn

ITEM_LISTS = ("topics", "resources", "projects", "checkpoints")
GUIDANCE_LISTS = ("tips", "mistakes", "quick_wins", "leverage", "next_steps")


def _markdown_fields(roadmap: RoadmapIn) -> Iterator[tuple[str, str]]:
    """(path, text) of every field rendered as Markdown."""
    yield "description", roadmap.description
    yield "audience", roadmap.audience
    for index, step in enumerate(roadmap.steps):
        yield f"steps[{index}].goal", step.goal
        yield from _items(step, f"steps[{index}].")
    yield from _items(roadmap, "")
    for index, entry in enumerate(roadmap.schedule):
        yield f"schedule[{index}].activity", entry.activity
    for name in GUIDANCE_LISTS:
        for index, entry in enumerate(getattr(roadmap.guidance, name)):
            yield f"guidance.{name}[{index}].body", entry.body


def _items(parent, prefix: str) -> Iterator[tuple[str, str]]:
    for name in ITEM_LISTS:
        for index, entry in enumerate(getattr(parent, name)):
            field = "description" if name == "projects" else "body"
            yield f"{prefix}{name}[{index}].{field}", getattr(entry, field)
            if name == "topics":  # subtopics and a topic's own resources
                yield from _items_under(entry, f"{prefix}{name}[{index}].")


def _items_under(topic, prefix: str) -> Iterator[tuple[str, str]]:
    for index, subtopic in enumerate(getattr(topic, "subtopics", [])):
        yield f"{prefix}subtopics[{index}].body", subtopic.body
        yield from _items_under(subtopic, f"{prefix}subtopics[{index}].")
    for index, resource in enumerate(topic.resources):
        yield f"{prefix}resources[{index}].body", resource.body


def markdown_warnings(roadmap: RoadmapIn) -> list[tuple[str, str]]:
    """(path, "the sanitiser …") for every field whose rendering drops something."""
    warnings = []
    for path, text in _markdown_fields(roadmap):
        losses = sanitiser_losses(text)
        if losses:
            warnings.append((path, "; ".join(losses)))
    return warnings
