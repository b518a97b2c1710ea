"""python manage.py import_roadmaps PATH [PATH…] — files or folders, all or nothing.

Before writing, it prints what each file holds and, for a roadmap that
exists already, what the import will change (items added, renamed, moved,
retired, with the learners each touches) and the warnings (what the Markdown
sanitiser drops, how an outline was read). `--check` stops there.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext

from roadmaps.yaml_io import RoadmapImportError
from roadmaps.yaml_io.changes import plan_changes
from roadmaps.yaml_io.importer import import_all, parse_paths


class Command(BaseCommand):
    help = (
        "Import roadmap files (YAML, Markdown with YAML front matter, or a plain Markdown outline). Folders "
        "are read for *.yaml, *.yml and *.md files (a .md without front matter in a folder is skipped). "
        "Everything is imported in one transaction: any error and nothing is."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="a roadmap file or a folder of them")
        parser.add_argument(
            "--check", action="store_true",
            help="validate and show what would change, write nothing",
        )
        parser.add_argument(
            "--outline", action="store_true",
            help="read the named Markdown files as outlines (# title, ## steps, list items as topics) "
                 "even if they start with front matter",
        )

    def handle(self, *args, paths: list[str], check: bool, outline: bool, **options) -> None:
        try:
            parsed = parse_paths(paths, outline=outline)
        except RoadmapImportError as error:
            raise CommandError(str(error)) from error
        for entry in parsed:
            for line in plan_changes(entry.data).lines():
                self.stdout.write(f"{entry.source}: {line}" if line.startswith(entry.data.slug) else line)
            for warning in entry.warnings:
                self.stdout.write(gettext("%(source)s: warning: %(warning)s") % {
                    "source": entry.source, "warning": warning})
        if check:
            self.stdout.write(ngettext("Checked %(count)s file; nothing written.",
                                       "Checked %(count)s files; nothing written.", len(parsed)) % {
                "count": len(parsed)})
            return
        try:
            imported = import_all(parsed)
        except RoadmapImportError as error:
            raise CommandError(str(error)) from error
        for roadmap, written in imported:
            if not written:
                self.stdout.write(gettext("Unchanged %(slug)s: nothing written") % {"slug": roadmap.slug})
                continue
            steps = roadmap.steps.count()
            items = roadmap.items.active().count()
            self.stdout.write(gettext("Imported %(slug)s (%(steps)s, %(items)s)") % {
                "slug": roadmap.slug,
                "steps": ngettext("%(count)s step", "%(count)s steps", steps) % {"count": steps},
                "items": ngettext("%(count)s item", "%(count)s items", items) % {"count": items},
            })
