"""Review days in the calendar feed (progress/extensions.py
`calendar_events`): one all-day event per day with reviews due, from today
(overdue ones count today) to the feed's horizon. One query. In the
language the feed is written in (the learner's: progress/sharing/views.py)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Sum
from django.utils.translation import gettext, ngettext

from progress.sharing.calendar import CalendarEvent, CalendarPlan
from reviews.models import ReviewCard
from reviews.querysets import MINUTES


def review_days(plan: CalendarPlan) -> list[CalendarEvent]:
    enrolment = plan.enrolment
    if not enrolment.reviews_on:
        return []
    per_day = (
        ReviewCard.objects.waiting().filter(enrolment=enrolment, due_on__lte=plan.until)
        .order_by().values_list("due_on").annotate(cards=Count("pk"), minutes=Sum(MINUTES))
    )
    days: dict = {}
    for due_on, cards, minutes in per_day:
        day = max(due_on, plan.today)
        count, total = days.get(day, (0, 0))
        days[day] = (count + cards, total + int(minutes))
    return [
        CalendarEvent(
            f"reviews-{day:%Y%m%d}",
            ngettext(
                "Review %(count)d topic (about %(minutes)d min): %(title)s",
                "Review %(count)d topics (about %(minutes)d min): %(title)s", count,
            ) % {"count": count, "minutes": minutes, "title": enrolment.roadmap.title},
            day, day + timedelta(days=1), gettext("Answer them on your Waymark dashboard."),
        )
        for day, (count, minutes) in sorted(days.items())
    ]
