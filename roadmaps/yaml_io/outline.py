"""A plain Markdown outline read as a roadmap (docs/roadmap-yaml.md, "Outlines").

    # Title                      -> the roadmap (its slug made from the title)
    Intro paragraphs             -> summary (the first, shortened to 300 characters) and description
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

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext
from markdown_it import MarkdownIt
from markdown_it.token import Token

from roadmaps.yaml_io.errors import RoadmapImportError
from roadmaps.yaml_io.frontmatter import _summary, distinct_keys
from roadmaps.yaml_io.outline_tables import Row, table_rows
from roadmaps.yaml_io.outline_words import (
    BOLD_LABEL,
    CONTENTS_HEADINGS,
    DURATION_TEXT,
    EFFORT_TEXT,
    KIND_NAMES,
    LABEL_LEVEL,
    REPOSITORY_HEADINGS,
    ROADMAP_LIST_HEADINGS,
    SEPARATOR,
    STEP_NUMBER,
    TAGS,
    TASK_BOX,
    facts,
    guidance_kind,
    heading_name,
    is_decoration,
    kind_of,
    plain_text,
    stated,
    step_like,
    take_hours,
    take_weeks,
    title_in_html,
    to_number,
)
from roadmaps.yaml_io.plaintext import is_plain_text, plain_to_outline
from roadmaps.yaml_io.schema import derive_key

_parser = MarkdownIt("commonmark").enable("table")

@dataclass
class _Item:
    line: int
    depth: int
    text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    only_link: bool = False
    more: list[str] = field(default_factory=list)  # later paragraphs of the same list item
    # A table's row (outline_tables) states these in its own columns.
    hours: Decimal | None = None
    week: int | None = None
    kind: str | None = None
    row: bool = False
    heading: str = ""  # a table's group column


@dataclass
class _Step:
    line: int
    heading: str
    blocks: list[tuple[int, str]] = field(default_factory=list)  # (line, text)
    items: list[_Item] = field(default_factory=list)
    subheadings: list[tuple[int, str, int]] = field(default_factory=list)  # (line, text, level)


def _inline(token: Token) -> tuple[str, str, list[tuple[str, str]], bool]:
    """An inline token's first line and the rest as plain text, its links
    (text, href), and whether the first line is one link only."""
    text, links, current, outside, rest = "", [], None, "", None
    for child in token.children or []:
        if rest is not None:
            if child.type == "link_open":
                current = [child.attrs.get("href", ""), ""]
            elif child.type == "link_close" and current is not None:
                links.append((current[1].strip(), str(current[0])))
                current = None
            elif child.type in ("text", "code_inline"):
                rest += child.content
                if current is not None:
                    current[1] += child.content
            elif child.type in ("softbreak", "hardbreak"):
                rest += " "
            continue
        if child.type == "link_open":
            current = [child.attrs.get("href", ""), ""]
        elif child.type == "link_close" and current is not None:
            links.append((current[1].strip(), str(current[0])))
            current = None
        elif child.type in ("text", "code_inline"):
            text += child.content
            if current is not None:
                current[1] += child.content
            else:
                outside += child.content
        elif child.type == "html_inline":
            text += " "  # raw tags are not text, but they do separate words
        elif child.type in ("softbreak", "hardbreak"):
            rest = ""  # the lines after the first are the topic's text, not its title
    text, outside = TASK_BOX.sub("", text, count=1), TASK_BOX.sub("", outside, count=1)
    only_link = len(links) == 1 and not take_hours(outside)[0].strip(" —–-")
    return " ".join(text.split()), " ".join((rest or "").split()), links, only_link


def _read(text: str, source: str) -> tuple[tuple[int, str], list[str], list[_Step], list[tuple[int, str]]]:
    lines = text.splitlines()
    tokens = _parser.parse(text)
    title: tuple[int, str] | None = None
    intro: list[str] = []
    steps: list[_Step] = []
    open_items: list[_Item] = []
    left_out: list[tuple[int, str]] = []  # sections about the repository, not the roadmap
    skipping = 0  # the level of the heading whose section is being left out
    title_from_html = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.level == 0:
            level, content, line = int(token.tag[1]), tokens[index + 1].content.strip(), token.map[0] + 1
            if skipping and level > skipping:
                index += 3
                continue
            skipping = 0
            name = heading_name(content)
            if name in CONTENTS_HEADINGS or name in REPOSITORY_HEADINGS:
                if name in REPOSITORY_HEADINGS:
                    left_out.append((line, content))
                skipping = level
                index += 3
                continue
            if level == 1 and title is None and not steps:
                title = (line, content)
            elif level == 1 and title_from_html and not steps:
                pass  # the file's parts ("# Summary", "# Curriculum"): the title is the HTML one
            elif level == 2:
                steps.append(_Step(line=line, heading=content))
            elif steps:
                steps[-1].subheadings.append((line, content, level))
            else:
                intro.append(lines[token.map[0]])
            index += 3
            continue
        if skipping:
            index += 1
            continue
        if token.type in ("bullet_list_open", "ordered_list_open") and token.level == 0 \
                and only_anchor_links(tokens, index):
            index = _skip_block(tokens, index)  # a table of contents: links to the file's own headings
            continue
        if token.type == "html_block" and title is None and not intro and not steps \
                and (html_title := title_in_html(token.content)):
            # A README's centred logo and name: the name is the title, the rest the summary.
            title, title_from_html = (token.map[0] + 1, html_title[0]), True
            intro.extend([html_title[1]] if html_title[1] else [])
            index += 1
            continue
        if token.type == "list_item_open":
            item = _Item(line=token.map[0] + 1, depth=len(open_items))
            open_items.append(item)
            if steps:
                steps[-1].items.append(item)
        elif token.type == "list_item_close":
            open_items.pop()
        elif token.type in ("fence", "code_block") and open_items:
            # Code inside a list item belongs to that topic's text, as code.
            fence = "~~~" if "```" in token.content else "```"
            open_items[-1].more.append(f"{fence}{token.info.strip()}\n{token.content}{fence}")
        elif token.type == "inline" and open_items:
            item = open_items[-1]
            first, rest, links, only_link = _inline(token)
            if not item.text:
                item.text, item.links, item.only_link = first, links, only_link
                item.more += [rest] if rest else []
            else:
                item.more.append(" ".join(part for part in (first, rest) if part))
                item.links += links
        elif token.type == "table_open" and token.level == 0 and steps:
            rows, after = table_rows(tokens, index)
            if rows is not None:
                steps[-1].items.extend(_row_item(row) for row in rows)
                index = after
                continue
            # An overview of the steps ("Phase | Duration | Focus"): the step's text, as a table.
            steps[-1].blocks.append((token.map[0] + 1, "\n".join(lines[token.map[0]:token.map[1]]).strip()))
            index = after
            continue
        elif token.map is not None and token.level == 0 and token.type.endswith(("_open", "fence", "code_block",
                                                                                   "html_block", "hr")):
            block = "\n".join(lines[token.map[0]:token.map[1]]).strip()
            if token.type == "hr" or (token.type == "html_block" and not TAGS.sub("", block).strip()):
                block = ""  # "---" or "<br>" between sections: layout, not text
            label = BOLD_LABEL.match(block) if token.type == "paragraph_open" else None
            if token.type in ("bullet_list_open", "ordered_list_open") and steps:
                pass  # its items are read one by one
            elif label and steps:
                steps[-1].subheadings.append((token.map[0] + 1, label.group(1).strip(), LABEL_LEVEL))
            elif block and steps:
                steps[-1].blocks.append((token.map[0] + 1, block))
            elif block:
                intro.append(block)
            if token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open", "table_open") \
                    and not steps:
                index = _skip_block(tokens, index)
                continue
            if token.type in ("blockquote_open", "table_open"):
                index = _skip_block(tokens, index)
                continue
        index += 1
    if title is None:
        raise RoadmapImportError(source, "", gettext("an outline starts with the roadmap's title as a “# Title” line"))
    if not steps:
        raise RoadmapImportError(
            source, "", gettext("the outline has no steps: write each one as a “## Step title” line")
        )
    for step in steps:
        step.items = _without_empty(step.items)
    return title, intro, [split for step in steps for split in _phases(step)], left_out


def _row_item(row: Row) -> _Item:
    text, _, links, only_link = _inline(row.title)
    return _Item(line=row.line, depth=0, text=text, links=links, only_link=only_link,
                 more=[row.details] if row.details else [], hours=row.hours, week=row.week, kind=row.kind,
                 row=True, heading=row.heading)


def _without_empty(items: list[_Item]) -> list[_Item]:
    """"- 1. Topic" is, to Markdown, a bullet holding a numbered list: an
    item with no text of its own above the one that has it. Such an item
    is left out, and what it holds moves up a level."""
    kept: list[_Item] = []
    lifted: list[int] = []  # depths of the empty items whose contents are being lifted
    for item in items:
        while lifted and item.depth <= lifted[-1]:
            lifted.pop()
        if not item.text and not item.links and not item.more:
            lifted.append(item.depth)
            continue
        item.depth -= len(lifted)
        kept.append(item)
    return kept


def _phases(step: _Step) -> list[_Step]:
    """A `##` section that only groups phases ("## Phase breakdowns", then
    "### Phase 1: Foundation (6 weeks)" …) is not a step: its phases are.
    Only when nothing of its own comes before the first one and every
    `###` in it reads like a step (numbered as a phase, week, module… or
    given weeks); a `###` such as "Basics" stays a heading of topics."""
    phases = [(line, text) for line, text, level in step.subheadings if level == 3]
    if not phases or not all(step_like(text) for _, text in phases):
        return [step]
    first = phases[0][0]
    if any(item.line < first for item in step.items) or any(line < first for line, _ in step.blocks):
        return [step]
    bounds = [line for line, _ in phases[1:]] + [1 << 30]
    return [
        _Step(
            line=line, heading=text,
            blocks=[block for block in step.blocks if line < block[0] < end],
            items=[item for item in step.items if line < item.line < end],
            subheadings=[head for head in step.subheadings if line < head[0] < end],
        )
        for (line, text), end in zip(phases, bounds, strict=True)
    ]


def only_anchor_links(tokens: list[Token], index: int) -> bool:
    """The list opening at `index` holds nothing but links to the file's
    own headings ("- [Summary](#summary)"): a table of contents."""
    links = 0
    for token in tokens[index:_skip_block(tokens, index)]:
        if token.type != "inline":
            continue
        inside = False
        for child in token.children or []:
            if child.type == "link_open":
                if not str(child.attrs.get("href", "")).startswith("#"):
                    return False
                inside, links = True, links + 1
            elif child.type == "link_close":
                inside = False
            elif not inside and child.type == "text" and child.content.strip(" ,·|-–—"):
                return False
    return links > 0


def _skip_block(tokens: list[Token], index: int) -> int:
    """The index after the block that opens at `index` (nested blocks included)."""
    depth = 0
    while index < len(tokens):
        if tokens[index].nesting == 1:
            depth += 1
        elif tokens[index].nesting == -1:
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return index


def _topic(item: _Item) -> tuple[dict, list[tuple[str, str]]]:
    """The topic a list item (or a table's row) makes, and the links that become resources."""
    topic, links = _topic_fields(item)
    if item.week is not None:
        topic["week"] = item.week
    return topic, links


def _topic_fields(item: _Item) -> tuple[dict, list[tuple[str, str]]]:
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
    (title_line, title), intro, outline_steps, left_out = _read(plain_to_outline(text) if plain else text, source)
    intro = [block for block in intro if not is_decoration(block)]  # a README's badges and banner
    summary, description = _summary(plain_text(intro[0])) if intro else (title, "")
    if len(intro) > 1 or description:
        description = "\n\n".join(intro)
    lines = {"title": title_line, "slug": title_line, "summary": title_line + 1, "description": title_line + 1}
    warnings: list[str] = [gettext(
        "no “#” or “##” headings: read as plain text, the steps and their lists guessed from its lines; "
        "check them before you publish"
    )] if plain else []
    if left_out:
        warnings.append(gettext("left out, as sections about the repository rather than the roadmap: %(sections)s") % {
            "sections": ", ".join(gettext("“%(heading)s” (line %(line)d)") % {"heading": heading, "line": line}
                                  for line, heading in left_out)})
    steps, places, entries = [], [], []
    guidance: dict[str, list[dict]] = {}
    kept_steps = []
    roadmap_lists: dict[str, list[str]] = {}
    for outline_step in outline_steps:
        name = heading_name(outline_step.heading)
        if name in ROADMAP_LIST_HEADINGS:
            # Top-level items only, one line each: nested ones are details of the one above.
            roadmap_lists.setdefault(ROADMAP_LIST_HEADINGS[name], []).extend(
                item.text for item in outline_step.items if item.depth == 0 and item.text
            )
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
    if not kept_steps:
        raise RoadmapImportError(
            source, "", gettext("the outline has no steps: write each one as a “## Step title” line")
        )
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
        first = next((n for n, block in enumerate(blocks) if not is_decoration(block)), None)
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
    data = {"slug": derive_key(title) or "roadmap", "title": title, "summary": summary or title,
            "description": description, "steps": steps, "guidance": guidance, **roadmap_lists}
    return data, lines, warnings


def _goal(blocks: list[tuple[int, str]], subheadings: list[tuple[int, str, int]], items: list[_Item]) -> str:
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
