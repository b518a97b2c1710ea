"""Queue again the emails whose task was lost, and tidy the outbox.

Run it from cron every ten minutes (see the README). A row still queued
half an hour after it was due lost its task (a worker died holding it, or
TASK_BACKEND=immediate could not wait for a retry); queuing it again is
safe, since a worker claims the row before sending. Rows a worker left
"sending" are only counted: they may have gone, so they are never resent.
"""

from django.core.management.base import BaseCommand

from notifications.outbox import emails_sweep


class Command(BaseCommand):
    help = "Queue again emails whose task was lost; delete old sent ones (safe to run any time)."

    def handle(self, *args, **options) -> None:
        sweep = emails_sweep()
        self.stdout.write(
            f"Queued {sweep.requeued} email{'' if sweep.requeued == 1 else 's'} again; "
            f"{sweep.stuck} left sending by a stopped worker (not resent); {sweep.pruned} old rows deleted."
        )
