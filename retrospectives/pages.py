"""Loading a learner's retrospective period: the one place that checks
ownership for every retrospective URL (404 for anything not theirs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from progress.access import get_enrolment_for_user
from progress.models import Enrolment
from progress.schedule import local_today
from retrospectives import periods
from retrospectives.models import Retrospective, RetrospectiveAnswer, RetrospectiveRevision
from retrospectives.services import Question, pauses_of
from roadmaps.models import RetrospectivePrompt

# Asked when neither the roadmap nor the global set has a prompt.
FALLBACK_QUESTION = _("How did these weeks go, and what will you do next?")


@dataclass
class PeriodPage:
    enrolment: Enrolment
    period: periods.Period
    retro: Retrospective | None
    today: date
    due_count: int

    @property
    def is_overdue(self) -> bool:
        return periods.is_overdue(self.period.index, self.due_count)

    @property
    def number(self) -> int:
        return self.period.index + 1


def get_period_for_user(user, enrolment_pk: int, number: int) -> PeriodPage:
    """Period `number` (1-based, as in URLs) of the learner's enrolment. Only
    periods that have fallen due, or that already have a row, exist."""
    enrolment = get_enrolment_for_user(user, enrolment_pk)
    index = number - 1
    if index < 0:
        raise Http404("No such period")
    spans = pauses_of(enrolment)
    today = local_today(user.time_zone)
    interval = enrolment.roadmap.retrospective_interval_weeks
    due = periods.due_count(start=enrolment.start_date, interval_weeks=interval, today=today, pauses=spans)
    retro = (
        Retrospective.objects.filter(enrolment=enrolment, cycle_start=enrolment.start_date, period_index=index)
        .prefetch_related(
            Prefetch("answers", queryset=RetrospectiveAnswer.objects.order_by("position")),
            Prefetch("revisions", queryset=RetrospectiveRevision.objects.order_by("-edited_at", "-pk")),
        )
        .first()
    )
    if retro is not None:
        retro.enrolment = enrolment
        period = periods.Period(index, interval, retro.period_start, retro.period_end)
    elif index < due:
        period = periods.period(start=enrolment.start_date, interval_weeks=interval, index=index, pauses=spans)
    else:
        raise Http404("This period has not fallen due yet")
    return PeriodPage(enrolment=enrolment, period=period, retro=retro, today=today, due_count=due)


def questions_for(page: PeriodPage) -> list[Question]:
    """The questions the form asks: those already answered keep their own
    text; a retrospective not begun asks the roadmap's current prompts."""
    if page.retro is not None:
        answered = [Question(a.position, a.question, a.prompt_id) for a in page.retro.answers.all()]
        if answered:
            return answered
    prompts = RetrospectivePrompt.objects.effective_for(page.enrolment.roadmap)
    if not prompts:
        return [Question(0, FALLBACK_QUESTION, None)]
    return [Question(position, prompt.text, prompt.pk) for position, prompt in enumerate(prompts)]
