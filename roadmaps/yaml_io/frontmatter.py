"""The simple Markdown-with-front-matter shape (a static-site roadmap page).

The front matter between the first two `---` lines holds the roadmap; the
Markdown body after it is page text with template tags and is not imported.
Keys a static site generator uses for its own purposes (layout, permalink,
date, tags…) are ignored; inside `steps` and `sections` unknown keys are
errors, as in the full format.
"""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from roadmaps.languages import DEFAULT_LANGUAGE
from roadmaps.yaml_io.schema import (
    Hours,
    Key,
    Language,
    Line,
    SkillLevelValue,
    Strict,
    TagName,
    Title,
    Week,
    _url,
    derive_key,
)

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<yaml>.*?)^---[ \t]*$", re.DOTALL | re.MULTILINE)


def split_front_matter(text: str) -> str | None:
    """The YAML between the opening and closing `---` lines, or None."""
    match = FRONT_MATTER.match(text)
    return match.group("yaml") if match else None


def blank_front_matter(text: str) -> str:
    """The text with its front matter (if any) as blank lines: what is left
    keeps its line numbers."""
    match = FRONT_MATTER.match(text)
    if not match:
        return text
    return "\n" * match.group(0).count("\n") + text[match.end():]


def _link(value: str) -> str:
    # Site-relative links ("/roadmaps/x/") point into the original site and
    # mean nothing as a URL here (`absolute_link` drops them), but they still
    # name the page, which makes a stable key. Absolute ones must be valid.
    value = value.strip()
    if "://" in value:
        _url(value)
    return value


def absolute_link(link: str) -> str:
    return link if "://" in link else ""


class SectionIn(Strict):
    key: Key | None = None
    title: Title
    link: Annotated[str, Field(max_length=500), AfterValidator(_link)] = ""
    hours: Hours | None = None


class FrontStepIn(Strict):
    key: Key | None = None
    title: Title
    description: Annotated[str, Field(max_length=300)] = ""
    estimated_hours: Hours | None = None
    weeks: Week | None = None
    sections: list[SectionIn] = []


class FrontMatterIn(BaseModel):
    # A page's front matter carries keys for the site generator: ignore them.
    model_config = ConfigDict(extra="ignore", strict=True)

    title: Title
    language: Language = DEFAULT_LANGUAGE
    description: str = ""
    steps: list[FrontStepIn] = []
    technologies: list[TagName] = []
    prerequisites: list[Line] = []
    outcomes: list[Line] = []
    skill_level: SkillLevelValue = "beginner"
    estimated_time: Annotated[str, Field(max_length=120)] = ""
    author: Annotated[str, Field(max_length=120)] = ""
    featured: bool = False
    status: Literal["draft", "published"] = "draft"


WEEKS = re.compile(r"(\d+)\s*(?:weeks?|wks?)\b", re.IGNORECASE)
WEEKLY_HOURS = re.compile(r"(\d+)\s*(?:hours?|hrs?|h)\s*(?:/|per|a|each)\s*(?:week|wk)\b", re.IGNORECASE)


def parse_estimated_time(text: str) -> tuple[int | None, int | None]:
    """"9 weeks (20 hrs/week)" -> (9, 20). Whatever cannot be read is None."""
    weekly = WEEKLY_HOURS.search(text)
    weekly_hours = int(weekly.group(1)) if weekly else None
    # Take the week count from outside the "per week" phrase.
    rest = WEEKLY_HOURS.sub(" ", text)
    weeks_match = WEEKS.search(rest)
    weeks = int(weeks_match.group(1)) if weeks_match else None
    if weeks is not None and not 1 <= weeks <= 32767:
        weeks = None
    if weekly_hours is not None and not 1 <= weekly_hours <= 168:
        weekly_hours = None
    return weeks, weekly_hours


def _summary(description: str) -> tuple[str, str]:
    """The catalogue summary (≤ 300 characters) and the long description.

    A short description serves as the summary alone; a long one is kept
    whole as the description and shortened at a word for the summary.
    """
    text = " ".join(description.split())
    if len(text) <= 300:
        return text, ""
    return text[:299].rsplit(" ", 1)[0] + "…", description.strip()


def to_roadmap_data(front: FrontMatterIn) -> dict:
    """The front matter as data in the full format, every step and topic keyed."""
    weeks, weekly_hours = parse_estimated_time(front.estimated_time)
    summary, description = _summary(front.description)
    step_keys = distinct_keys([(step.key, step.title, "") for step in front.steps])
    # Item keys are unique across the whole roadmap, so all sections are keyed together.
    places = [(index, number) for index, step in enumerate(front.steps) for number in range(len(step.sections))]
    keys = distinct_keys([
        (section.key, section.title, section.link) for step in front.steps for section in step.sections
    ])
    section_keys = dict(zip(places, keys, strict=True))
    return {
        "slug": derive_key(front.title),
        "language": front.language,
        "title": front.title,
        "summary": summary or front.title,
        "description": description,
        "skill_level": front.skill_level,
        "tags": front.technologies,
        "prerequisites": front.prerequisites,
        "outcomes": front.outcomes,
        "duration_weeks": weeks,
        "weekly_hours": weekly_hours,
        "duration_note": front.estimated_time,
        "author": front.author,
        "featured": front.featured,
        "status": front.status,
        "steps": [
            {
                "key": step_key,
                "title": step.title,
                "summary": step.description,
                "weeks": step.weeks,
                "hours": step.estimated_hours,
                "topics": [
                    {"key": section_keys[(index, number)], "title": section.title,
                     "url": absolute_link(section.link), "hours": section.hours}
                    for number, section in enumerate(step.sections)
                ],
            }
            for (index, step), step_key in zip(enumerate(front.steps), step_keys, strict=True)
        ],
    }


def _fine_key(title: str) -> str:
    # "Topic 1.11" and "Topic 11.1" both slugify to "topic-111": punctuation
    # becomes a separator instead of vanishing, which tells them apart.
    return derive_key(re.sub(r"[^\w\s-]", " ", title))


def _link_key(link: str) -> str:
    # The last segment of the page it links to: ".../server/basics/" -> "basics".
    path = link.split("://", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    segments = [segment for segment in path.split("/") if segment]
    if "://" in link:
        segments = segments[1:]  # not the host
    return derive_key(segments[-1].rsplit(".", 1)[0]) if segments else ""


def _hash_key(base: str, title: str) -> str:
    digest = hashlib.sha1(title.encode("utf-8"), usedforsecurity=False).hexdigest()[:6]
    return f"{(base or 'entry')[:73].rstrip('-_')}-{digest}"


def distinct_keys(entries: list[tuple[str | None, str, str]]) -> list[str]:
    """Keys for (key, title, link) entries, distinct whenever titles slugify alike.

    An entry's own `key` is kept (two equal ones are reported by the importer).
    Otherwise the key is made from the title; where two titles make the same
    key (or one an explicit key holds), each of them takes the first of these
    that is unique: the title with punctuation as separators, the last segment
    of its link, the title's key plus a short digest of the exact title. Every
    choice depends on the entry's own text, never on its place in the list, so
    reordering a file keeps every key, and re-importing gives the same keys.
    """
    explicit = {key for key, _, _ in entries if key}
    bases = [derive_key(title) if key is None else key for key, title, _ in entries]
    derived = [base for (key, _, _), base in zip(entries, bases, strict=True) if key is None]
    clashing = {base for base in derived if derived.count(base) > 1 or base in explicit or not base}
    keys: list[str] = []
    ways = [
        lambda title, link, base: _fine_key(title),
        lambda title, link, base: _link_key(link),
        lambda title, link, base: _hash_key(base, title),
    ]
    candidates = [
        [way(title, link, base) for way in ways] if key is None and base in clashing else []
        for (key, title, link), base in zip(entries, bases, strict=True)
    ]
    plain = {base for base, options in zip(bases, candidates, strict=True) if not options}
    for index, (base, options) in enumerate(zip(bases, candidates, strict=True)):
        if not options:
            keys.append(base)
            continue
        chosen = ""
        for way, option in enumerate(options):
            rivals = [other[way] for number, other in enumerate(candidates) if other and number != index]
            if option and option not in plain and option not in rivals and option not in keys:
                chosen = option
                break
        if not chosen:  # the same title and link twice: only the place is left to tell them apart
            chosen, number = options[-1], 1
            while chosen in keys or chosen in plain:
                number += 1
                chosen = f"{options[-1]}-{number}"
        keys.append(chosen)
    return keys


def front_matter_path(path: str) -> str:
    """A path in the full format's terms, put back in the front matter's."""
    path = re.sub(r"(steps\[\d+\])\.topics\[", r"\1.sections[", path)
    path = re.sub(r"(sections\[\d+\])\.url\b", r"\1.link", path)
    path = re.sub(r"(steps\[\d+\])\.summary\b", r"\1.description", path)
    path = re.sub(r"(steps\[\d+\])\.hours\b", r"\1.estimated_hours", path)
    path = re.sub(r"(steps\[\d+\])\.weeks\b", r"\1.weeks", path)
    if path == "tags" or path.startswith("tags["):
        path = "technologies" + path[4:]
    if path == "slug":
        path = "title"
    if path in {"duration_weeks", "weekly_hours", "duration_note"}:
        path = "estimated_time"
    return path
