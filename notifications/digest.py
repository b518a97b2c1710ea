""""Your week on Waymark": a weekly email per learner who keeps it on.

`manage.py send_weekly_digests` (hourly from cron) finds the learners whose
chosen weekday it now is in their own time zone, claims a `DigestSent` row
per learner-week (a unique insert: of two runs, or two machines, only one
succeeds) and, in the same transaction, queues `send_weekly_digest` with the
row's id. The task builds the email and hands it to the outbox under the key
`weekly-digest:<user>:<week>`, so a task that runs twice queues one email.

What it says, each part a *section* (a builder below and two templates,
templates/notifications/email/digest/<name>.txt and .html):
- last week (Monday to Sunday before this one): hours against the weekly
  goal and the streaks, from progress.studylog.stats, as on the dashboard;
- what the learner finished last week;
- what their plan holds for the coming days (progress.state.load_states,
  the plan's own weeks: this one and, after Monday, the next);
- the spaced reviews due now and in the coming seven days (reviews app);
- the retrospectives that are due (retrospectives.cards.due_cards).

It is written in the learner's account language (the site's default while
they have none), also from the task queue.

Adding a section is a function `(DigestData) -> Section | None` appended
to SECTIONS, and its two templates.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from notifications import outbox, unsubscribe
from notifications.models import DigestSent
from progress.models import Enrolment, ItemProgress, ItemState, PlannedBreak, StudyEntry
from progress.schedule import local_today, week_start
from progress.state import LearnerState, load_states, week_items
from progress.studylog import stats
from retrospectives import periods
from retrospectives.cards import due_cards
from reviews.models import ReviewCard
from reviews.querysets import MINUTES

logger = logging.getLogger(__name__)

FINISHED_LIMIT = 10
PLANNED_LIMIT = 6  # per roadmap
SETTLED = (ItemState.DONE, ItemState.SKIPPED)


# --- Who is due ----------------------------------------------------------------------


@dataclass(frozen=True)
class DueDigest:
    user: User
    day: date  # the learner's date
    week: date  # its Monday: the digest goes once per learner-week


def digests_due(*, now: datetime) -> list[DueDigest]:
    """Learners who keep the digest on and follow a roadmap, whose chosen
    weekday it is now in their zone, with no digest this week yet."""
    utc_weekday = now.astimezone(UTC).weekday()
    # Somewhere it is yesterday, today or tomorrow (UTC-12 to UTC+14): only
    # those learners' days can match, whatever their zone.
    weekdays = {(utc_weekday + shift) % 7 for shift in (-1, 0, 1)}
    learners = (
        User.objects.filter(is_active=True, weekly_digest=True, digest_weekday__in=weekdays)
        .filter(Exists(Enrolment.objects.current().filter(user=OuterRef("pk"))))
        .order_by("pk")
    )
    candidates = []
    for user in learners:
        day = local_today(user.time_zone, now)
        if day.weekday() == user.digest_weekday:
            candidates.append(DueDigest(user, day, week_start(day)))
    if not candidates:
        return []
    sent = set(
        DigestSent.objects.filter(user__in=[c.user for c in candidates], week__in={c.week for c in candidates})
        .values_list("user_id", "week")
    )
    return [c for c in candidates if (c.user.pk, c.week) not in sent]


def digest_claim(*, due: DueDigest, now: datetime) -> DigestSent | None:
    try:
        with transaction.atomic():
            return DigestSent.objects.create(user=due.user, week=due.week, day=due.day, claimed_at=now)
    except IntegrityError:
        return None  # another run claimed this learner-week


def digests_enqueue(*, now: datetime | None = None) -> int:
    """Claim and queue every due digest once; the number queued."""
    from notifications.tasks import send_weekly_digest

    now = now or timezone.now()
    queued = 0
    for due in digests_due(now=now):
        # Claim and task together: a queue that refuses the task takes the
        # claim with it, and the next run tries again.
        with transaction.atomic():
            claim = digest_claim(due=due, now=now)
            if claim is None:
                continue
            send_weekly_digest.using(priority=outbox.BULK).enqueue(claim.pk)
        queued += 1
    return queued


# --- What it says ---------------------------------------------------------------------


@dataclass
class DigestData:
    """What every section reads, loaded once per digest."""

    user: User
    today: date
    enrolments: list[Enrolment]
    states: dict[int, LearnerState] = field(default_factory=dict)  # active enrolments' plans

    @property
    def last_week(self) -> date:
        return week_start(self.today) - timedelta(weeks=1)

    @property
    def last_week_end(self) -> date:
        return self.last_week + timedelta(days=6)


@dataclass
class Section:
    name: str  # its templates: notifications/email/digest/<name>.txt and .html
    context: dict

    @property
    def text_template(self) -> str:
        return f"notifications/email/digest/{self.name}.txt"

    @property
    def html_template(self) -> str:
        return f"notifications/email/digest/{self.name}.html"


def week_section(data: DigestData) -> Section:
    """Hours against the goal and the streaks, as the dashboard counts them
    on last week's Sunday."""
    days = stats.minutes_by_day(StudyEntry.objects.for_user(data.user).order_by().values_list("date", "minutes"))
    breaks = PlannedBreak.objects.filter(user=data.user).values_list("week_start", flat=True)
    study = stats.summarise_study(days, goal_hours=data.user.weekly_hours_goal, breaks=breaks,
                                  today=data.last_week_end)
    return Section("week", {"study": study})


def _local_bounds(first: date, days: int, time_zone: str) -> tuple[datetime, datetime]:
    zone = periods.zone(time_zone)
    return (datetime.combine(first, time.min, tzinfo=zone),
            datetime.combine(first + timedelta(days=days), time.min, tzinfo=zone))


def finished_section(data: DigestData) -> Section | None:
    start, end = _local_bounds(data.last_week, 7, data.user.time_zone)
    done = (
        ItemProgress.objects.filter(enrolment__user=data.user, state=ItemState.DONE,
                                    completed_at__gte=start, completed_at__lt=end)
        .select_related("item", "enrolment__roadmap")
        .only("completed_at", "item__title", "item__kind", "enrolment__roadmap__title")
        .order_by("completed_at", "pk")
    )
    rows = list(done[: FINISHED_LIMIT + 1])
    if not rows:
        return None
    more = done.count() - FINISHED_LIMIT if len(rows) > FINISHED_LIMIT else 0
    return Section("finished", {"rows": rows[:FINISHED_LIMIT], "more": more})


def plan_section(data: DigestData) -> Section | None:
    """The plan's open items in the weeks that start within the coming
    seven days: this week, and next week too unless today is a Monday."""
    horizon_end = data.today + timedelta(days=7)
    roadmaps = []
    for enrolment in data.enrolments:
        state = data.states.get(enrolment.pk)
        if state is None:
            continue
        weeks = [week for week in state.schedule.weeks if week.start < horizon_end and week.end >= data.today]
        items, seen = [], set()
        for week in weeks:
            for entry in week_items(state, week):
                if entry.state not in SETTLED and entry.pk not in seen:
                    seen.add(entry.pk)
                    items.append(entry)
        # The hours those weeks plan, not the items' whole sizes: a 30-hour
        # topic begun this week at 6 h a week is 6 hours coming up.
        planned = sum((week.hours for week in weeks), Decimal(0))
        if items:
            roadmaps.append({
                "roadmap": enrolment.roadmap, "items": items[:PLANNED_LIMIT],
                "more": max(0, len(items) - PLANNED_LIMIT), "hours": planned,
                "url": settings.SITE_URL + reverse("progress:plan", args=[enrolment.pk]),
            })
    if not roadmaps:
        return None
    return Section("plan", {"roadmaps": roadmaps})


def reviews_section(data: DigestData) -> Section | None:
    """Per roadmap with reviews on: the reviews due now (overdue ones too)
    and those falling due in the coming seven days, with their minutes.
    One query, whatever the number of cards."""
    soon = data.today + timedelta(days=7)
    by_pk = {enrolment.pk: enrolment for enrolment in data.enrolments if enrolment.reviews_on}
    if not by_pk:
        return None
    now, later = Q(due_on__lte=data.today), Q(due_on__gt=data.today)
    rows = (
        ReviewCard.objects.waiting().filter(enrolment__in=list(by_pk), due_on__lt=soon)
        .order_by().values("enrolment_id")
        .annotate(due=Count("pk", filter=now), due_minutes=Sum(MINUTES, filter=now),
                  later=Count("pk", filter=later), later_minutes=Sum(MINUTES, filter=later))
        .values_list("enrolment_id", "due", "due_minutes", "later", "later_minutes")
    )
    found = {
        pk: {"roadmap": by_pk[pk].roadmap, "due": due, "due_minutes": int(due_minutes or 0),
             "later": coming, "later_minutes": int(coming_minutes or 0)}
        for pk, due, due_minutes, coming, coming_minutes in rows
    }
    roadmaps = [found[pk] for pk in by_pk if pk in found]  # in the enrolments' order
    if not roadmaps:
        return None
    return Section("reviews", {"roadmaps": roadmaps, "url": settings.SITE_URL + reverse("dashboard") + "#reviews"})


def retrospective_section(data: DigestData) -> Section | None:
    cards = due_cards(data.enrolments, data.today)
    if not cards:
        return None
    due = [
        {"card": card, "url": settings.SITE_URL + reverse("retrospectives:form", args=[card.enrolment.pk, card.number])}
        for card in cards
    ]
    return Section("retrospective", {"due": due})


# The digest's parts, in order.
SECTIONS: list[Callable[[DigestData], Section | None]] = [
    week_section, finished_section, plan_section, reviews_section, retrospective_section,
]


def digest_data(*, user: User, today: date) -> DigestData:
    enrolments = list(
        Enrolment.objects.for_user(user).current().select_related("roadmap", "pace_plan")
        .order_by("created_at", "pk")
    )
    active = [enrolment for enrolment in enrolments if enrolment.is_active]
    # Two weeks of plan: this one and the next (see plan_section).
    states = load_states(active, today=today, horizon_weeks=2) if active else {}
    return DigestData(user=user, today=today, enrolments=enrolments, states=states)


def digest_context(*, user: User, today: date) -> dict:
    data = digest_data(user=user, today=today)
    sections = [section for build in SECTIONS if (section := build(data)) is not None]
    return {
        "user": user,
        "today": today,
        "last_week": data.last_week,
        "last_week_end": data.last_week_end,
        "sections": sections,
        "dashboard_url": settings.SITE_URL + reverse("dashboard"),
        "settings_url": settings.SITE_URL + reverse("accounts:settings"),
        "unsubscribe_url": unsubscribe.url(user),
    }


# --- The task ---------------------------------------------------------------------------


def digest_send(*, digest_id: int) -> str:
    """Build the claimed digest and queue its email (once per learner-week)."""
    claim = DigestSent.objects.select_related("user").filter(pk=digest_id).first()
    if claim is None:
        return "gone"  # the account was deleted since
    user = claim.user
    if not (user.is_active and user.weekly_digest):
        return "off"  # turned off since it was claimed
    # In the learner's language ("" follows the browser, which a task has
    # not: the site's default), the context's labels as much as the templates.
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = digest_context(user=user, today=claim.day)
        subject = render_to_string("notifications/email/weekly_digest_subject.txt", context)
        body = render_to_string("notifications/email/weekly_digest_message.txt", context)
        html = render_to_string("notifications/email/weekly_digest_message.html", context)
    link = context["unsubscribe_url"]
    email = outbox.email_enqueue(
        key=f"weekly-digest:{user.pk}:{claim.week.isoformat()}",
        to=[user.email],
        subject=subject,
        body=body,
        html=html,
        # RFC 8058: mail clients offer "unsubscribe" and POST to the link.
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        priority=outbox.BULK,
    )
    DigestSent.objects.filter(pk=claim.pk).update(email=email)
    return "queued"
