"""Writes to retrospectives. Keyword-only, inside transactions, idempotent.

The row of a period is created with get_or_create under the unique
constraint (enrolment, period_index) and then locked with select_for_update,
so a double-clicked "Submit", two open tabs or the reminder command racing
the learner all end with one row and nobody's text lost.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from notifications import outbox
from progress.enrolments.services import enrolment_change_pace
from progress.models import Enrolment, EnrolmentPause
from progress.schedule import local_today
from retrospectives import periods
from retrospectives.models import Retrospective, RetrospectiveAnswer, RetrospectiveRevision, RetrospectiveStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Question:
    position: int
    text: str
    prompt_id: int | None


@dataclass(frozen=True)
class AnswerInput:
    question: Question
    text: str


def pauses_of(enrolment: Enrolment) -> list[periods.Span]:
    return [
        periods.Span(started_on, ended_on)
        for started_on, ended_on in EnrolmentPause.objects.filter(enrolment=enrolment).values_list(
            "started_on", "ended_on"
        )
    ]


def retrospective_get_or_create(*, enrolment: Enrolment, period: periods.Period) -> Retrospective:
    """The period's row, created as an empty draft when missing. Django's
    get_or_create retries the read when a concurrent insert wins."""
    retro, _ = Retrospective.objects.get_or_create(
        enrolment=enrolment,
        cycle_start=enrolment.start_date,
        period_index=period.index,
        defaults={"period_start": period.start, "period_end": period.end},
    )
    return retro


def _answers_snapshot(answers) -> list[dict]:
    return [{"position": a.position, "question": a.question, "text": a.text} for a in answers]


@transaction.atomic
def retrospective_save(
    *, enrolment: Enrolment, period: periods.Period, answers: list[AnswerInput], submit: bool, facts: dict
) -> Retrospective:
    """Save the answers as a draft, or submit them.

    A submitted retrospective stays submitted: saving it again is an edit,
    and the answers as they were go into a revision first (only when the text
    changed, so a repeated submit records nothing). Its facts stay as they
    were when submitted; a draft's are refreshed on every save.
    """
    retro = retrospective_get_or_create(enrolment=enrolment, period=period)
    retro = Retrospective.objects.select_for_update().get(pk=retro.pk)
    existing = {answer.position: answer for answer in retro.answers.all()}
    changed = any(
        existing.get(a.question.position) is None or existing[a.question.position].text != a.text for a in answers
    )
    now = timezone.now()
    if retro.is_submitted and changed:
        RetrospectiveRevision.objects.create(
            retrospective=retro,
            answers=_answers_snapshot(sorted(existing.values(), key=lambda a: a.position)),
            edited_at=now,
        )
    to_create, to_update = [], []
    for answer in answers:
        row = existing.get(answer.question.position)
        if row is None:
            to_create.append(RetrospectiveAnswer(
                retrospective=retro, position=answer.question.position, question=answer.question.text,
                prompt_id=answer.question.prompt_id, text=answer.text,
            ))
        elif row.text != answer.text:
            row.text = answer.text
            to_update.append(row)
    RetrospectiveAnswer.objects.bulk_create(to_create)
    RetrospectiveAnswer.objects.bulk_update(to_update, ["text"])

    fields = ["updated_at"]
    if not retro.is_submitted:
        retro.facts = facts
        fields.append("facts")
        if submit:
            retro.status = RetrospectiveStatus.SUBMITTED
            retro.submitted_at = now
            fields += ["status", "submitted_at"]
        elif retro.is_skipped:
            # Writing a skipped one un-skips it.
            retro.status = RetrospectiveStatus.DRAFT
            fields.append("status")
    retro.save(update_fields=fields)
    return retro


@transaction.atomic
def retrospective_skip(*, enrolment: Enrolment, period: periods.Period) -> Retrospective:
    """Skip a period on purpose. A submitted retrospective is never turned
    into a skipped one (its text would vanish from the timeline)."""
    retro = retrospective_get_or_create(enrolment=enrolment, period=period)
    retro = Retrospective.objects.select_for_update().get(pk=retro.pk)
    if retro.status == RetrospectiveStatus.DRAFT:
        retro.status = RetrospectiveStatus.SKIPPED
        retro.skipped_at = timezone.now()
        retro.save(update_fields=["status", "skipped_at", "updated_at"])
    return retro


@transaction.atomic
def retrospective_change_pace(
    *, enrolment: Enrolment, period: periods.Period, hours_per_week: Decimal
) -> Retrospective:
    """Change the enrolment's weekly hours from a retrospective, and record
    the change on it. Changed twice from the same retrospective, it keeps the
    figure from before the first change as the old one."""
    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("pace_plan").get(pk=enrolment.pk)
    retro = retrospective_get_or_create(enrolment=enrolment, period=period)
    retro = Retrospective.objects.select_for_update().get(pk=retro.pk)
    old = enrolment.hours_per_week
    if old != hours_per_week:
        plan = enrolment.pace_plan
        # Still the plan's figure: keep the plan; otherwise it is their own.
        keep = plan if plan is not None and plan.hours_per_week == hours_per_week else None
        enrolment_change_pace(enrolment=enrolment, pace_plan=keep, hours_per_week=hours_per_week)
    if retro.pace_old_hours is None:
        retro.pace_old_hours = old
    retro.pace_new_hours = hours_per_week
    retro.pace_changed_at = timezone.now()
    retro.save(update_fields=["pace_old_hours", "pace_new_hours", "pace_changed_at", "updated_at"])
    return retro


# --- Reminders ----------------------------------------------------------------------


@dataclass(frozen=True)
class DueReminder:
    enrolment: Enrolment
    period: periods.Period


def reminders_due(*, now: datetime) -> list[DueReminder]:
    """For each active enrolment of a learner who wants email, the latest
    period that has fallen due (in the learner's zone) and is not written,
    skipped or reminded of yet. Older unwritten periods were reminded of when
    they fell due; a reminder per missed period would only nag. Three queries."""
    enrolments = list(
        Enrolment.objects.active()
        .filter(user__is_active=True, user__email_notifications=True)
        .select_related("user", "roadmap")
        .prefetch_related("pauses")
        .order_by("pk")
    )
    candidates: list[DueReminder] = []
    for enrolment in enrolments:
        today = local_today(enrolment.user.time_zone, now)
        spans = [periods.Span(p.started_on, p.ended_on) for p in enrolment.pauses.all()]
        count = periods.due_count(
            start=enrolment.start_date, interval_weeks=enrolment.roadmap.retrospective_interval_weeks,
            today=today, pauses=spans,
        )
        if count:
            latest = periods.period(
                start=enrolment.start_date, interval_weeks=enrolment.roadmap.retrospective_interval_weeks,
                index=count - 1, pauses=spans,
            )
            if latest is not None:
                candidates.append(DueReminder(enrolment, latest))
    if not candidates:
        return []
    done = set(
        Retrospective.objects.filter(enrolment__in=[c.enrolment for c in candidates])
        .in_current_cycle()
        .exclude(status=RetrospectiveStatus.DRAFT, reminder_sent_at__isnull=True)
        .values_list("enrolment_id", "period_index")
    )
    return [c for c in candidates if (c.enrolment.pk, c.period.index) not in done]


def reminder_claim(*, enrolment: Enrolment, period: periods.Period, now: datetime) -> Retrospective | None:
    """Claim the right to send this period's reminder: create the row if
    missing, then set reminder_sent_at only where it is still empty. The
    UPDATE is atomic in the database, so of two runs (or two processes) at
    most one sees a count of 1 and sends; the other gets None."""
    retro = retrospective_get_or_create(enrolment=enrolment, period=period)
    claimed = Retrospective.objects.filter(
        pk=retro.pk, reminder_sent_at__isnull=True, status=RetrospectiveStatus.DRAFT
    ).update(reminder_sent_at=now)
    if claimed != 1:
        return None
    retro.reminder_sent_at = now
    return retro


def form_url(enrolment: Enrolment, period_index: int) -> str:
    return settings.SITE_URL + reverse("retrospectives:form", args=[enrolment.pk, period_index + 1])


def reminder_send(*, retro: Retrospective, enrolment: Enrolment, period: periods.Period) -> None:
    """One plain-text email (with an HTML alternative) per due retrospective."""
    user = enrolment.user
    context = {
        "user": user,
        "enrolment": enrolment,
        "roadmap": enrolment.roadmap,
        "period": period,
        "url": form_url(enrolment, period.index),
        "settings_url": settings.SITE_URL + reverse("accounts:settings"),
    }
    # Queued, not sent here: a worker sends it and retries a failing SMTP
    # server (notifications.outbox). The key is this claim's, so running the
    # task twice sends it once.
    # In the learner's language (their account's; the site's default while
    # they have none): this runs from cron, outside any request.
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = gettext("Time to look back: %(roadmap)s, %(period)s") % {
            "roadmap": enrolment.roadmap.title, "period": period.label.lower()}
        body = render_to_string("retrospectives/email/reminder.txt", context)
        html = render_to_string("retrospectives/email/reminder.html", context)
    outbox.email_enqueue(
        key=f"retrospective-reminder:{retro.pk}:{retro.reminder_sent_at.isoformat()}",
        to=[user.email], subject=subject, body=body, html=html,
    )


def reminders_send(*, now: datetime | None = None) -> int:
    """Queue every due reminder exactly once; the number queued. Safe to run
    twice, or as two copies at once. The queue retries a failing SMTP
    server; a reminder the queue could not take is released again, so the
    next run retries it."""
    now = now or timezone.now()
    sent = 0
    for due in reminders_due(now=now):
        retro = reminder_claim(enrolment=due.enrolment, period=due.period, now=now)
        if retro is None:
            continue
        try:
            reminder_send(retro=retro, enrolment=due.enrolment, period=due.period)
        except Exception:
            Retrospective.objects.filter(pk=retro.pk, reminder_sent_at=now).update(reminder_sent_at=None)
            logger.exception("Retrospective reminder to user %s not queued; it will be retried", due.enrolment.user_id)
            continue
        sent += 1
    return sent
