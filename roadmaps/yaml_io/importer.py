"""Importing roadmap files: parse and validate everything first, then write
in one transaction, updating rows in place so learner data stays attached.

Matching on re-import: the roadmap by `slug`, steps, items, pace plans and
metrics by `key`. Items the file no longer lists are retired, never deleted.
Guidance, the schedule and the roadmap's own retrospective prompts carry no
learner data and are replaced wholesale.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models import F, ProtectedError, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from pydantic import ValidationError

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
from roadmaps.yaml_io.errors import Problem, RoadmapImportError, problems_from_validation_error
from roadmaps.yaml_io.frontmatter import (
    FrontMatterIn,
    blank_front_matter,
    front_matter_path,
    split_front_matter,
    to_roadmap_data,
)
from roadmaps.yaml_io.loader import load_yaml_lines
from roadmaps.yaml_io.outline import outline_to_data
from roadmaps.yaml_io.sanitising import markdown_warnings
from roadmaps.yaml_io.schema import GUIDANCE_LISTS, ItemIn, RoadmapIn, StepIn, derive_key

ROADMAP_SUFFIXES = {".yaml", ".yml", ".md"}
# The file's item lists, in the order they are written, and the kind of each.
ITEM_LISTS = {"topics": ItemKind.TOPIC, "resources": ItemKind.RESOURCE, "projects": ItemKind.PROJECT,
              "checkpoints": ItemKind.CHECKPOINT}


def _same(path: str) -> str:
    return path


@dataclass
class ParsedRoadmap:
    """A validated file: its roadmap data, and warnings that do not stop the import
    (what the Markdown sanitiser will drop, how an outline was read)."""

    source: str
    data: RoadmapIn
    warnings: list[str] = field(default_factory=list)


# --- Parsing and validation (no database) -----------------------------------------------------------------------


def parse_file(text: str, *, source: str, outline: bool = False) -> ParsedRoadmap:
    """Validate one file's text: the full YAML format, Markdown with front matter,
    or (a `.md` file without front matter, or `outline=True`) a Markdown outline.

    Every problem is reported at once, in the order of the file.
    """
    text = text.removeprefix("\ufeff")
    limit = settings.ROADMAP_IMPORT_MAX_BYTES
    size = len(text.encode("utf-8"))
    if size > limit:
        raise RoadmapImportError(source, "", _too_big(size, limit))
    if not text.strip():
        raise RoadmapImportError(source, "", gettext("the file is empty"))

    warnings: list[str] = []
    show_line = False  # an outline's paths are not in the file: its problems name lines
    front = None if outline else split_front_matter(text)
    rename: Callable[[str], str] = _same
    if front is not None:
        raw, lines = load_yaml_lines(front, source=source, what="front matter", first_line=2)
        if not isinstance(raw, dict):
            raise RoadmapImportError(
                source, "", gettext("the front matter must be a mapping of keys to values (title: …)")
            )
        try:
            data = to_roadmap_data(FrontMatterIn.model_validate(raw))
        except ValidationError as error:
            raise _ordered(source, problems_from_validation_error(error), lines, _same) from None
        rename = front_matter_path
    elif outline or source.lower().endswith(".md"):
        data, lines, warnings = outline_to_data(blank_front_matter(text), source=source)
        show_line = True
    else:
        data, lines = load_yaml_lines(text, source=source)
        if not isinstance(data, dict):
            raise RoadmapImportError(
                source, "", gettext("the file must hold a mapping of keys to values (slug: …, title: …), not %(what)s")
                % {"what": _a(data)}
            )
    problems = _key_problems(data, rename=rename) + _structure_problems(data)
    roadmap = None
    try:
        roadmap = RoadmapIn.model_validate(data)
    except ValidationError as error:
        problems += problems_from_validation_error(error)
    if problems or roadmap is None:
        raise _ordered(source, problems, lines, rename, show_line=show_line)
    _assign_keys(roadmap)
    warnings += [f"{rename(path)}: {message}" for path, message in markdown_warnings(roadmap)]
    return ParsedRoadmap(source=source, data=roadmap, warnings=warnings)


def parse_roadmap(text: str, *, source: str) -> RoadmapIn:
    """Validate one file's text (see parse_file) and return its data."""
    return parse_file(text, source=source).data


def _line_of(path: str, lines: dict[str, int]) -> int:
    """The line of `path`, or of the nearest enclosing entry (a missing key is not in the file)."""
    while path and path not in lines:
        shorter = re.sub(r"(\.?[^.\[\]]+|\[\d+\])$", "", path)
        path = shorter if shorter != path else ""
    return lines.get(path, 0)


def _ordered(source: str, problems: list[Problem], lines: dict[str, int],
             rename: Callable[[str], str], *, show_line: bool = False) -> RoadmapImportError:
    """The problems in the file's terms, ordered by the line they are on."""
    located = []
    for index, problem in enumerate(problems):
        path = rename(problem.path)
        line = _line_of(path, lines) or _line_of(problem.path, lines)
        if show_line and line:
            words = {"line": line, "path": path}
            path = gettext("line %(line)d (%(path)s)") % words if path else gettext("line %(line)d") % words
        located.append((line, index, Problem(path, problem.message, line or None)))
    located.sort(key=lambda entry: entry[:2])
    return RoadmapImportError(source, problems=[problem for _, _, problem in located])


def _a(value: object) -> str:
    if isinstance(value, list):
        return gettext("a list")
    if isinstance(value, str):
        return gettext("plain text")
    return gettext("a single value (%(type)s)") % {"type": type(value).__name__}


def _too_big(size: int, limit: int) -> str:
    return gettext("the file is %(size)s bytes; the limit is %(limit)s bytes") % {
        "size": number_format(size, force_grouping=True), "limit": number_format(limit, force_grouping=True),
    }


def _getter(data: object) -> Callable[[str], object]:
    """Read a field of raw (dict) or validated (model) data alike."""
    if isinstance(data, dict):
        return data.get
    return lambda name: getattr(data, name, None)


def _entries(value: object) -> list:
    return value if isinstance(value, list) else []


def item_lists(container: object, base: str):
    """(entries, path of the list, kind, parent entry or None) for every item
    list of a step (or of the roadmap itself, `base` ""), raw or validated:
    its four lists, and under each topic its subtopics and its resources, and
    under each subtopic its resources. Lists in file order, parents first."""
    get = _getter(container)
    prefix = f"{base}." if base else ""
    for name, kind in ITEM_LISTS.items():
        yield get(name), f"{prefix}{name}", kind, None
        if name != "topics":
            continue
        for index, topic in enumerate(_entries(get(name))):
            if not isinstance(topic, dict | ItemIn):
                continue
            topic_path = f"{prefix}topics[{index}]"
            topic_get = _getter(topic)
            yield topic_get("subtopics"), f"{topic_path}.subtopics", ItemKind.TOPIC, topic
            for sub_index, subtopic in enumerate(_entries(topic_get("subtopics"))):
                if isinstance(subtopic, dict | ItemIn):
                    yield (_getter(subtopic)("resources"), f"{topic_path}.subtopics[{sub_index}].resources",
                           ItemKind.RESOURCE, subtopic)
            yield topic_get("resources"), f"{topic_path}.resources", ItemKind.RESOURCE, topic


def _keyed_lists(data: object):
    """(list, path of the list, namespace, label) for every keyed list in the
    file's data, raw or validated. Items share one namespace across the whole
    roadmap, because the key is what a re-import matches a learner's item by."""
    get = _getter(data)
    yield get("steps"), "steps", "steps", "title"
    for index, step in enumerate(_entries(get("steps"))):
        if isinstance(step, dict | StepIn):
            for entries, path, _, _ in item_lists(step, f"steps[{index}]"):
                yield entries, path, "items", "title"
    for entries, path, _, _ in item_lists(data, ""):
        yield entries, path, "items", "title"
    yield get("pace_plans"), "pace_plans", "pace_plans", "name"
    yield get("metrics"), "metrics", "metrics", "name"


def _structure_problems(data: dict) -> list[Problem]:
    """Alternatives, subtopics and headings that cannot be held as written,
    checked on the raw data (in the same run as everything else)."""
    problems: list[Problem] = []
    containers = [(step, f"steps[{index}]") for index, step in enumerate(_entries(data.get("steps")))
                  if isinstance(step, dict)]
    for container, base in [*containers, (data, "")]:
        group_list: dict[str, str] = {}  # group name → the list that holds it (a step's groups are its own)
        members: dict[str, list[str]] = defaultdict(list)
        for entries, path, _, _ in item_lists(container, base):
            for index, entry in enumerate(_entries(entries)):
                if not isinstance(entry, dict):
                    continue
                where = f"{path}[{index}]"
                group = entry.get("alternative_group")
                if entry.get("status") == "alternative" and isinstance(group, str) and group.strip():
                    if group_list.setdefault(group, path) != path:
                        problems.append(Problem(
                            f"{where}.alternative_group",
                            gettext(
                                "the group %(group)r is already used in %(list)s: alternatives are "
                                "listed together, in one list; give this group another name"
                            ) % {"group": group, "list": group_list[group]},
                        ))
                    else:
                        members[group].append(where)
                if entry.get("status") == "alternative" and _entries(entry.get("subtopics")):
                    problems.append(Problem(
                        f"{where}.status",
                        gettext(
                            "a topic with subtopics cannot be one of alternatives (its progress is its subtopics'); "
                            "make the subtopics the alternatives, or make the topic optional"
                        ),
                    ))
        for group, found in members.items():
            if len(found) == 1:
                problems.append(Problem(
                    f"{found[0]}.alternative_group",
                    gettext(
                        "%(group)r is the only alternative of its group: give another item the same "
                        "alternative_group, or make this one optional"
                    ) % {"group": group},
                ))
        topics = _entries(_getter(container)("topics"))
        prefix = f"{base}." if base else ""
        last, seen = None, {}
        for index, topic in enumerate(topics):
            heading = topic.get("heading") if isinstance(topic, dict) else None
            if isinstance(heading, str) and heading.strip():
                if heading in seen and last != heading:
                    problems.append(Problem(
                        f"{prefix}topics[{index}].heading",
                        gettext(
                            "the heading %(heading)r is also on %(other)s, with other topics "
                            "in between: topics under one heading are listed one after another"
                        ) % {"heading": heading, "other": f"{prefix}topics[{seen[heading]}]"},
                    ))
                seen.setdefault(heading, index)
            last = heading if isinstance(heading, str) and heading.strip() else None
    return problems


def _key_problems(data: dict, *, rename: Callable[[str], str]) -> list[Problem]:
    """Every key used twice, and every title no key can be made from.

    Checked on the raw data, so that these are reported in the same run as
    the type errors pydantic finds; entries too malformed to have a key are
    left to pydantic.
    """
    problems: list[Problem] = []
    seen: dict[str, dict[str, str]] = defaultdict(dict)
    for entries, base, namespace, label in _keyed_lists(data):
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict):
                continue
            path = f"{base}[{index}]"
            key = entry.get("key")
            if key is None:
                text = entry.get(label)
                if not isinstance(text, str) or not text.strip():
                    continue
                key, where = derive_key(text), f"{path}.{label}"
                if not key:
                    problems.append(Problem(
                        where, gettext("no key can be made from this %(field)s; add a “key”") % {"field": label}
                    ))
                    continue
                hint = gettext(" (made from the %(field)s; give one of them its own “key”)") % {"field": label}
            elif isinstance(key, str):
                where, hint = f"{path}.key", ""
            else:
                continue
            if key in seen[namespace]:
                problems.append(Problem(where, gettext("duplicate key %(key)r, already used by %(other)s%(hint)s") % {
                    "key": key, "other": rename(seen[namespace][key]), "hint": hint,
                }))
            else:
                seen[namespace][key] = path

    plans = data.get("pace_plans")
    recommended = [index for index, plan in enumerate(plans if isinstance(plans, list) else [])
                   if isinstance(plan, dict) and plan.get("recommended") is True]
    for index in recommended[1:]:
        problems.append(Problem(
            f"pace_plans[{index}].recommended",
            gettext("only one pace plan can be recommended, and %(other)s already is")
            % {"other": f"pace_plans[{recommended[0]}]"},
        ))

    tags: dict[str, int] = {}
    names = data.get("tags")
    for index, name in enumerate(names if isinstance(names, list) else []):
        if not isinstance(name, str) or not name.strip():
            continue
        slug = derive_key(name)[:60]
        if not slug:
            problems.append(Problem(f"tags[{index}]", gettext("no tag slug can be made from this name")))
        elif slug in tags:
            problems.append(Problem(
                f"tags[{index}]", gettext("duplicate tag, the same as %(other)s") % {"other": f"tags[{tags[slug]}]"}
            ))
        else:
            tags[slug] = index
    return problems


def _assign_keys(roadmap: RoadmapIn) -> None:
    """Fill in keys made from titles (or names); `_key_problems` made sure they are unique."""
    for entries, _, _, label in _keyed_lists(roadmap):
        for entry in entries:
            if entry.key is None:
                entry.key = derive_key(getattr(entry, label))


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


# --- Public entry points ----------------------------------------------------------------------------------------


def import_roadmap_text(text: str, *, source: str = "<upload>", created_by=None, outline: bool = False) -> Roadmap:
    """Import one file's text; the roadmap is created or updated in place."""
    return import_parsed(parse_file(text, source=source, outline=outline), created_by=created_by)


def import_parsed(parsed: ParsedRoadmap, *, created_by=None) -> Roadmap:
    """Write a file parse_file validated."""
    with transaction.atomic():
        return _save(parsed.data, source=parsed.source, created_by=created_by)


def parse_paths(paths: list[str | Path], *, outline: bool = False) -> list[ParsedRoadmap]:
    """Read and validate files and folders (*.yaml, *.yml, *.md in a folder,
    sorted by name) without writing anything."""
    parsed: list[ParsedRoadmap] = []
    slugs: dict[str, str] = {}
    for path, explicit in _collect(paths):
        source = str(path)
        text = _read(path, source=source)
        if not explicit and path.suffix.lower() == ".md" and split_front_matter(text.removeprefix("\ufeff")) is None:
            continue  # a README or notes beside the roadmaps, not a roadmap
        entry = parse_file(text, source=source, outline=outline and explicit)
        if entry.data.slug in slugs:
            other = slugs[entry.data.slug]
            raise RoadmapImportError(
                source, "slug",
                gettext("%(slug)r is also the slug of %(other)s") % {"slug": entry.data.slug, "other": other},
            )
        slugs[entry.data.slug] = source
        parsed.append(entry)
    return parsed


def import_roadmap_paths(paths: list[str | Path], *, outline: bool = False) -> list[Roadmap]:
    """Import files and folders (see parse_paths).

    Every file is validated before anything is written, and all of them are
    written in one transaction: any error and nothing is imported.
    """
    return import_all(parse_paths(paths, outline=outline))


def import_all(parsed: list[ParsedRoadmap]) -> list[Roadmap]:
    with transaction.atomic():
        return [_save(entry.data, source=entry.source, created_by=None) for entry in parsed]


def _collect(paths: Iterable[str | Path]) -> list[tuple[Path, bool]]:
    files: list[tuple[Path, bool]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in ROADMAP_SUFFIXES)
            if not found:
                raise RoadmapImportError(str(path), "", gettext("the folder holds no .yaml, .yml or .md files"))
            files.extend((p, False) for p in found)
        elif path.is_file():
            files.append((path, True))
        else:
            raise RoadmapImportError(str(path), "", gettext("no such file or folder"))
    return files


def _read(path: Path, *, source: str) -> str:
    limit = settings.ROADMAP_IMPORT_MAX_BYTES
    size = path.stat().st_size
    if size > limit:
        raise RoadmapImportError(source, "", _too_big(size, limit))
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise RoadmapImportError(source, "", gettext("the file is not UTF-8 text")) from None


# --- Writing ----------------------------------------------------------------------------------------------------


def _save(data: RoadmapIn, *, source: str, created_by) -> Roadmap:
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
