"""The dashboard's retrospective cards, in at most one query.

The dashboard (progress) does not import this app: its template includes
`retrospectives/includes/dashboard_cards.html` when it exists, and that
template calls the `due_retrospective_cards` tag with the dashboard's data.
Which periods are due comes from what the dashboard loaded already (the
enrolments with their total paused time), so a learner with nothing due
costs no query at all; otherwise one query reads the enrolments'
retrospectives. A card says what is due and links to the form, which asks
the questions: the dashboard stays short.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from progress.learner import paused_days
from progress.models import Enrolment
from retrospectives import periods
from retrospectives.models import Retrospective, RetrospectiveStatus

# Per enrolment: the latest due period only; older unwritten ones wait in
# the timeline ("4 older not written") instead of crowding the dashboard.
CARDS_PER_ENROLMENT = 1


@dataclass
class DueCard:
    enrolment: Enrolment
    index: int
    label: str
    overdue: bool
    has_draft: bool
    period: periods.Period | None  # None when pauses make the dates costly to place here
    older: int = 0  # further unwritten periods, listed in the timeline

    @property
    def number(self) -> int:
        return self.index + 1


def due_cards(enrolments: list[Enrolment], today: date) -> list[DueCard]:
    """Cards for the due, unwritten, unskipped periods of the active
    enrolments (loaded with their roadmap)."""
    due: dict[int, int] = {}
    for enrolment in enrolments:
        if not enrolment.is_active:
            continue
        count = periods.due_count_from_paused_days(
            start=enrolment.start_date,
            interval_weeks=enrolment.roadmap.retrospective_interval_weeks,
            today=today,
            paused_days=paused_days(enrolment, today),
        )
        if count:
            due[enrolment.pk] = count
    if not due:
        return []
    settled: dict[int, set[int]] = defaultdict(set)
    drafts: dict[int, set[int]] = defaultdict(set)
    current = Retrospective.objects.filter(enrolment_id__in=due).in_current_cycle()
    for enrolment_id, index, status, facts in current.values_list("enrolment_id", "period_index", "status", "facts"):
        if status != RetrospectiveStatus.DRAFT:
            settled[enrolment_id].add(index)
        elif facts:  # saved by the learner (a row the reminder created has no facts yet)
            drafts[enrolment_id].add(index)

    cards: list[DueCard] = []
    for enrolment in enrolments:
        count = due.get(enrolment.pk)
        if not count:
            continue
        interval = enrolment.roadmap.retrospective_interval_weeks
        open_indexes = [i for i in range(count - 1, -1, -1) if i not in settled[enrolment.pk]]
        shown = open_indexes[:CARDS_PER_ENROLMENT]
        for index in shown:
            # Without pauses the dates follow from the start date alone.
            exact = None if enrolment.closed_pause_days else periods.period(
                start=enrolment.start_date, interval_weeks=interval, index=index
            )
            label = exact.label if exact else periods.Period(index, interval, today, today).label
            cards.append(DueCard(
                enrolment=enrolment, index=index, label=label, overdue=periods.is_overdue(index, count),
                has_draft=index in drafts[enrolment.pk], period=exact,
            ))
        if shown:
            cards[-1].older = len(open_indexes) - len(shown)
    return cards
