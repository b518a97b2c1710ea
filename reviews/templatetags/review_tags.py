"""The review queue on the dashboard, the review settings on the plan page
and "I don't need to review this" on an item's page.

The dashboard and the plan are progress's: their templates include this
app's partials, which call these tags. The dashboard's queue costs no query:
the learner-state loader brought each enrolment's due reviews along
(`LearnerState.reserved["reviews"]`, reviews/planning.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from progress.sharing.calendar import study_week_of
from reviews.forms import REMINDERS, StudyWeekForm
from reviews.models import ReviewCard
from reviews.planning import DueReview, ReviewTime
from roadmaps.cache import cached_roadmap_content

register = template.Library()


@dataclass
class QueueGroup:
    card: object  # the dashboard's card of the enrolment
    time: ReviewTime

    @property
    def due(self) -> list[DueReview]:
        return self.time.due


@register.simple_tag
def review_queue(dash) -> list[QueueGroup]:
    """Per enrolment on the dashboard with reviews due today or overdue."""
    groups = []
    for card in dash.cards:
        time = card.learner.reserved.get("reviews")
        if time is not None and time.due:
            groups.append(QueueGroup(card, time))
    return groups


@register.simple_tag
def study_week_form(enrolment) -> dict:
    """The plan page's study week: what applies now, and the form to change it."""
    # The plan page has just read the roadmap's content: from the shared cache, no query.
    schedule = cached_roadmap_content(enrolment.roadmap).weekly_schedule
    week = study_week_of(enrolment, suggested_days=[entry.day for entry in schedule])
    form = StudyWeekForm(initial={
        "days": [str(day) for day in week.days], "at": week.at, "reminder_minutes": week.reminder_minutes,
    })
    return {"week": week, "form": form, "reminder": dict(REMINDERS).get(week.reminder_minutes, "")}


@register.simple_tag
def item_review_card(enrolment, item) -> ReviewCard | None:
    """The learner's review card on this item, if it has one (one query)."""
    return ReviewCard.objects.filter(enrolment=enrolment, item=item).first()
