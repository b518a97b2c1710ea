"""Writing a roadmap as YAML in the format the importer reads.

Every key is written (empty ones too), in a fixed order, so that a file is
easy to diff and to extend by hand, and export → import → export gives the
same text. Only active items are written: retired ones are not part of the
roadmap any more.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import yaml

from roadmaps.languages import DEFAULT_LANGUAGE
from roadmaps.models import (
    Guidance,
    GuidanceKind,
    Item,
    ItemKind,
    ItemStatus,
    MetricDefinition,
    PacePlan,
    RetrospectivePrompt,
    Roadmap,
    Step,
    parse_weekly_goals,
)
from roadmaps.yaml_io.schema import FORMAT, GUIDANCE_LISTS

KIND_LISTS = {ItemKind.TOPIC: "topics", ItemKind.RESOURCE: "resources", ItemKind.PROJECT: "projects",
              ItemKind.CHECKPOINT: "checkpoints"}


class _Dumper(yaml.SafeDumper):
    """Block style, unicode kept, multi-line text as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):  # type: ignore[override]
        # Indent list items under their key, the way people write YAML.
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    value = str.__str__(value)  # choices enums and other str subclasses as plain text
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_float(float(value))


_Dumper.add_representer(str, _represent_str)
_Dumper.add_multi_representer(str, _represent_str)
_Dumper.add_representer(Decimal, _represent_decimal)


def _text(value: str) -> str:
    # Text typed in a browser arrives with CRLF line ends; files use LF.
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _hours(value: Decimal | None) -> Decimal | None:
    return value.normalize() if value is not None else None


def _item(item: Item, children: dict[int, list[Item]], *, top: bool = True) -> dict:
    data: dict = {"key": item.key, "title": item.title}
    # Structure keys only when they say something: a roadmap without any
    # exports as it did before they existed.
    if item.heading:
        data["heading"] = item.heading
    if item.status != ItemStatus.CORE:
        data["status"] = item.status
    if item.alternative_group:
        data["alternative_group"] = item.alternative_group
    if item.kind == ItemKind.RESOURCE:
        data["kind"] = item.resource_kind
    data["url"] = item.url
    data["hours"] = _hours(item.estimated_hours)
    data["week"] = item.week
    if item.kind == ItemKind.PROJECT:
        data["skills"] = item.skill_list
        data["capstone"] = item.is_capstone
        data["description"] = _text(item.body)
    else:
        if item.kind == ItemKind.RESOURCE:
            data["why"] = _text(item.why)
        data["body"] = _text(item.body)
    if item.kind == ItemKind.TOPIC:
        under = children.get(item.pk, [])
        subtopics = [child for child in under if child.kind == ItemKind.TOPIC] if top else []
        resources = [child for child in under if child.kind == ItemKind.RESOURCE]
        if subtopics:
            data["subtopics"] = [_item(child, children, top=False) for child in subtopics]
        if resources:
            data["resources"] = [_item(child, children) for child in resources]
    return data


def _item_lists(items: list[Item], children: dict[int, list[Item]]) -> dict[str, list[dict]]:
    lists: dict[str, list[dict]] = {name: [] for name in KIND_LISTS.values()}
    for item in items:
        lists[KIND_LISTS[item.kind]].append(_item(item, children))
    return lists


def _step(step: Step, items: list[Item], children: dict[int, list[Item]]) -> dict:
    data = {
        "key": step.key,
        "title": step.title,
        "summary": _text(step.summary),
        "goal": _text(step.goal),
        "motto": step.motto,
        "weeks": step.duration_weeks,
        "hours": _hours(step.estimated_hours),
        "success_metric": _text(step.success_metric),
    }
    if step.any_order:
        data["any_order"] = True
    return {
        **data,
        "weekly_goals": [{"week": week, "goal": goal} for week, goal in parse_weekly_goals(step.weekly_goals)],
        **_item_lists(items, children),
    }


def _guidance_entry(entry: Guidance) -> str | dict:
    if not entry.title and not entry.url:
        return _text(entry.body)  # the short form: just the text
    return {"title": entry.title, "body": _text(entry.body), "url": entry.url}


def roadmap_data(roadmap: Roadmap) -> dict:
    """The roadmap as plain data in file order (what export_roadmap dumps)."""
    steps = list(Step.objects.filter(roadmap=roadmap).order_by("position"))
    by_step: dict[int | None, list[Item]] = defaultdict(list)
    children: dict[int, list[Item]] = defaultdict(list)
    items = list(Item.objects.filter(roadmap=roadmap).active().order_by("kind", "position", "pk"))
    placed_under = {item.pk: item for item in items if item.kind == ItemKind.TOPIC}
    for item in items:
        parent = placed_under.get(item.parent_id)
        if parent is not None and parent.step_id == item.step_id:
            children[parent.pk].append(item)
        else:  # no parent, or one that is retired: the item stands on its own
            by_step[item.step_id].append(item)
    guidance: dict[str, list[Guidance]] = defaultdict(list)
    for entry in Guidance.objects.filter(roadmap=roadmap).order_by("kind", "position", "pk"):
        guidance[entry.kind].append(entry)

    return {
        "format": FORMAT,
        "slug": roadmap.slug,
        # Only when it says something: exports of English roadmaps stay as they were.
        **({"language": roadmap.language} if roadmap.language != DEFAULT_LANGUAGE else {}),
        "title": roadmap.title,
        "summary": _text(roadmap.summary),
        "description": _text(roadmap.description),
        "audience": _text(roadmap.audience),
        "skill_level": roadmap.skill_level,
        "tags": [tag.name for tag in roadmap.tags.order_by("name")],
        "prerequisites": roadmap.prerequisite_list,
        "outcomes": roadmap.outcome_list,
        "duration_weeks": roadmap.duration_weeks,
        "weekly_hours": roadmap.weekly_hours,
        "duration_note": roadmap.duration_note,
        "author": roadmap.author_name,
        "featured": roadmap.featured,
        "status": roadmap.status,
        "retrospective_interval_weeks": roadmap.retrospective_interval_weeks,
        "retrospective_prompts": list(
            RetrospectivePrompt.objects.filter(roadmap=roadmap).order_by("position").values_list("text", flat=True)
        ),
        "pace_plans": [
            {
                "key": plan.key,
                "name": plan.name,
                "hours_per_week": _hours(plan.hours_per_week),
                "duration_weeks": plan.duration_weeks,
                "summary": plan.summary,
                "details": plan.detail_list,
                "recommended": plan.is_recommended,
            }
            for plan in PacePlan.objects.filter(roadmap=roadmap).order_by("position")
        ],
        "schedule": [
            {
                "day": entry.day,
                "hours": _hours(entry.hours),
                "title": entry.title,
                "activity": _text(entry.body),
                "url": entry.url,
                "week": entry.week,
            }
            for entry in guidance[GuidanceKind.SCHEDULE]
        ],
        "guidance": {
            name: [_guidance_entry(entry) for entry in guidance[kind]] for name, kind in GUIDANCE_LISTS.items()
        },
        "metrics": [
            {
                "key": metric.key,
                "name": metric.name,
                "unit": metric.unit,
                "target": metric.target,
                "description": _text(metric.description),
            }
            for metric in MetricDefinition.objects.filter(roadmap=roadmap).order_by("position")
        ],
        "steps": [_step(step, by_step[step.pk], children) for step in steps],
        **_item_lists(by_step[None], children),
    }


def export_roadmap(roadmap: Roadmap) -> str:
    """The YAML text of one roadmap (active items only)."""
    return yaml.dump(
        roadmap_data(roadmap),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,  # long lines stay whole: easier to diff than folded ones
    )

