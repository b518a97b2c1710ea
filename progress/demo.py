"""A learner two weeks into a roadmap, for the demo learner who shows a
dashboard with something on it (`manage.py seed_demo_progress`), the
README's screenshots and the browser tests: items done, skipped and in
progress, a week and more of study log, and a retrospective due."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from progress.items.services import item_progress_set_state
from progress.models import Enrolment, ItemState
from progress.schedule import local_today
from progress.studylog.services import study_entry_add
from roadmaps.models import Item

# (state, days ago) of the first items in reading order, dated back so that
# the first retrospective's period and the review cards count them.
DEMO_STATES = [
    (ItemState.DONE, 13), (ItemState.DONE, 10), (ItemState.DONE, 8), (ItemState.SKIPPED, 4),
    (ItemState.IN_PROGRESS, 2),
]
# (days ago, minutes): seven sessions over the two weeks.
DEMO_SESSIONS = [(0, 45), (1, 60), (2, 30), (4, 90), (8, 120), (9, 40), (15, 75)]


def enrol_two_weeks_in(user, roadmap) -> Enrolment:
    """Enrol `user` on `roadmap`, started 15 days ago at 6 h a week, with the
    first items settled and the sessions above logged (through the services,
    so the summaries and the review cards are as a learner's own)."""
    today = local_today(user.time_zone)
    enrolment = Enrolment.objects.create(
        user=user, roadmap=roadmap, hours_per_week=Decimal(6), start_date=today - timedelta(days=15)
    )
    items = list(Item.objects.filter(roadmap=roadmap).active().in_reading_order()[: len(DEMO_STATES)])
    now = timezone.now()
    for item, (state, days_ago) in zip(items, DEMO_STATES, strict=False):
        item_progress_set_state(enrolment=enrolment, item=item, state=state, at=now - timedelta(days=days_ago))
    for days_ago, minutes in DEMO_SESSIONS:
        study_entry_add(
            user=user, date=today - timedelta(days=days_ago), minutes=minutes, enrolment=enrolment,
            note="Evening session",
        )
    return enrolment
