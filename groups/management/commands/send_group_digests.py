"""Email each study-group organiser last week's digest of their group, once.

Run it hourly from cron (see the README): an organiser's week ends at their
own midnight, so the digest goes out soon after it. Idempotent: running it
again, or two copies at once, sends nothing twice (see groups.digest).
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from groups.digest import digests_send


class Command(BaseCommand):
    help = "Email organisers the weekly digest of their study groups (each week once)."

    def handle(self, *args, **options) -> None:
        sent = digests_send()
        self.stdout.write(
            ngettext("Sent %(count)d group digest.", "Sent %(count)d group digests.", sent) % {"count": sent}
        )
