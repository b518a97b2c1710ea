"""Writing a validated roadmap file (importer.parse_file) to the database,
in one transaction, updating rows in place so learner data stays attached.

Matching on re-import: the roadmap by `slug`, steps, items, pace plans and
metrics by `key`. Items the file no longer lists are retired, never deleted.
Guidance, the schedule and the roadmap's own retrospective prompts carry no
learner data and are replaced wholesale.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models import F, ProtectedError, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext

from roadmaps.models import (
    Guidance,
    GuidanceKind,
    Item,
    ItemKind,
    MetricDefinition,
    PacePlan,
    RetrospectivePrompt,
    Roadmap,
    Status,
    Step,
    Tag,
)
from roadmaps.signals import content_changed
from roadmaps.yaml_io.errors import RoadmapImportError
from roadmaps.yaml_io.schema import GUIDANCE_LISTS, ITEM_LISTS, ItemIn, RoadmapIn, derive_key


def placed_items(container) -> list[tuple[str, int, ItemIn, str | None]]:
    """(kind, position, entry, parent key) of a step's items (or the
    roadmap-wide ones), validated: positions count per kind through the step,
    in reading order. A topic is followed by its subtopics; the step's own
    resources come first, then each topic's, in the order of the topics."""
    counters: dict[str, int] = defaultdict(int)
    found: list[tuple[str, int, ItemIn, str | None]] = []
    topic_resources: list[tuple[ItemIn, str]] = []

    def place(kind: str, entry: ItemIn, parent: str | None) -> None:
        found.append((kind, counters[kind], entry, parent))
        counters[kind] += 1

    for topic in container.topics:
        place(ItemKind.TOPIC, topic, None)
        topic_resources += [(resource, topic.key) for resource in topic.resources]
        for subtopic in topic.subtopics:
            place(ItemKind.TOPIC, subtopic, topic.key)
            topic_resources += [(resource, subtopic.key) for resource in subtopic.resources]
    for name, kind in ITEM_LISTS.items():
        if kind == ItemKind.TOPIC:
            continue
        for entry in getattr(container, name):
            place(kind, entry, None)
        if kind == ItemKind.RESOURCE:
            for resource, parent in topic_resources:
                place(kind, resource, parent)
    return found



def save_roadmap(data: RoadmapIn, *, source: str, created_by) -> Roadmap:
    """Write one validated roadmap; a refusal by the database becomes a RoadmapImportError."""
    try:
        with transaction.atomic():
            roadmap = _Writer(data, source=source).write(created_by=created_by)
            content_changed.send(sender=Roadmap, roadmap_id=roadmap.pk)
            return roadmap
    except ProtectedError as error:
        raise RoadmapImportError(
            source, "",
            gettext("learner records still point at something the file removes: %(error)s") % {"error": error},
        ) from error
    except (IntegrityError, DataError) as error:
        raise RoadmapImportError(
            source, "", gettext("the database refused the roadmap: %(error)s") % {"error": error}
        ) from error
    except DjangoValidationError as error:
        raise RoadmapImportError(source, "", "; ".join(error.messages)) from error


def _temporary_offset(current: Iterable[int], final_count: int) -> int:
    """An offset that moves every current position above every final one.

    Positions are unique within their parent and checked row by row, so
    rows are first moved out of the way with one UPDATE, then given their
    final places 0..n-1.
    """
    return max([final_count, *current]) + 1


@dataclass
class _Writer:
    data: RoadmapIn
    source: str

    def write(self, *, created_by) -> Roadmap:
        self.now = timezone.now()
        roadmap = Roadmap.objects.filter(slug=self.data.slug).first()
        if roadmap is None:
            roadmap = Roadmap(slug=self.data.slug, created_by=created_by)
        self.roadmap = roadmap
        self._write_roadmap()
        self._write_tags()
        steps = self._write_steps()
        self._write_items(steps)
        self._write_keyed(
            PacePlan, "pace_plans", self.data.pace_plans, self._pace_fields, reset={"is_recommended": False}
        )
        self._write_keyed(MetricDefinition, "metrics", self.data.metrics, self._metric_fields, reset={})
        self._write_guidance()
        self._write_prompts()
        return roadmap

    def _write_roadmap(self) -> None:
        data, roadmap = self.data, self.roadmap
        was_published = roadmap.pk is not None and roadmap.status == Status.PUBLISHED
        roadmap.language = data.language
        roadmap.title = data.title
        roadmap.summary = data.summary
        roadmap.description = data.description
        roadmap.audience = data.audience
        roadmap.skill_level = data.skill_level
        roadmap.prerequisites = "\n".join(data.prerequisites)
        roadmap.outcomes = "\n".join(data.outcomes)
        roadmap.duration_weeks = data.duration_weeks
        roadmap.weekly_hours = data.weekly_hours
        roadmap.duration_note = data.duration_note
        roadmap.author_name = data.author
        roadmap.featured = data.featured
        roadmap.status = data.status
        roadmap.retrospective_interval_weeks = data.retrospective_interval_weeks
        if data.status == Status.PUBLISHED and (not was_published or roadmap.published_at is None):
            roadmap.published_at = self.now
        roadmap.updated_at = self.now
        roadmap.save()

    def _write_tags(self) -> None:
        wanted = {derive_key(name)[:60]: name for name in self.data.tags}
        slug_by_name = {name.lower(): slug for slug, name in wanted.items()}
        existing: dict[str, Tag] = {}
        # A tag is the same tag if its name matches (any case) or its slug does.
        found = list(
            Tag.objects.annotate(lower_name=Lower("name")).filter(
                Q(slug__in=list(wanted)) | Q(lower_name__in=list(slug_by_name))
            )
        )
        for tag in found:
            if tag.slug in wanted:
                existing[tag.slug] = tag
        for tag in found:  # second, so that a tag matching by name wins over one matching by slug
            if tag.lower_name in slug_by_name:
                existing[slug_by_name[tag.lower_name]] = tag
        new = [Tag(name=name, slug=slug) for slug, name in wanted.items() if slug not in existing]
        Tag.objects.bulk_create(new)
        tags = {**existing, **{tag.slug: tag for tag in new}}
        self.roadmap.tags.set([tags[slug] for slug in wanted])

    def _write_steps(self) -> dict[str, Step]:
        roadmap, entries = self.roadmap, self.data.steps
        existing = {step.key: step for step in Step.objects.filter(roadmap=roadmap)}
        if existing:
            offset = _temporary_offset((step.position for step in existing.values()), len(entries))
            Step.objects.filter(roadmap=roadmap).update(position=F("position") + offset)
        wanted = {entry.key for entry in entries}
        removed = [step.pk for key, step in existing.items() if key not in wanted]
        if removed:
            # The step goes, its items stay (retired, on the roadmap itself) with learners' records.
            Item.objects.filter(step__in=removed, retired_at__isnull=True).update(retired_at=self.now)
            Item.objects.filter(step__in=removed).update(step=None)
            Step.objects.filter(pk__in=removed).delete()
        updated, created = [], []
        for position, entry in enumerate(entries):
            step = existing.get(entry.key) or Step(roadmap=roadmap, key=entry.key)
            step.position = position
            step.title = entry.title
            step.summary = entry.summary
            step.goal = entry.goal
            step.motto = entry.motto
            step.duration_weeks = entry.weeks
            step.estimated_hours = entry.hours
            step.success_metric = entry.success_metric
            step.any_order = entry.any_order
            step.weekly_goals = "\n".join(f"{goal.week}: {goal.goal}" for goal in entry.weekly_goals)
            (updated if step.pk else created).append(step)
        Step.objects.bulk_update(
            updated,
            ["position", "title", "summary", "goal", "motto", "duration_weeks", "estimated_hours", "success_metric",
             "any_order", "weekly_goals"],
        )
        Step.objects.bulk_create(created)
        return {step.key: step for step in updated + created}

    def _write_items(self, steps: dict[str, Step]) -> None:
        roadmap = self.roadmap
        placed: list[tuple[Step | None, str, int, ItemIn, str | None]] = []
        for step_entry in self.data.steps:
            placed += [(steps[step_entry.key], *rest) for rest in placed_items(step_entry)]
        placed += [(None, *rest) for rest in placed_items(self.data)]
        existing = {item.key: item for item in Item.objects.filter(roadmap=roadmap)}
        wanted = {entry.key for _, _, _, entry, _ in placed}
        gone = [item.pk for item in existing.values() if item.retired_at is None and item.key not in wanted]
        for start in range(0, len(gone), 500):
            Item.objects.filter(pk__in=gone[start:start + 500]).update(retired_at=self.now)

        # Only rows that change are written, and only the fields that change:
        # re-importing a large, unchanged roadmap then costs almost nothing.
        changed: list[Item] = []
        changed_fields: set[str] = set()
        moving: list[int] = []  # active rows whose place (step, kind, position) changes
        created: list[Item] = []
        later: dict[str, str] = {}  # item key → the key of a parent created by this import
        for step, kind, position, entry, parent_key in placed:
            parent = existing.get(parent_key) if parent_key else None
            if parent_key and parent is None:
                later[entry.key] = parent_key
            values = {
                "step_id": step.pk if step else None,
                "kind": kind,
                "position": position,
                "title": entry.title,
                "url": entry.url,
                "estimated_hours": entry.hours,
                "week": entry.week,
                "body": entry.description if kind == ItemKind.PROJECT else entry.body,
                "resource_kind": entry.kind if kind == ItemKind.RESOURCE else "",
                "why": entry.why if kind == ItemKind.RESOURCE else "",
                "skills": ", ".join(entry.skills) if kind == ItemKind.PROJECT else "",
                "is_capstone": entry.capstone if kind == ItemKind.PROJECT else False,
                "status": entry.status,
                "alternative_group": entry.alternative_group or "",
                "heading": getattr(entry, "heading", None) or "",
                "parent_id": parent.pk if parent else None,
                "retired_at": None,  # an item back in the file is back on the roadmap
            }
            item = existing.get(entry.key)
            if item is None:
                created.append(Item(roadmap=roadmap, key=entry.key, **values))
                continue
            fields = {name for name, value in values.items() if getattr(item, name) != value}
            if not fields:
                continue
            if item.retired_at is None and fields & {"step_id", "kind", "position"}:
                moving.append(item.pk)
                fields.add("position")  # it is parked at a temporary position below
            if "title" in fields:
                # Learners who knew the old name are told what it was.
                item.previous_title, item.renamed_at = item.title, self.now
                fields |= {"previous_title", "renamed_at"}
            for name in fields - {"previous_title", "renamed_at"}:
                setattr(item, name, values[name])
            changed.append(item)
            changed_fields |= fields

        if moving:
            offset = _temporary_offset((item.position for item in existing.values()), len(placed))
            for start in range(0, len(moving), 500):
                Item.objects.filter(pk__in=moving[start:start + 500]).update(position=F("position") + offset)
        if changed:
            fields = sorted(name.removesuffix("_id") for name in changed_fields)
            Item.objects.bulk_update(changed, fields)
        Item.objects.bulk_create(created)
        if later:
            # Parents this import created have their primary keys only now.
            keys = {**existing, **{item.key: item for item in created}}
            children = [keys[key] for key in later]
            for item in children:
                item.parent_id = keys[later[item.key]].pk
            Item.objects.bulk_update(children, ["parent"])

    def _write_keyed(self, model, label: str, entries, fields_of: Callable, *, reset: dict) -> None:
        """Pace plans and metrics: matched by key, positions in file order, the rest deleted."""
        roadmap = self.roadmap
        existing = {row.key: row for row in model.objects.filter(roadmap=roadmap)}
        if existing:
            offset = _temporary_offset((row.position for row in existing.values()), len(entries))
            model.objects.filter(roadmap=roadmap).update(position=F("position") + offset, **reset)
        wanted = {entry.key for entry in entries}
        removed = [row.pk for key, row in existing.items() if key not in wanted]
        if removed:
            try:
                model.objects.filter(pk__in=removed).delete()
            except ProtectedError:
                names = ", ".join(sorted(key for key in existing if key not in wanted))
                raise RoadmapImportError(
                    self.source, label, gettext(
                        "%(keys)s: no longer in the file, but learners have recorded entries for it; "
                        "keep it in the file"
                    ) % {"keys": names},
                ) from None
        updated, created = [], []
        fields: list[str] = []
        for position, entry in enumerate(entries):
            row = existing.get(entry.key) or model(roadmap=roadmap, key=entry.key)
            values = {"position": position, **fields_of(entry)}
            fields = list(values)
            for name, value in values.items():
                setattr(row, name, value)
            (updated if row.pk else created).append(row)
        if updated:
            model.objects.bulk_update(updated, fields)
        model.objects.bulk_create(created)

    @staticmethod
    def _pace_fields(entry) -> dict:
        return {
            "name": entry.name,
            "hours_per_week": entry.hours_per_week,
            "duration_weeks": entry.duration_weeks,
            "summary": entry.summary,
            "details": "\n".join(entry.details),
            "is_recommended": entry.recommended,
        }

    @staticmethod
    def _metric_fields(entry) -> dict:
        return {
            "name": entry.name,
            "unit": entry.unit,
            "target": entry.target,
            "description": entry.description,
        }

    def _write_guidance(self) -> None:
        roadmap = self.roadmap
        Guidance.objects.filter(roadmap=roadmap).delete()
        rows = [
            Guidance(
                roadmap=roadmap, kind=GuidanceKind.SCHEDULE, position=position, day=entry.day, hours=entry.hours,
                title=entry.title, body=entry.activity, url=entry.url, week=entry.week,
            )
            for position, entry in enumerate(self.data.schedule)
        ]
        for name, kind in GUIDANCE_LISTS.items():
            rows += [
                Guidance(roadmap=roadmap, kind=kind, position=position, title=entry.title, body=entry.body,
                         url=entry.url)
                for position, entry in enumerate(getattr(self.data.guidance, name))
            ]
        Guidance.objects.bulk_create(rows)

    def _write_prompts(self) -> None:
        roadmap = self.roadmap
        RetrospectivePrompt.objects.filter(roadmap=roadmap).delete()
        RetrospectivePrompt.objects.bulk_create(
            RetrospectivePrompt(roadmap=roadmap, position=position, text=text)
            for position, text in enumerate(self.data.retrospective_prompts)
        )
