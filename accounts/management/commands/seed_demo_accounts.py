"""Create (or reset) the demo accounts that `make run` prints, with verified
email addresses so they can sign in straight away: an editor, a learner who
starts from nothing, and Dana, whom `manage.py seed_demo_progress` then
puts two weeks into a roadmap."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User

DEMO_PASSWORD = "waymark-demo"
DEMO_ACCOUNTS = [
    {"email": "editor@example.com", "display_name": "Demo Editor", "is_staff": True, "group": "Editors"},
    {"email": "learner@example.com", "display_name": "Demo Learner", "is_staff": False, "group": None},
    # Her goal is her roadmap's pace (on creation only: what she sets later stays).
    {"email": "dana@example.com", "display_name": "Dana", "is_staff": False, "group": None,
     "defaults": {"weekly_hours_goal": 6}},
]


class Command(BaseCommand):
    help = "Create the demo editor and learner accounts (development only)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo accounts are for local development; WAYMARK_ENV is production.")
        for spec in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(email=spec["email"], defaults=spec.get("defaults", {}))
            user.display_name = spec["display_name"]
            user.is_staff = spec["is_staff"]
            user.set_password(DEMO_PASSWORD)
            user.save()
            # Verified at once, so the demo accounts can sign in without the
            # email round trip that mandatory verification asks of new learners.
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
            if spec["group"]:
                user.groups.add(Group.objects.get(name=spec["group"]))
            self.stdout.write(f"  {spec['email']:<22} password: {DEMO_PASSWORD}")
