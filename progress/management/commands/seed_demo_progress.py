"""Put the demo learner Dana (`seed_demo_accounts`) two weeks into the first
featured roadmap, once: what she did since stays on later runs (development
only, like the accounts)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from progress.demo import enrol_two_weeks_in
from progress.models import Enrolment
from roadmaps.models import Roadmap

DEMO_LEARNER = "dana@example.com"


class Command(BaseCommand):
    help = "Enrol the demo learner dana@example.com two weeks into a roadmap (development only)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo progress is for local development; WAYMARK_ENV is production.")
        user = User.objects.filter(email=DEMO_LEARNER).first()
        if user is None:
            raise CommandError(f"No {DEMO_LEARNER}: run `manage.py seed_demo_accounts` first.")
        enrolment = Enrolment.objects.filter(user=user).select_related("roadmap").order_by("pk").first()
        if enrolment is None:
            roadmap = Roadmap.objects.published().order_by("-featured", "pk").first()
            if roadmap is None:
                raise CommandError("There is no published roadmap: import the demo content first.")
            enrolment = enrol_two_weeks_in(user, roadmap)
        self.stdout.write(f"  {DEMO_LEARNER} is two weeks into “{enrolment.roadmap.title}”.")
