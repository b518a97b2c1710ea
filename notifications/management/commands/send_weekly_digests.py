"""Queue "Your week on Waymark" for every learner whose digest day it is.

Run it hourly from cron (see the README): each learner's day begins at
their own midnight. Idempotent: each learner-week is claimed in the database
(a unique row) before its digest is queued, so a second run, or two copies
at once on two machines, queues nothing twice.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from notifications.digest import digests_enqueue


class Command(BaseCommand):
    help = "Queue the weekly digest for learners whose chosen weekday it is (once per learner-week)."

    def handle(self, *args, **options) -> None:
        queued = digests_enqueue()
        self.stdout.write(
            ngettext("Queued %(count)d weekly digest.", "Queued %(count)d weekly digests.", queued) % {"count": queued}
        )
