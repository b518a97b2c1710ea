"""A plain Markdown outline read as a roadmap (docs/roadmap-yaml.md, "Outlines").

    # Title                      -> the roadmap (its slug made from the title)
    Intro paragraphs             -> summary (the first, shortened to 300 characters) and description
    ## Snapshot (nothing to do)  -> before the first step with items: the description too; its
                                    "Duration: 24 weeks", "~20 hours/week" the roadmap's figures
    ## Step title (3 weeks)      -> a step; "(Weeks 1-4)", "— 20 h" are read too
    A paragraph                  -> the step's summary (when short), the rest its goal
    - Topic title (2h)           -> a topic; "— 2 h" at the end works too
    - [Title](https://…)         -> a topic with that link
    - Topic: text, [a](https://…) -> topic "Topic", body "text, a"; each link a resource of the topic
    - [ ] Task, - [x] Task       -> a topic "Task": the task list's box is not part of its title
      - Nested item              -> a subtopic of "Topic"
    ### Heading                  -> the heading of the step's topics below it
    **Label:** alone on a line   -> the same, as a `###` would be
    ### Resources / Projects / Checkpoints (or a label so named)
                                 -> the items below are the step's resources, projects or checkpoints
    ## Phases                    -> not a step when it holds nothing but `### Phase 1 (6 weeks)` …:
    ### Phase 1 (6 weeks | 120 h)   those are the steps ("Week 2", "Module 3" or a duration alike)
    | Course | Effort |          -> a table: one item per row (roadmaps.yaml_io.outline_tables)
    - [Summary](#summary)        -> a table of contents: left out
    <h3>Name</h3> in an opening HTML block -> the title (a README's centred logo and name)
    ## License, ## Contributing -> about the repository, not the roadmap: left out, with a warning

A `##` heading named like a guidance list ("Tips", "Common mistakes",
"Quick wins", "Leverage", "Next steps", or holding one of those names) is
not a step: its list items become the roadmap's guidance entries of that
kind. "## Prerequisites" and "## What you'll learn" (and their synonyms)
give the roadmap's prerequisites and outcomes.

Nested list items become subtopics of the item above them (one level: a
deeper one is a subtopic too, with a warning); links in an item's text
become that topic's own resources; a `###` (or deeper) heading inside a step
becomes the heading of the topics under it. Everything the outline gives is checked by the full format's rules
afterwards, and every problem names its line.
"""

from __future__ import annotations

import re
from dataclasses import replace

from django.utils.translation import gettext

from roadmaps.yaml_io.errors import RoadmapImportError
from roadmaps.yaml_io.frontmatter import _summary, distinct_keys
from roadmaps.yaml_io.outline_reading import OutlineItem, OutlineStep, read_outline
from roadmaps.yaml_io.outline_words import (
    DAY_PREFIX,
    DAYS,
    DURATION_TEXT,
    EFFORT_TEXT,
    KIND_NAMES,
    METRIC_HEADINGS,
    ROADMAP_LIST_HEADINGS,
    SCHEDULE_HEADING,
    SEPARATOR,
    STEP_LIKE,
    STEP_NUMBER,
    WEEK_NUMBER,
    facts,
    guidance_kind,
    heading_name,
    is_decoration,
    kind_of,
    plain_text,
    roadmap_figures,
    stated,
    step_like,
    take_hours,
    take_weeks,
    to_number,
)
from roadmaps.yaml_io.plaintext import is_plain_text, plain_to_outline
from roadmaps.yaml_io.schema import derive_key


def _topic(item: OutlineItem) -> tuple[dict, list[tuple[str, str]]]:
    """The topic a list item (or a table's row) makes, and the links that become resources."""
    topic, links = _topic_fields(item)
    if item.week is not None:
        topic["week"] = item.week
    return topic, links


def _topic_fields(item: OutlineItem) -> tuple[dict, list[tuple[str, str]]]:
    text, hours = take_hours(item.text)
    hours = item.hours if item.hours is not None else hours
    if item.only_link:
        label, href = item.links[0]
        return {"title": label or text, "url": href if "://" in href else "", "hours": hours,
                "body": "\n\n".join(item.more)}, item.links[1:]
    parts = [text] if item.row else SEPARATOR.split(text, maxsplit=1)  # a cell is its title, whole
    title, rest = (parts[0], parts[1]) if len(parts) == 2 and parts[0].strip() else (text, "")
    if len(title) > 200:  # a long sentence: the start is the title, all of it the body
        title, rest = title[:199].rsplit(" ", 1)[0] + "…", text
    body = "\n\n".join(part for part in [rest, *item.more] if part)
    return {"title": title.strip(), "hours": hours, "body": body}, item.links


def outline_to_data(text: str, *, source: str) -> tuple[dict, dict[str, int], list[str]]:
    """The outline as data in the full format, the line of each path, and
    warnings. Plain text without a Markdown heading is read as the outline
    it stands for (roadmaps.yaml_io.plaintext), and a warning says so."""
    plain = is_plain_text(text)
    outline = plain_to_outline(text) if plain else text
    (title_line, title), intro, outline_steps, left_out, titled_after_file = read_outline(outline, source)
    intro = [block for block in intro if not is_decoration(block)]  # a README's badges and banner
    warnings: list[str] = [gettext(
        "no “#” or “##” headings: read as plain text, the steps and their lists guessed from its lines; "
        "check them before you publish"
    )] if plain else []
    if titled_after_file:
        warnings.append(gettext("no “# Title” line: the roadmap is titled “%(title)s”, after the file")
                        % {"title": title})
    if left_out:
        warnings.append(gettext("left out, as sections about the repository rather than the roadmap: %(sections)s") % {
            "sections": ", ".join(gettext("“%(heading)s” (line %(line)d)") % {"heading": heading, "line": line}
                                  for line, heading in left_out)})
    steps, places, entries = [], [], []
    guidance: dict[str, list[dict]] = {}
    kept_steps = []
    roadmap_lists: dict[str, list[str]] = {}
    schedule: list[tuple[int, dict]] = []  # (line, entry)
    for outline_step in outline_steps:
        name = heading_name(outline_step.heading)
        if name in ROADMAP_LIST_HEADINGS:
            # Top-level items only, one line each: nested ones are details of the one above.
            roadmap_lists.setdefault(ROADMAP_LIST_HEADINGS[name], []).extend(
                item.text for item in outline_step.items if item.depth == 0 and item.text
            )
            continue
        if SCHEDULE_HEADING.search(name) and (days := _schedule(outline_step)):
            schedule.extend(days)
            continue
        kind = guidance_kind(name)
        if kind is None:
            kept_steps.append(outline_step)
            continue
        labels = sorted(outline_step.subheadings)
        for item in outline_step.items:  # a "## Common mistakes" list is advice, not steps to track
            # Under "**Leverage moves:**" inside "## Quick wins & leverage moves", leverage.
            label = next((text for line, text, _ in reversed(labels) if line < item.line), "")
            advice, _, rest = item.text.partition(": ")
            body = "\n\n".join(part for part in [rest if rest else "", *item.more] if part)
            guidance.setdefault((label and guidance_kind(heading_name(label))) or kind, []).append(
                {"title": advice, "body": body} if rest or item.more else {"body": item.text})
    kept_steps, metrics = _regroup(kept_steps)
    if not kept_steps:
        raise RoadmapImportError(
            source, "", gettext("the outline has no steps: write each one as a “## Step title” line")
        )
    # Sections with nothing to do before the first one that has ("## Snapshot",
    # "## Why this roadmap works") introduce the roadmap: its description, not steps.
    sections = []
    while not kept_steps[0].items and _introduces(kept_steps[0]) and any(step.items for step in kept_steps[1:]):
        section = kept_steps.pop(0)
        sections.append((section.heading, [block for _, block in section.blocks if not is_decoration(block)]))
    opening = intro or next((blocks[:1] for _, blocks in sections if blocks), [])
    summary, description = _summary(plain_text(opening[0])) if opening else (title, "")
    if len(intro) > 1 or description or sections:
        description = "\n\n".join([*intro, *(f"## {heading}\n\n" + "\n\n".join(blocks)
                                             for heading, blocks in sections if blocks)])
    lines = {"title": title_line, "slug": title_line, "summary": title_line + 1, "description": title_line + 1}
    # "Duration: 24 weeks", "Aim for ~20 hours/week" in that introduction: the roadmap's own figures.
    introduction = "\n".join([*intro, *(block for _, blocks in sections for block in blocks)])
    figures = dict(zip(("duration_weeks", "weekly_hours"), roadmap_figures(introduction), strict=True))
    lines.update(dict.fromkeys(figures, title_line))
    outline_steps = kept_steps
    for number, outline_step in enumerate(outline_steps):
        # "## 2. HTML": the page numbers its steps, so the outline's own number goes.
        heading, weeks = take_weeks(facts(STEP_NUMBER.sub("", outline_step.heading)))
        heading, hours = take_hours(heading)
        placed = list(outline_step.blocks)
        blocks = [block for _, block in placed]
        weeks = weeks or stated(DURATION_TEXT, blocks, int)
        hours = hours if hours is not None else stated(EFFORT_TEXT, blocks, to_number)
        # The first paragraph that says something (not an image above it), when short.
        first = next((n for n, block in enumerate(blocks)
                      if not is_decoration(block) and not block.startswith("<")), None)  # not raw HTML either
        short = first is not None and len(blocks[first]) <= 300 and "\n" not in blocks[first]
        step_summary = plain_text(placed.pop(first)[1]) if short else ""
        goal = _goal(placed, outline_step.subheadings, outline_step.items)
        step = {"title": heading, "summary": step_summary, "goal": goal, "weeks": weeks, "hours": hours,
                "topics": [], "resources": [], "projects": [], "checkpoints": []}
        base = f"steps[{number}]"
        for suffix in ("", ".title", ".key", ".weeks", ".hours", ".summary", ".goal"):
            lines[base + suffix] = outline_step.line
        subheadings = sorted(outline_step.subheadings)
        parent: dict | None = None
        parent_path = ""
        # "## Projects" alone: its items are projects (unless a heading in it says otherwise).
        step_kind = kind_of(heading) if heading_name(heading) in KIND_NAMES else "topics"
        kind = step_kind
        for item in outline_step.items:
            topic, links = _topic(item)
            if item.depth == 0 or (parent is None and kind == "topics"):
                heading = next((text for line, text, _ in reversed(subheadings) if line < item.line), "")
                kind = item.kind or (kind_of(heading) if heading else step_kind)
                heading = item.heading or heading
            if kind != "topics":
                # Under "Resources", "Projects", "Checkpoints": the step's own
                # list of that kind, nested items alike (they hold no subtopics).
                entry = _as_kind(kind, topic, links)
                path = f"{base}.{kind}[{len(step[kind])}]"
                step[kind].append(entry)
                topic, parent = entry, None
            elif item.depth == 0 or parent is None:
                if heading:
                    topic["heading"] = heading
                path = f"{base}.topics[{len(step['topics'])}]"
                step["topics"].append(topic)
                parent, parent_path = topic, path
            else:
                # A nested item is a subtopic of the top-level item above it; deeper ones too (one level only).
                if item.depth > 1:
                    warnings.append(gettext(
                        "%(path)s: “%(title)s” (line %(line)d) is nested deeper than one level: "
                        "imported as a subtopic of “%(parent)s”"
                    ) % {"path": parent_path, "title": topic["title"], "line": item.line, "parent": parent["title"]})
                subtopics = parent.setdefault("subtopics", [])
                path = f"{parent_path}.subtopics[{len(subtopics)}]"
                subtopics.append(topic)
            for suffix in ("", ".title", ".key", ".hours", ".week", ".url", ".body", ".heading", ".description"):
                lines[path + suffix] = item.line
            places.append(topic)
            entries.append((None, topic["title"], topic.get("url", "")))
            if item.only_link and "://" not in item.links[0][1]:
                warnings.append(_link_left_out(path, item.links[0][1]))
            for label, href in links:
                if "://" not in href:
                    warnings.append(_link_left_out(path, href))
                    continue
                if kind != "topics":
                    continue  # the text keeps the link's words; only topics hold resources
                # A link in a topic's text is a resource of that topic.
                resource = {"title": label or href.split("://", 1)[1].split("/", 1)[0], "url": href}
                own = topic.setdefault("resources", [])
                rpath = f"{path}.resources[{len(own)}]"
                for suffix in ("", ".title", ".key", ".url"):
                    lines[rpath + suffix] = item.line
                own.append(resource)
                places.append(resource)
                entries.append((None, resource["title"], href))
        steps.append(step)
    for entry, key in zip(places, distinct_keys(entries), strict=True):
        entry["key"] = key
    for step, key in zip(steps, distinct_keys([(None, step["title"], "") for step in steps]), strict=True):
        step["key"] = key
    for number, (line, _) in enumerate(metrics):
        for suffix in ("", ".name", ".key", ".description"):
            lines[f"metrics[{number}]{suffix}"] = line
    for number, (line, _) in enumerate(schedule):
        for suffix in ("", ".day", ".week", ".hours", ".activity"):
            lines[f"schedule[{number}]{suffix}"] = line
    data = {"slug": derive_key(title) or "roadmap", "title": title, "summary": summary or title,
            "description": description, "steps": steps, "guidance": guidance, **roadmap_lists,
            **{key: value for key, value in figures.items() if value is not None},
            **({"schedule": [entry for _, entry in schedule]} if schedule else {}),
            **({"metrics": [entry for _, entry in metrics]} if metrics else {})}
    return data, lines, warnings


def _regroup(steps: list[OutlineStep]) -> tuple[list[OutlineStep], list[tuple[int, dict]]]:
    """Items that belong elsewhere than the section they are listed in:

    - under "**Metrics to monitor:**", the roadmap's tracked metrics
      ("- **Job applications:** how many you sent" -> a metric and its description);
    - in a checklist of checkpoints, a group named for a step ("- **Phase 1:
      Foundation**" holding "- [ ] …") gives that step its checkpoints.

    A section left with nothing of its own is then no step. Returns the
    steps and the metrics with their lines."""
    names: dict[str, OutlineStep] = {}
    for step in steps:
        title = take_hours(take_weeks(facts(STEP_NUMBER.sub("", step.heading)))[0])[0]
        names.setdefault(_stage_name(title), step)
        if stage := STEP_LIKE.match(heading_name(title)):  # "Phase 1" alone names it too
            names.setdefault(_stage_name(stage.group(0)), step)
    metrics: list[tuple[int, dict]] = []
    emptied = set()
    for step in steps:
        labels = sorted(step.subheadings)
        step_kind = kind_of(step.heading) if heading_name(step.heading) in KIND_NAMES else "topics"
        kept, target, moved = [], None, False
        for item in step.items:
            if item.depth == 0:
                label = next((text for line, text, _ in reversed(labels) if line < item.line), "")
                target = None
                if heading_name(label) in METRIC_HEADINGS or heading_name(step.heading) in METRIC_HEADINGS:
                    name, _, description = item.text.partition(": ")
                    metrics.append((item.line, {"name": name[:120], "description": description}))
                    moved = True
                    target = step  # its nested items are part of the metric
                    continue
                kind = kind_of(label) if label else step_kind
                stage = STEP_LIKE.match(heading_name(item.text))
                other = names.get(_stage_name(item.text)) or (names.get(_stage_name(stage.group(0))) if stage else None)
                if kind == "checkpoints" and other is not None and other is not step:
                    target, moved = other, True  # the group's items go to that step; the group is no item
                    continue
            elif target is step:
                continue
            elif target is not None:
                target.items.append(replace(item, depth=0, kind="checkpoints"))
                continue
            kept.append(item)
        if moved and step.items and not kept:
            emptied.add(id(step))
        step.items = kept
    return [step for step in steps if id(step) not in emptied], metrics


def _stage_name(text: str) -> str:
    """"Phase 1: Foundation" and "**Phase 1 — Foundation**" alike: "phase 1 foundation"."""
    return " ".join(re.sub(r"[^\w]+", " ", heading_name(text)).split())


def _schedule(step: OutlineStep) -> list[tuple[int, dict]]:
    """"- **Monday:** Loops and lists (2h)" under "**Week 1: …**": the
    schedule's entries, with their lines; none unless most items name a day."""
    entries = []
    labels = sorted(step.subheadings)
    items = [item for item in step.items if item.depth == 0]
    for item in items:
        match = DAY_PREFIX.match(item.text)
        if not match:
            continue
        activity, hours = take_hours(match.group(2))
        label = next((text for line, text, _ in reversed(labels) if line < item.line), "")
        week = WEEK_NUMBER.search(label)
        entry = {"day": DAYS[match.group(1).lower()], "hours": hours,
                 "activity": "\n\n".join(part for part in [activity, *item.more] if part)}
        entries.append((item.line, {**entry, "week": int(week.group(1))} if week else entry))
    return entries if entries and len(entries) * 2 >= len(items) else []


def _introduces(step: OutlineStep) -> bool:
    """A section that is not a stage of the journey: no "Phase 1", no weeks or hours in its heading."""
    heading = facts(step.heading)
    return not step_like(step.heading) and take_weeks(heading)[1] is None and take_hours(heading)[1] is None


def _goal(blocks: list[tuple[int, str]], subheadings: list[tuple[int, str, int]], items: list[OutlineItem]) -> str:
    """A step's text, each part under the `###` (or bold label) it sits
    beneath, so that "Topics covered: …" says which part it covers. A
    heading whose list comes first heads those items, not the text after them."""
    parts: list[str] = []
    marks = sorted([(line, "text", text) for line, text in blocks]
                   + [(line, "heading", text) for line, text, _ in subheadings]
                   + [(item.line, "item", "") for item in items])
    pending = ""
    for _, mark, text in marks:
        if mark != "text":
            pending = text if mark == "heading" else ""
            continue
        if pending:
            parts.append(f"### {pending}")
            pending = ""
        parts.append(text)
    return "\n\n".join(parts)


def _as_kind(kind: str, topic: dict, links: list[tuple[str, str]]) -> dict:
    """A list item read as a topic (`_topic`), as an entry of a step's
    resources, projects or checkpoints: without a URL of its own, the first
    full link in its text is its URL ("[Pro Git](https://…) (20 h) - why")."""
    url = topic.get("url") or next((href for _, href in links if "://" in href), "")
    entry = {"title": topic["title"], "url": url, "hours": topic["hours"]}
    if "week" in topic:
        entry["week"] = topic["week"]
    if kind == "projects":
        return {**entry, "description": topic["body"]}
    return {**entry, "body": topic["body"]}


def _link_left_out(path: str, href: str) -> str:
    return gettext("%(path)s: the link “%(link)s” is not a full http(s) address and is left out") % {
        "path": path, "link": href,
    }
