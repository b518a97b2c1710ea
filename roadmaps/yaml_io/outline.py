"""Placeholder: the Markdown outline importer."""

from __future__ import annotations

from roadmaps.yaml_io.errors import RoadmapImportError


def outline_to_data(text: str, *, source: str):
    raise RoadmapImportError(source, "", "a Markdown file needs YAML front matter between two “---” lines")


def outline_path(path: str) -> str:
    return path
