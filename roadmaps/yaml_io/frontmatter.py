"""The simple Markdown-with-front-matter shape (a static-site roadmap page).

The front matter between the first two `---` lines holds the roadmap; the
Markdown body after it is page text with template tags and is not imported.
Keys a static site generator uses for its own purposes (layout, permalink,
date, tags…) are ignored; inside `steps` and `sections` unknown keys are
errors, as in the full format.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from roadmaps.yaml_io.schema import (
    Hours,
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


def _link(value: str) -> str:
    # Site-relative links ("/roadmaps/x/") point into the original site and
    # mean nothing here: they are dropped. Absolute ones must be valid.
    value = value.strip()
    if not value or "://" not in value:
        return ""
    return _url(value)


class SectionIn(Strict):
    title: Title
    link: Annotated[str, Field(max_length=500), AfterValidator(_link)] = ""
    hours: Hours | None = None


class FrontStepIn(Strict):
    title: Title
    description: Annotated[str, Field(max_length=300)] = ""
    estimated_hours: Hours | None = None
    weeks: Week | None = None
    sections: list[SectionIn] = []


class FrontMatterIn(BaseModel):
    # A page's front matter carries keys for the site generator: ignore them.
    model_config = ConfigDict(extra="ignore", strict=True)

    title: Title
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
    """The front matter as data in the full format (keys are derived later)."""
    weeks, weekly_hours = parse_estimated_time(front.estimated_time)
    summary, description = _summary(front.description)
    return {
        "slug": derive_key(front.title),
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
                "title": step.title,
                "summary": step.description,
                "weeks": step.weeks,
                "hours": step.estimated_hours,
                "topics": [
                    {"title": section.title, "url": section.link, "hours": section.hours}
                    for section in step.sections
                ],
            }
            for step in front.steps
        ],
    }


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
