"""Importing roadmap files: read, parse and validate everything first (every
problem of a file reported together), then write them all in one
transaction (`writer.save_roadmap`: rows updated in place, so learner data
stays attached).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from pydantic import ValidationError

from roadmaps.models import (
    ItemKind,
    Roadmap,
)
from roadmaps.yaml_io.errors import Problem, RoadmapImportError, problems_from_validation_error
from roadmaps.yaml_io.exporter import roadmap_data
from roadmaps.yaml_io.flowchart import flow_chart_to_data, is_flow_chart
from roadmaps.yaml_io.frontmatter import (
    FrontMatterIn,
    blank_front_matter,
    front_matter_path,
    split_front_matter,
    to_roadmap_data,
)
from roadmaps.yaml_io.loader import load_yaml_lines
from roadmaps.yaml_io.mojibake import repair_mojibake
from roadmaps.yaml_io.outline import outline_to_data
from roadmaps.yaml_io.renames import adopt_renamed_keys
from roadmaps.yaml_io.sanitising import markdown_warnings
from roadmaps.yaml_io.schema import ITEM_LISTS, ItemIn, RoadmapIn, StepIn, derive_key
from roadmaps.yaml_io.writer import save_roadmap

ROADMAP_SUFFIXES = {".yaml", ".yml", ".md"}


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


def _outline_hint(error: RoadmapImportError) -> RoadmapImportError:
    """A file that is not YAML and not named .yaml/.yml (a .txt, say) may
    be an outline: the error says how to read it as one."""
    if error.source.lower().endswith((".yaml", ".yml")) or error.total > 1:
        return error
    return RoadmapImportError(error.source, error.path, gettext(
        "%(problem)s. If it is a Markdown or plain-text outline, give the file a .md name (or import it with --outline)"
    ) % {"problem": error.message})


def _mojibake_warning(code_page: str, repaired: list[tuple[str, str]]) -> str:
    misread, right = repaired[0]
    return ngettext(
        "the text had been read as %(code_page)s and saved again (“%(misread)s” for “%(right)s”): "
        "read as UTF-8 again in %(count)d place; check it before you publish",
        "the text had been read as %(code_page)s and saved again (“%(misread)s” for “%(right)s”): "
        "read as UTF-8 again in %(count)d places; check them before you publish",
        len(repaired),
    ) % {"code_page": code_page, "misread": misread, "right": right, "count": len(repaired)}


def parse_file(text: str, *, source: str, outline: bool = False) -> ParsedRoadmap:
    """Validate one file's text: the full YAML format, Markdown with front matter,
    or (a `.md` file without front matter, or `outline=True`) a Markdown outline.

    Every problem is reported at once, in the order of the file.
    """
    text, misread_in, repaired = repair_mojibake(text.removeprefix("\ufeff"))
    limit = settings.ROADMAP_IMPORT_MAX_BYTES
    size = len(text.encode("utf-8"))
    if size > limit:
        raise RoadmapImportError(source, "", _too_big(size, limit))
    if not text.strip():
        raise RoadmapImportError(source, "", gettext("the file is empty"))

    warnings = [_mojibake_warning(misread_in, repaired)] if repaired else []
    keys_from_titles = True  # every format but the full YAML one makes the keys from the titles
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
        data, lines, outline_warnings = outline_to_data(blank_front_matter(text), source=source)
        warnings += outline_warnings
        show_line = True
    else:
        keys_from_titles = False
        try:
            data, lines = load_yaml_lines(text, source=source)
        except RoadmapImportError as error:
            raise _outline_hint(error) from None
        if is_flow_chart(data):
            keys_from_titles = True
            data, chart_warnings = flow_chart_to_data(data, source=source)
            warnings += chart_warnings
            lines = {}
        if not isinstance(data, dict):
            raise _outline_hint(RoadmapImportError(
                source, "", gettext("the file must hold a mapping of keys to values (slug: …, title: …), not %(what)s")
                % {"what": _a(data)}
            ))
    problems = _key_problems(data, rename=rename) + _structure_problems(data)
    roadmap = None
    try:
        roadmap = RoadmapIn.model_validate(data)
    except ValidationError as error:
        problems += problems_from_validation_error(error)
    if problems or roadmap is None:
        raise _ordered(source, problems, lines, rename, show_line=show_line)
    # Keys made from titles (an outline's, a chart's, a front matter's, a YAML item without one) follow renames.
    untitled_keys = None if keys_from_titles else {
        id(entry) for step in roadmap.steps for name in ITEM_LISTS for entry in getattr(step, name) if entry.key is None
    }
    _assign_keys(roadmap)
    adopt_renamed_keys(roadmap, only=untitled_keys)
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
                            "a topic with subtopics cannot be an alternative (its progress is its subtopics'); "
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


# --- Public entry points ----------------------------------------------------------------------------------------


def import_roadmap_text(text: str, *, source: str = "<upload>", created_by=None, outline: bool = False) -> Roadmap:
    """Import one file's text; the roadmap is created or updated in place."""
    return import_parsed(parse_file(text, source=source, outline=outline), created_by=created_by).roadmap


class Imported(NamedTuple):
    roadmap: Roadmap
    written: bool  # False: the file held what the roadmap held already


def import_parsed(parsed: ParsedRoadmap, *, created_by=None) -> Imported:
    """Write a file parse_file validated."""
    with transaction.atomic():
        return _write(parsed, created_by=created_by)


def _write(parsed: ParsedRoadmap, *, created_by) -> Imported:
    """`save_roadmap`, unless the file holds what the roadmap holds already:
    then nothing is written, and the roadmap keeps its updated_at — its
    cached pages and its learners' step summaries stay good (`make run`
    imports the demo content on every start)."""
    same = unchanged_roadmap(parsed.data)
    if same is not None:
        return Imported(same, written=False)
    return Imported(save_roadmap(parsed.data, source=parsed.source, created_by=created_by), written=True)


def unchanged_roadmap(data: RoadmapIn) -> Roadmap | None:
    """The roadmap `data` would overwrite, if it already reads as `data`
    (its export, validated as a file is; tags are a set, in any order)."""
    roadmap = Roadmap.objects.filter(slug=data.slug).first()
    if roadmap is None:
        return None
    try:
        current = RoadmapIn.model_validate(roadmap_data(roadmap))
    except ValidationError:
        return None
    _assign_keys(current)
    return roadmap if _comparable(current) == _comparable(data) else None


def _comparable(data: RoadmapIn) -> dict:
    dumped = data.model_dump()
    dumped["tags"] = sorted(dumped["tags"])
    return dumped


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
    return [imported.roadmap for imported in import_all(parse_paths(paths, outline=outline))]


def import_all(parsed: list[ParsedRoadmap]) -> list[Imported]:
    with transaction.atomic():
        return [_write(entry, created_by=None) for entry in parsed]


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
