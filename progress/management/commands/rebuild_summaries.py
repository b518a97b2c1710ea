"""Rebuild learners' step summaries from the raw rows (repairs; after content
was changed outside the admin and the importer, e.g. from a shell)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from progress import summaries
from roadmaps.models import Roadmap


class Command(BaseCommand):
    help = "Rebuild the learners' step summaries (EnrolmentStep) and kept pause days from their raw rows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--roadmap", metavar="SLUG", help="only the learners of this roadmap")

    def handle(self, *args, roadmap: str | None = None, **options) -> None:
        if roadmap:
            found = Roadmap.objects.filter(slug=roadmap).first()
            if found is None:
                raise CommandError(_("No roadmap with the slug %(slug)s.") % {"slug": repr(roadmap)})
            count = summaries.rebuild(roadmap_id=found.pk)
        else:
            count = summaries.rebuild()
        self.stdout.write(
            ngettext("Rebuilt the summaries of %(count)d enrolment.", "Rebuilt the summaries of %(count)d enrolments.",
                     count)
            % {"count": count}
        )
