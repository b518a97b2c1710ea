"""Email every learner whose retrospective has fallen due, exactly once.

Run it from cron (see the README). One email per due retrospective: the
latest period of each active enrolment, for learners with email reminders on.
Idempotent: running it again, or two copies at once, sends nothing twice
(see `services.reminder_claim`).
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from retrospectives.services import reminders_send


class Command(BaseCommand):
    help = "Email learners whose retrospective is due (each reminder is sent once)."

    def handle(self, *args, **options) -> None:
        sent = reminders_send()
        self.stdout.write(
            ngettext("Sent %(count)d retrospective reminder.", "Sent %(count)d retrospective reminders.", sent)
            % {"count": sent}
        )
