"""A roadmap drawn as a flow chart, the JSON roadmap.sh and similar editors
save (React Flow's `{"nodes": […], "edges": […]}`), read as a roadmap:

    a "title" node               -> the roadmap's title
    each "topic" node, top to bottom   -> a step
    the "subtopic" nodes linked to it   -> its topics, top to bottom, left to right
    a subtopic whose legend says "Alternative" -> an alternative, the step's options one group;
    one that says "Optional"     -> optional

A chart holds no hours, weeks or texts (those live in other files), so the
importer says what it read and the editor adds the rest in the admin. Other
nodes (paragraphs, buttons, lines, legends) are the drawing, not the roadmap.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from roadmaps.yaml_io.errors import RoadmapImportError
from roadmaps.yaml_io.frontmatter import distinct_keys
from roadmaps.yaml_io.schema import derive_key


def is_flow_chart(data: object) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("nodes"), list) and isinstance(data.get("edges"), list)
            and "steps" not in data)


def flow_chart_to_data(chart: dict, *, source: str) -> tuple[dict, list[str]]:
    """The chart as data in the full format, and the importer's warnings."""
    nodes = {node["id"]: node for node in chart["nodes"] if isinstance(node, dict) and isinstance(node.get("id"), str)}
    topics = sorted((node for node in nodes.values() if node.get("type") == "topic" and _label(node)), key=_place)
    links: dict[str, set[str]] = {}
    for edge in chart["edges"]:
        if isinstance(edge, dict):
            for one, other in ((edge.get("source"), edge.get("target")), (edge.get("target"), edge.get("source"))):
                links.setdefault(str(one), set()).add(str(other))
    titles = sorted((node for node in nodes.values() if node.get("type") == "title" and _label(node)), key=_place)
    title = _label(titles[0]) if titles else source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    steps, items = [], []
    placed: set[str] = set()
    for topic in topics:
        linked = (nodes[other] for other in links.get(topic["id"], ()) if other in nodes and other not in placed)
        subtopics = sorted((node for node in linked if node.get("type") == "subtopic" and _label(node)), key=_place)
        placed.update(node["id"] for node in subtopics)
        step_title = _label(topic)
        entries = [_topic(node, group=step_title) for node in subtopics] or [{"title": step_title}]
        alternatives = [entry for entry in entries if entry.get("status") == "alternative"]
        if len(alternatives) == 1:  # an alternative to nothing else on the chart: optional
            alternatives[0]["status"] = "optional"
            del alternatives[0]["alternative_group"]
        steps.append({"title": step_title, "topics": entries})
        items.extend(entries)
    if not steps:
        raise RoadmapImportError(source, "", gettext(
            "the flow chart has no “topic” nodes with a label: nothing to make steps of"
        ))
    for entry, key in zip(items, distinct_keys([(None, entry["title"], "") for entry in items]), strict=True):
        entry["key"] = key
    for step, key in zip(steps, distinct_keys([(None, step["title"], "") for step in steps]), strict=True):
        step["key"] = key
    loose = sum(1 for node in nodes.values() if node.get("type") == "subtopic" and node["id"] not in placed)
    warnings = [gettext(
        "read as a flow chart (roadmap.sh's JSON): each topic a step, the subtopics linked to it its topics. "
        "A chart holds no hours, weeks or descriptions: add them in the admin before you publish"
    )]
    if loose:
        warnings.append(ngettext(
            "%(count)d subtopic is linked to no topic and was left out",
            "%(count)d subtopics are linked to no topic and were left out", loose,
        ) % {"count": loose})
    return {"slug": derive_key(title) or "roadmap", "title": title, "summary": title, "steps": steps}, warnings


def _label(node: dict) -> str:
    data = node.get("data") if isinstance(node.get("data"), dict) else {}
    return " ".join(str(data.get("label") or "").split())[:200]


def _place(node: dict) -> tuple[float, float]:
    position = node.get("position") if isinstance(node.get("position"), dict) else {}
    try:
        return float(position.get("y", 0)), float(position.get("x", 0))
    except (TypeError, ValueError):
        return 0.0, 0.0


def _topic(node: dict, *, group: str) -> dict:
    data = node.get("data") if isinstance(node.get("data"), dict) else {}
    legend = data.get("legend") if isinstance(data.get("legend"), dict) else {}
    meaning = str(legend.get("label") or "").lower()
    topic: dict = {"title": _label(node)}
    if "alternative" in meaning:
        topic.update(status="alternative", alternative_group=group[:80])
    elif "optional" in meaning:
        topic["status"] = "optional"
    return topic
