"""Roadmap YAML import and export (the format is described in docs/roadmap-yaml.md)."""

from roadmaps.yaml_io.errors import RoadmapImportError
from roadmaps.yaml_io.exporter import export_roadmap
from roadmaps.yaml_io.importer import import_roadmap_paths, import_roadmap_text

__all__ = ["RoadmapImportError", "export_roadmap", "import_roadmap_paths", "import_roadmap_text"]
