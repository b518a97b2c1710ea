"""Progress as CSV and JSON, and the learner's sections of "download my data"
(the schedule as iCalendar is in calendar.py).

The figures — progress, pace, target finish, the order of steps — come from
the learner-state loader (`progress.state.load_states`), so an export says
what the dashboard and the plan say. The item records list every active item
and every row of the learner, which is what an export is for: `load_progress`
reads them in two queries on top of the loader's, whatever the roadmap size
or the number of enrolments. Other apps add columns to the item records
(`extensions.item_exports`: the reviews app's review history, two queries).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from progress import extensions
from progress.learner import reading_order
from progress.models import (
    Enrolment,
    EnrolmentPause,
    ItemProgress,
    MetricEntry,
    Milestone,
    PlannedBreak,
    PlanRepair,
    StudyEntry,
)
from progress.schedule import local_today
from progress.state import LearnerState, load_states
from roadmaps.models import Item, ItemKind, Step

ITEM_FIELDS = (
    "id", "roadmap", "step", "kind", "key", "position", "title", "estimated_hours", "week", "created_at",
    "step__position", "step__title", "step__key",
)
CSV_COLUMNS = [
    "roadmap", "step", "item", "kind", "estimated_hours", "state", "state_changed_at", "completed_at",
    "confidence", "evidence_url", "repo_url", "live_url", "note", "removed_from_roadmap",
]


@dataclass
class EnrolmentProgress:
    enrolment: Enrolment
    learner: LearnerState  # the figures, from `load_states`
    items: list[Item] = field(default_factory=list)  # active items in the roadmap's reading order
    rows: dict[int, ItemProgress] = field(default_factory=dict)  # the learner's rows of active items, by item
    removed: list[ItemProgress] = field(default_factory=list)  # rows of items an editor retired, by title
    extra: dict[int, dict] = field(default_factory=dict)  # other apps' columns, by item


def load_progress(enrolments: Sequence[Enrolment], *, today: date) -> list[EnrolmentProgress]:
    """The figures of several enrolments (`load_states`: the enrolments come
    with their roadmap), and their items and rows for
    the item records: two queries more."""
    enrolments = list(enrolments)
    if not enrolments:
        return []
    states = load_states(enrolments, today=today)
    roadmap_ids = {enrolment.roadmap_id for enrolment in enrolments}
    grouped: dict[int, list[Item]] = defaultdict(list)
    positions: dict[int, int] = {}
    for item in Item.objects.filter(roadmap_id__in=roadmap_ids).active().select_related("step").only(*ITEM_FIELDS):
        grouped[item.roadmap_id].append(item)
        if item.step_id:
            positions[item.step_id] = item.step.position
    rows: dict[int, list[ItemProgress]] = defaultdict(list)
    for row in (
        ItemProgress.objects.filter(enrolment__in=enrolments)
        .select_related("item__step")
        .defer("item__body", "item__why", "item__skills", "item__url", "item__step__goal")
    ):
        rows[row.enrolment_id].append(row)
    extra = extensions.item_exports(enrolments)
    loaded = []
    for enrolment in enrolments:
        items = reading_order(grouped.get(enrolment.roadmap_id, []), positions)
        active = {item.pk for item in items}
        progress = EnrolmentProgress(enrolment, states[enrolment.pk], items)
        progress.extra = {item_id: values for (pk, item_id), values in extra.items() if pk == enrolment.pk}
        for row in rows[enrolment.pk]:
            if row.item_id in active:
                progress.rows[row.item_id] = row
            else:
                progress.removed.append(row)
        progress.removed.sort(key=lambda row: row.item.title.lower())
        loaded.append(progress)
    return loaded


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _item_record(item: Item, row: ItemProgress | None, *, removed: bool = False) -> dict:
    return {
        "step": item.step.title if item.step_id else "",
        "item": item.title,
        "kind": item.kind,
        "estimated_hours": str(item.estimated_hours) if item.estimated_hours is not None else "",
        "state": row.state if row else "not_started",
        "state_changed_at": _iso(row.state_changed_at) if row and row.state != "not_started" else "",
        "completed_at": _iso(row.completed_at) if row else "",
        "confidence": row.confidence if row and row.confidence else "",
        "evidence_url": row.evidence_url if row else "",
        "repo_url": row.repo_url if row else "",
        "live_url": row.live_url if row else "",
        "note": row.note if row else "",
        "removed_from_roadmap": removed,
    }


def item_records(progress: EnrolmentProgress) -> list[dict]:
    """Every active item (not started ones too) and then the learner's rows
    of items an editor removed, so that no note is left out."""
    records = [_item_record(item, progress.rows.get(item.pk)) for item in progress.items]
    records += [_item_record(row.item, row, removed=True) for row in progress.removed]
    item_ids = [item.pk for item in progress.items] + [row.item_id for row in progress.removed]
    for item_id, record in zip(item_ids, records, strict=True):
        record.update({column: "" for column in extensions.ITEM_EXPORT_COLUMNS})
        record.update(progress.extra.get(item_id, {}))
    return records


def _progress_summary(learner: LearnerState) -> dict:
    p = learner.progress
    return {
        "percent": p.percent,
        "done_hours": str(p.done_hours),
        "total_hours": str(p.total_hours),
        "done": p.done_count,
        "items": p.item_count,
        "skipped": p.skipped_count,
        "in_progress": p.in_progress_count,
        "pace": learner.pace.status,
        "target_finish": _iso(learner.schedule.finish_date),
    }


def step_titles_in_order(learner: LearnerState, titles: dict[int, str]) -> list[str]:
    """The learner's own order of the steps (`LearnerState.step_order`), by
    title as the rest of the export names steps (pks mean nothing outside
    Waymark); empty when they follow the roadmap's order. Only steps with
    active items, as the plan lists them."""
    if not learner.enrolment.step_order:
        return []
    return [titles[pk] for pk in learner.step_order if pk in titles and pk in learner.steps]


def _step_order(progress: EnrolmentProgress) -> list[str]:
    """From the items in hand: no query."""
    titles = {item.step_id: item.step.title for item in progress.items if item.step_id}
    return step_titles_in_order(progress.learner, titles)


def progress_json(loaded: Iterable[EnrolmentProgress]) -> dict:
    return {
        "exported_at": timezone.now().isoformat(),
        "enrolments": [
            {
                "roadmap": progress.enrolment.roadmap.title,
                "roadmap_slug": progress.enrolment.roadmap.slug,
                "status": progress.enrolment.status,
                "start_date": _iso(progress.enrolment.start_date),
                "hours_per_week": str(progress.enrolment.hours_per_week),
                "progress": _progress_summary(progress.learner),
                "step_order": _step_order(progress),
                "items": item_records(progress),
            }
            for progress in loaded
        ],
    }


def _csv_safe(value) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula: a note
    or a title must never do that when the learner opens the file."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def progress_csv(loaded: Iterable[EnrolmentProgress]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    columns = [*CSV_COLUMNS, *extensions.ITEM_EXPORT_COLUMNS]
    writer.writerow(columns)
    for progress in loaded:
        for record in item_records(progress):
            record = {"roadmap": progress.enrolment.roadmap.title, **record}
            writer.writerow([_csv_safe(record[column]) for column in columns])
    return out.getvalue()


# --- "Download my data" sections -------------------------------------------------


def export_enrolments(user) -> list[dict]:
    """Each enrolment and its figures: the loader's queries, and one for the
    step titles when a learner has an order of their own."""
    enrolments = list(Enrolment.objects.filter(user=user).select_related("roadmap", "pace_plan"))
    states = load_states(enrolments, today=local_today(user.time_zone))
    reordered = {e.roadmap_id for e in enrolments if e.step_order}
    titles = {}
    if reordered:
        titles = dict(Step.objects.filter(roadmap_id__in=reordered).order_by().values_list("pk", "title"))
    return [
        {
            "roadmap": e.roadmap.title,
            "roadmap_slug": e.roadmap.slug,
            "status": e.status,
            "pace_plan": e.pace_plan.name if e.pace_plan else None,
            "hours_per_week": str(e.hours_per_week),
            "start_date": _iso(e.start_date),
            "created_at": _iso(e.created_at),
            "paused_on": _iso(e.paused_on),
            "left_at": _iso(e.left_at),
            "completed_at": _iso(e.completed_at),
            "is_public": e.is_public,
            "has_share_link": bool(e.share_token),
            "has_calendar_feed": bool(e.calendar_token),
            "progress": _progress_summary(states[e.pk]),
            "step_order": step_titles_in_order(states[e.pk], titles),
        }
        for e in enrolments
    ]


def export_item_progress(user) -> list[dict]:
    rows = ItemProgress.objects.for_user(user).select_related("item__step", "enrolment__roadmap").order_by(
        "enrolment_id", "item_id"
    )
    return [
        {"roadmap": row.enrolment.roadmap.title, **_item_record(row.item, row, removed=row.item.retired_at is not None)}
        for row in rows
    ]


def export_submissions(user) -> list[dict]:
    """Project links, the learner's "submissions"."""
    rows = (
        ItemProgress.objects.for_user(user)
        .filter(item__kind=ItemKind.PROJECT)
        .exclude(repo_url="", live_url="")
        .select_related("item", "enrolment__roadmap")
    )
    return [
        {
            "roadmap": row.enrolment.roadmap.title,
            "project": row.item.title,
            "state": row.state,
            "repo_url": row.repo_url,
            "live_url": row.live_url,
        }
        for row in rows
    ]


def export_milestones(user) -> list[dict]:
    milestones = Milestone.objects.filter(enrolment__user=user).select_related("enrolment__roadmap", "step")
    return [
        {
            "roadmap": m.enrolment.roadmap.title,
            "step": m.step.title if m.step else None,
            "title": m.title,
            "due_date": _iso(m.due_date),
            "done_at": _iso(m.done_at),
            "created_at": _iso(m.created_at),
        }
        for m in milestones
    ]


def export_study_log(user) -> list[dict]:
    entries = StudyEntry.objects.for_user(user).select_related("item", "enrolment__roadmap").order_by("date", "pk")
    return [
        {
            "date": _iso(e.date),
            "minutes": e.minutes,
            "roadmap": e.enrolment.roadmap.title if e.enrolment else None,
            "item": e.item.title if e.item else None,
            "note": e.note,
            "created_at": _iso(e.created_at),
        }
        for e in entries
    ]


def export_planned_breaks(user) -> list[str]:
    return [_iso(day) for day in PlannedBreak.objects.filter(user=user).values_list("week_start", flat=True)]


def export_metric_entries(user) -> list[dict]:
    entries = MetricEntry.objects.for_user(user).select_related("metric", "enrolment__roadmap").order_by("date", "pk")
    return [
        {
            "roadmap": e.enrolment.roadmap.title,
            "metric": e.metric.name,
            "date": _iso(e.date),
            "amount": e.amount,
            "note": e.note,
        }
        for e in entries
    ]


def export_pauses(user) -> list[dict]:
    """Every pause of every enrolment (`ended_on` is empty while paused)."""
    pauses = EnrolmentPause.objects.filter(enrolment__user=user).select_related("enrolment__roadmap").order_by(
        "enrolment_id", "started_on", "pk"
    )
    return [
        {
            "roadmap": p.enrolment.roadmap.title,
            "roadmap_slug": p.enrolment.roadmap.slug,
            "started_on": _iso(p.started_on),
            "ended_on": _iso(p.ended_on),
        }
        for p in pauses
    ]


def export_plan_repairs(user) -> list[dict]:
    """The repairs the learner chose when they fell behind."""
    repairs = PlanRepair.objects.filter(enrolment__user=user).select_related("enrolment__roadmap").order_by(
        "enrolment_id", "created_at", "pk"
    )
    return [
        {
            "roadmap": r.enrolment.roadmap.title,
            "kind": r.kind,
            "made_on": _iso(r.made_on),
            "behind_hours": str(r.behind_hours),
            "hours_per_week_before": str(r.hours_per_week_before),
            "hours_per_week_after": str(r.hours_per_week_after),
            "finish_before": _iso(r.finish_before),
            "finish_after": _iso(r.finish_after),
            "created_at": _iso(r.created_at),
        }
        for r in repairs
    ]


SECTIONS = {
    "enrolments": export_enrolments,
    "pauses": export_pauses,
    "plan_repairs": export_plan_repairs,
    "item_progress": export_item_progress,
    "submissions": export_submissions,
    "milestones": export_milestones,
    "study_log": export_study_log,
    "planned_breaks": export_planned_breaks,
    "metric_entries": export_metric_entries,
}
