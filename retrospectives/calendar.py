"""Due retrospectives in the calendar feed (progress/extensions.py
`calendar_events`): an all-day event on the day each period falls due, from
the one due now to the feed's horizon, leaving out those written or
skipped. One query, two with pauses to place."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext

from progress.models import EnrolmentPause
from progress.sharing.calendar import CalendarEvent, CalendarPlan
from retrospectives import periods
from retrospectives.models import Retrospective, RetrospectiveStatus


def due_retrospectives(plan: CalendarPlan) -> list[CalendarEvent]:
    enrolment = plan.enrolment
    if not enrolment.is_active:
        return []
    interval = enrolment.roadmap.retrospective_interval_weeks
    pauses = []
    if enrolment.paused_on or enrolment.closed_pause_days:
        pauses = [periods.Span(p.started_on, p.ended_on) for p in EnrolmentPause.objects.filter(enrolment=enrolment)]
    due = periods.due_count(start=enrolment.start_date, interval_weeks=interval, today=plan.today, pauses=pauses)
    settled = set(
        Retrospective.objects.filter(enrolment=enrolment).in_current_cycle()
        .exclude(status=RetrospectiveStatus.DRAFT).values_list("period_index", flat=True)
    )
    events = []
    index = max(0, due - 1)
    while True:
        period = periods.period(start=enrolment.start_date, interval_weeks=interval, index=index, pauses=pauses)
        if period is None or period.end > plan.until:
            break
        if index not in settled:
            events.append(CalendarEvent(
                f"retrospective-{index}",
                gettext("Retrospective: %(period)s of %(roadmap)s")
                % {"period": period.label, "roadmap": enrolment.roadmap.title},
                period.end, period.end + timedelta(days=1), gettext("A few questions on your Waymark dashboard."),
            ))
        index += 1
    return events
