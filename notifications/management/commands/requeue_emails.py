"""Queue again the emails whose task was lost, and tidy the outbox.

Run it from cron every ten minutes (see the README). A row still queued
half an hour after it was due lost its task (a worker died holding it, or
TASK_BACKEND=immediate could not wait for a retry); queuing it again is
safe, since a worker claims the row before sending. Rows a worker left
"sending" are only counted: they may have gone, so they are never resent.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext, pgettext

from notifications.outbox import emails_sweep


class Command(BaseCommand):
    help = "Queue again emails whose task was lost; delete old sent ones (safe to run any time)."

    def handle(self, *args, **options) -> None:
        sweep = emails_sweep()
        # One sentence, each count in its own plural form.
        requeued = ngettext("Queued %(count)d email again", "Queued %(count)d emails again", sweep.requeued) % {
            "count": sweep.requeued
        }
        stuck = ngettext(
            "%(count)d left sending by a stopped worker (not resent)",
            "%(count)d left sending by a stopped worker (not resent)", sweep.stuck,
        ) % {"count": sweep.stuck}
        pruned = ngettext("%(count)d old row deleted", "%(count)d old rows deleted", sweep.pruned) % {
            "count": sweep.pruned
        }
        self.stdout.write(
            pgettext("requeue_emails output", "%(requeued)s; %(stuck)s; %(pruned)s.")
            % {"requeued": requeued, "stuck": stuck, "pruned": pruned}
        )
