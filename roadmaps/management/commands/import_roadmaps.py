"""python manage.py import_roadmaps PATH [PATH…] — files or folders, all or nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from roadmaps.yaml_io import RoadmapImportError, import_roadmap_paths


class Command(BaseCommand):
    help = (
        "Import roadmap files (YAML, or Markdown with YAML front matter). Folders are read for "
        "*.yaml, *.yml and *.md files. Everything is imported in one transaction: any error and nothing is."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="a roadmap file or a folder of them")

    def handle(self, *args, paths: list[str], **options) -> None:
        try:
            roadmaps = import_roadmap_paths(paths)
        except RoadmapImportError as error:
            raise CommandError(str(error)) from error
        for roadmap in roadmaps:
            steps = roadmap.steps.count()
            items = roadmap.items.active().count()
            self.stdout.write(
                f"Imported {roadmap.slug} ({steps} step{'s' * (steps != 1)}, {items} item{'s' * (items != 1)})"
            )
