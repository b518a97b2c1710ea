"""The roadmap file format (docs/roadmap-yaml.md) as pydantic models.

Every model forbids unknown keys and validates strictly (a YAML string is not
silently turned into a number or a boolean), so a typo in a file is an error
naming the key rather than data quietly dropped.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from roadmaps.languages import DEFAULT_LANGUAGE, is_known_language, normalise_language_code

FORMAT = "waymark/roadmap@1"

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
MAX_HOURS = Decimal("99999.9")  # DecimalField(max_digits=6, decimal_places=1)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_lists_are_empty(cls, data: object) -> object:
        # "resources:" with nothing under it reads as null; people mean an empty list.
        if isinstance(data, dict):
            for name, field in cls.model_fields.items():
                if name in data and data[name] is None:
                    if isinstance(field.default, list):
                        data = {**data, name: []}
                    elif isinstance(field.default, BaseModel):
                        data = {**data, name: {}}
        return data


def _key(value: str) -> str:
    if not KEY_PATTERN.match(value):
        raise ValueError(gettext("must be a slug: lower-case letters, digits, “-” and “_”"))
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError(gettext("must not be empty"))
    return value


def _one_line(value: str) -> str:
    """Values stored one per line (prerequisites, outcomes, details…) cannot hold a line break."""
    _not_blank(value)
    if "\n" in value or "\r" in value:
        raise ValueError(gettext("must be a single line"))
    return value.strip()


def _url(value: str) -> str:
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except DjangoValidationError:
            raise ValueError(gettext("must be a full http:// or https:// address")) from None
    return value


def _language_spelling(value: object) -> object:
    # BCP 47 is case-insensitive: "pt-BR" is Django's "pt-br".
    return normalise_language_code(value) if isinstance(value, str) else value


def _language(value: str) -> str:
    if not is_known_language(value):
        raise ValueError(
            gettext("“%(code)s” is not a language code Django knows; use one such as “en”, “es” or “pt-br”")
            % {"code": value}
        )
    return value


def _hours(value: object) -> object:
    """YAML gives ints and floats; keep what was written (2.5, not 2.4999…)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value  # the strict Decimal check reports the wrong type
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(gettext("must be a number of hours")) from None
    if not hours.is_finite() or hours <= 0:
        raise ValueError(gettext("must be a positive number of hours"))
    if hours != hours.quantize(Decimal("0.1")):
        raise ValueError(gettext("may have at most one decimal (e.g. 2.5)"))
    if hours > MAX_HOURS:
        raise ValueError(gettext("must be at most %(hours)s") % {"hours": MAX_HOURS})
    return hours.quantize(Decimal("0.1"))


Key = Annotated[str, Field(max_length=80), AfterValidator(_key)]
Title = Annotated[str, Field(max_length=200), AfterValidator(_not_blank)]
Line = Annotated[str, AfterValidator(_one_line)]
Url = Annotated[str, Field(max_length=500), AfterValidator(_url)]
Hours = Annotated[Decimal, BeforeValidator(_hours)]
Week = Annotated[int, Field(ge=1, le=32767)]
Language = Annotated[str, BeforeValidator(_language_spelling), AfterValidator(_language)]
TagName = Annotated[str, Field(max_length=60), AfterValidator(_one_line)]

SkillLevelValue = Literal["beginner", "intermediate", "advanced", "all"]
StatusValue = Literal["draft", "published"]
ResourceKindValue = Literal["", "article", "video", "course", "book", "docs", "practice", "community", "tool", "other"]
DayValue = Literal["", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "weekdays", "weekend", "daily"]
ItemStatusValue = Literal["core", "optional", "alternative"]
GroupName = Annotated[str, Field(max_length=80), AfterValidator(_one_line)]
Heading = Annotated[str, Field(max_length=120), AfterValidator(_one_line)]


class ItemIn(Strict):
    key: Key | None = None
    title: Title
    status: ItemStatusValue = "core"
    alternative_group: GroupName | None = None
    url: Url = ""
    hours: Hours | None = None
    week: Week | None = None

    @model_validator(mode="after")
    def _group_with_alternative(self) -> ItemIn:
        if self.status == "alternative" and not self.alternative_group:
            raise ValueError(
                gettext("status “alternative” needs an alternative_group: the name its alternatives share")
            )
        if self.status != "alternative" and self.alternative_group:
            raise ValueError(
                gettext("alternative_group is only for status “alternative” (this one is “%(status)s”)")
                % {"status": self.status}
            )
        return self


class ResourceIn(ItemIn):
    kind: ResourceKindValue = ""
    why: str = ""
    body: str = ""


class SubtopicIn(ItemIn):
    """A topic under a topic: trackable itself, with resources of its own; one level only."""

    body: str = ""
    resources: list[ResourceIn] = []


class TopicIn(ItemIn):
    body: str = ""
    heading: Heading | None = None
    subtopics: list[SubtopicIn] = []
    resources: list[ResourceIn] = []


class ProjectIn(ItemIn):
    description: str = ""
    skills: list[Annotated[str, AfterValidator(_one_line)]] = []
    capstone: bool = False

    @field_validator("skills")
    @classmethod
    def _skills_fit(cls, skills: list[str]) -> list[str]:
        if any("," in skill for skill in skills):
            raise ValueError(gettext("a skill cannot contain a comma; list each skill separately"))
        if len(", ".join(skills)) > 300:
            raise ValueError(gettext("the skills together may be at most 300 characters"))
        return skills


class CheckpointIn(ItemIn):
    body: str = ""


class WeeklyGoalIn(Strict):
    week: Week
    goal: Line


class StepIn(Strict):
    key: Key | None = None
    title: Title
    summary: Annotated[str, Field(max_length=300)] = ""
    goal: str = ""
    motto: Annotated[str, Field(max_length=200)] = ""
    weeks: Week | None = None
    hours: Hours | None = None
    success_metric: str = ""
    any_order: bool = False
    weekly_goals: list[WeeklyGoalIn] = []
    topics: list[TopicIn] = []
    resources: list[ResourceIn] = []
    projects: list[ProjectIn] = []
    checkpoints: list[CheckpointIn] = []


class PacePlanIn(Strict):
    key: Key | None = None
    name: Annotated[str, Field(max_length=80), AfterValidator(_not_blank)]
    hours_per_week: Hours
    duration_weeks: Week | None = None
    summary: Annotated[str, Field(max_length=300)] = ""
    details: list[Line] = []
    recommended: bool = False

    @field_validator("hours_per_week")
    @classmethod
    def _within_week(cls, hours: Decimal) -> Decimal:
        if hours > 168:
            raise ValueError(gettext("a week has only 168 hours"))
        return hours


class ScheduleEntryIn(Strict):
    day: DayValue = ""
    hours: Hours | None = None
    title: Annotated[str, Field(max_length=200)] = ""
    activity: str = ""
    url: Url = ""
    week: Week | None = None

    @field_validator("hours")
    @classmethod
    def _within_week(cls, hours: Decimal | None) -> Decimal | None:
        if hours is not None and hours > 168:
            raise ValueError(gettext("a week has only 168 hours"))
        return hours

    @model_validator(mode="after")
    def _not_empty(self) -> ScheduleEntryIn:
        if not self.title.strip() and not self.activity.strip():
            raise ValueError(gettext("give a title or an activity"))
        return self


class GuidanceEntryIn(Strict):
    title: Annotated[str, Field(max_length=200)] = ""
    body: str = ""
    url: Url = ""

    @model_validator(mode="after")
    def _not_empty(self) -> GuidanceEntryIn:
        if not self.title.strip() and not self.body.strip():
            raise ValueError(gettext("give a title or a body"))
        return self


def _entry_from_text(value: object) -> object:
    # A plain string is the short form of {body: "..."}.
    return {"body": value} if isinstance(value, str) else value


GuidanceEntry = Annotated[GuidanceEntryIn, BeforeValidator(_entry_from_text)]


class GuidanceIn(Strict):
    tips: list[GuidanceEntry] = []
    mistakes: list[GuidanceEntry] = []
    quick_wins: list[GuidanceEntry] = []
    leverage: list[GuidanceEntry] = []
    next_steps: list[GuidanceEntry] = []


# The file's guidance lists and the Guidance.kind each one is stored as.
GUIDANCE_LISTS = {
    "tips": "tip",
    "mistakes": "mistake",
    "quick_wins": "quick_win",
    "leverage": "leverage",
    "next_steps": "next_step",
}

# The file's item lists, in the order they are written, and the Item.kind
# of each.
ITEM_LISTS = {"topics": "topic", "resources": "resource", "projects": "project", "checkpoints": "checkpoint"}


class MetricIn(Strict):
    key: Key | None = None
    name: Annotated[str, Field(max_length=120), AfterValidator(_not_blank)]
    unit: Annotated[str, Field(max_length=40)] = ""
    target: Annotated[int, Field(ge=1, le=2_147_483_647)] | None = None
    description: str = ""


class RoadmapIn(Strict):
    format: Literal["waymark/roadmap@1"] = FORMAT
    slug: Key
    language: Language = DEFAULT_LANGUAGE
    title: Title
    summary: Annotated[str, Field(max_length=300), AfterValidator(_not_blank)]
    description: str = ""
    audience: str = ""
    skill_level: SkillLevelValue = "beginner"
    tags: list[TagName] = []
    prerequisites: list[Line] = []
    outcomes: list[Line] = []
    duration_weeks: Week | None = None
    weekly_hours: Annotated[int, Field(ge=1, le=168)] | None = None
    duration_note: Annotated[str, Field(max_length=120)] = ""
    author: Annotated[str, Field(max_length=120)] = ""
    featured: bool = False
    status: StatusValue = "draft"
    retrospective_interval_weeks: Annotated[int, Field(ge=1, le=12)] = 2
    retrospective_prompts: list[Annotated[str, Field(max_length=300), AfterValidator(_not_blank)]] = []
    pace_plans: list[PacePlanIn] = []
    schedule: list[ScheduleEntryIn] = []
    guidance: GuidanceIn = GuidanceIn()
    metrics: list[MetricIn] = []
    steps: list[StepIn] = []
    topics: list[TopicIn] = []
    resources: list[ResourceIn] = []
    projects: list[ProjectIn] = []
    checkpoints: list[CheckpointIn] = []


def derive_key(title: str) -> str:
    """The key an entry gets from its title: "HTTP & Web Basics" -> "http-web-basics"."""
    from django.utils.text import slugify

    return slugify(title)[:80].strip("-_")
