"""python manage.py export_roadmap SLUG [-o FILE] — one roadmap as YAML."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from roadmaps.models import Roadmap
from roadmaps.yaml_io import export_roadmap


class Command(BaseCommand):
    help = "Write a roadmap (draft or published) as YAML, to standard output or to a file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

    def handle(self, *args, slug: str, output: str | None, **options) -> None:
        roadmap = Roadmap.objects.filter(slug=slug).first()
        if roadmap is None:
            raise CommandError(gettext("No roadmap with the slug %(slug)r.") % {"slug": slug})
        text = export_roadmap(roadmap)
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(
                    gettext("Cannot write %(file)s: %(error)s") % {"file": output, "error": error.strerror}
                ) from error
            self.stderr.write(gettext("Wrote %(slug)s to %(file)s") % {"slug": roadmap.slug, "file": output})
        else:
            self.stdout.write(text, ending="")
