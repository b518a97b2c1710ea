"""A learner two weeks into a roadmap, for the demo learner who shows a
dashboard with something on it (`manage.py seed_demo_progress`), the
README's screenshots and the browser tests: short items done, skipped and
in progress, a week and more of study log, a retrospective and (when a done
item is a topic) a review due."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from progress.items.services import item_progress_set_state
from progress.models import Enrolment, ItemState
from progress.schedule import local_today
from progress.studylog.services import study_entry_add
from roadmaps.models import Item, ItemStatus
from roadmaps.querysets import active_subtopics

# (state, days ago) of `demo_items`, dated back so that the first
# retrospective's period and the review cards count them.
DEMO_STATES = [
    (ItemState.DONE, 13), (ItemState.DONE, 10), (ItemState.DONE, 8), (ItemState.SKIPPED, 4),
    (ItemState.IN_PROGRESS, 2),
]
# (days ago, minutes): seven sessions over the two weeks.
DEMO_SESSIONS = [(0, 45), (1, 60), (2, 30), (4, 90), (8, 120), (9, 40), (15, 75)]


def demo_items(roadmap) -> list[Item]:
    """What a learner two weeks in has settled: the shortest core items of
    the roadmap's first step that has any with hours (ties in reading
    order), so that 6 h a week for two weeks roughly covers what is done."""
    core = (
        Item.objects.filter(roadmap=roadmap, status=ItemStatus.CORE, estimated_hours__isnull=False).active()
        .exclude(Exists(active_subtopics(OuterRef("pk"))))  # a topic with subtopics is ticked through them
    )
    first = core.order_by(F("step__position").asc(nulls_last=True)).values_list("step_id", flat=True).first()
    shortest = sorted(core.filter(step_id=first).in_reading_order(), key=lambda item: item.estimated_hours)
    return shortest[: len(DEMO_STATES)]


def enrol_two_weeks_in(user, roadmap) -> Enrolment:
    """Enrol `user` on `roadmap`, started 15 days ago at 6 h a week, with the
    `demo_items` settled and the sessions above logged (through the services,
    so the summaries and the review cards are as a learner's own)."""
    today = local_today(user.time_zone)
    enrolment = Enrolment.objects.create(
        user=user, roadmap=roadmap, hours_per_week=Decimal(6), start_date=today - timedelta(days=15)
    )
    items = demo_items(roadmap)
    now = timezone.now()
    for item, (state, days_ago) in zip(items, DEMO_STATES, strict=False):
        item_progress_set_state(enrolment=enrolment, item=item, state=state, at=now - timedelta(days=days_ago))
    for days_ago, minutes in DEMO_SESSIONS:
        study_entry_add(
            user=user, date=today - timedelta(days=days_ago), minutes=minutes, enrolment=enrolment,
            note="Evening session",
        )
    return enrolment
