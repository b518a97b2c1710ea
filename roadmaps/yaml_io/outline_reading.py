"""Reading an outline's Markdown into its parts (roadmaps.yaml_io.outline
turns them into a roadmap's data): the title, the intro, and the steps with
their text, headings and list items, each with the line it starts on.
Tables, a table of contents, a README's HTML title and its sections about
the repository are dealt with here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext
from markdown_it import MarkdownIt
from markdown_it.token import Token

from roadmaps.yaml_io.errors import RoadmapImportError
from roadmaps.yaml_io.outline_tables import Row, table_rows
from roadmaps.yaml_io.outline_words import (
    BOLD_LABEL,
    CONTENTS_HEADINGS,
    LABEL_LEVEL,
    REPOSITORY_HEADINGS,
    TAGS,
    TASK_BOX,
    heading_name,
    html_heading,
    step_like,
    take_hours,
    title_in_html,
)

_parser = MarkdownIt("commonmark").enable("table")

@dataclass
class OutlineItem:
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
class OutlineStep:
    line: int
    heading: str
    blocks: list[tuple[int, str]] = field(default_factory=list)  # (line, text)
    items: list[OutlineItem] = field(default_factory=list)
    subheadings: list[tuple[int, str, int]] = field(default_factory=list)  # (line, text, level)


def _inline(token: Token) -> tuple[str, str, list[tuple[str, str]], bool]:
    """An inline token's first line and the rest as plain text, its links
    (text, href), and whether the first line is one link only."""
    text, links, current, outside, rest = "", [], None, "", None
    for child in token.children or []:
        if child.type == "link_open":
            current = [child.attrs.get("href", ""), ""]
        elif child.type == "link_close" and current is not None:
            links.append((current[1].strip(), str(current[0])))
            current = None
        elif child.type in ("text", "code_inline"):
            if current is not None:
                current[1] += child.content
            if rest is not None:
                rest += child.content
            else:
                text += child.content
                outside += child.content if current is None else ""
        elif child.type in ("softbreak", "hardbreak"):
            # The lines after the first are the topic's text, not its title.
            rest = "" if rest is None else rest + " "
        elif child.type == "html_inline" and rest is None:
            text += " "  # raw tags are not text, but they do separate words
    text, outside = TASK_BOX.sub("", text, count=1), TASK_BOX.sub("", outside, count=1)
    only_link = len(links) == 1 and not take_hours(outside)[0].strip(" —–-")
    return " ".join(text.split()), " ".join((rest or "").split()), links, only_link


class Outline(NamedTuple):
    title: tuple[int, str]  # (line, text)
    intro: list[str]
    steps: list[OutlineStep]
    left_out: list[tuple[int, str]]  # (line, heading) of the sections about the repository
    titled_after_file: bool  # no title line: the title is made from the file's name


def read_outline(text: str, source: str) -> Outline:
    lines = text.splitlines()
    tokens = _parser.parse(text)
    title: tuple[int, str] | None = None
    intro: list[str] = []
    steps: list[OutlineStep] = []
    open_items: list[OutlineItem] = []
    left_out: list[tuple[int, str]] = []  # sections about the repository, not the roadmap
    skipping = 0  # the level of the heading whose section is being left out
    title_from_html = False
    shift, later_h1_are_steps = _heading_plan(tokens)
    levels = {int(token.tag[1]) - shift for token in tokens if token.type == "heading_open" and token.level == 0}
    # "# Learn Rust" over a checklist and no "##": one step, named as the roadmap, from the first list on.
    lists = any(token.type in ("bullet_list_open", "ordered_list_open", "table_open") and token.level == 0
                for token in tokens)
    one_step = 2 not in levels and not later_h1_are_steps and lists
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.level == 0:
            level, content, line = int(token.tag[1]) - shift, tokens[index + 1].content.strip(), token.map[0] + 1
            if level == 1 and later_h1_are_steps and title is not None:
                level = 2
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
                steps.append(OutlineStep(line=line, heading=content))
            elif one_step and title is not None and level > 1:
                if not steps:  # the one step starts at the first heading inside it, as at the first list
                    steps.append(OutlineStep(line=line, heading=title[1]))
                steps[-1].subheadings.append((line, content, level))
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
        if one_step and not steps and title is not None and token.level == 0 \
                and token.type in ("bullet_list_open", "ordered_list_open", "table_open"):
            steps.append(OutlineStep(line=token.map[0] + 1, heading=title[1]))
        if token.type == "html_block" and title is None and not intro and not steps \
                and (html_title := title_in_html(token.content)):
            # A README's centred logo and name: the name is the title, the rest the summary.
            title, title_from_html = (token.map[0] + 1, html_title[0]), True
            intro.extend([html_title[1]] if html_title[1] else [])
            index += 1
            continue
        if token.type == "list_item_open":
            item = OutlineItem(line=token.map[0] + 1, depth=len(open_items))
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
            html_label = html_heading(block) if token.type == "html_block" else None
            if token.type in ("bullet_list_open", "ordered_list_open") and steps:
                pass  # its items are read one by one
            elif label and steps:
                steps[-1].subheadings.append((token.map[0] + 1, label.group(1).strip(), LABEL_LEVEL))
            elif html_label and steps:
                # "<details><summary>Week 1: Ownership</summary>": a collapsible part's name heads
                # what follows, as a label; the bare tags around it are layout.
                steps[-1].subheadings.append((token.map[0] + 1, html_label, LABEL_LEVEL))
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
    titled_after_file = title is None and bool(steps)
    if titled_after_file:
        title = (1, title_from_file_name(source))
    if title is None:
        raise RoadmapImportError(source, "", gettext("an outline starts with the roadmap's title as a “# Title” line"))
    if not steps:
        raise RoadmapImportError(
            source, "", gettext("the outline has no steps: write each one as a “## Step title” line")
        )
    for step in steps:
        step.items = _without_empty(step.items)
    return Outline(title, intro, [split for step in steps for split in _phases(step)], left_out, titled_after_file)


def _heading_plan(tokens: list[Token]) -> tuple[int, bool]:
    """How many levels to lift the headings by so that the title is `#` and
    the steps `##`, and whether `#` headings after the first are the steps.

    - "# Title", "## Step": as it is;
    - "# Title", "# Step", "# Step" (no `##` at all): the later `#` are steps;
    - "## Title", "### Step": lifted one level;
    - "## Step", "## Step" with no title: steps as they are, and the title
      is made from the file's name (read_outline);
    - "# Title" and lists, no step heading at all: one step (read_outline)."""
    levels = [int(token.tag[1]) for token in tokens if token.type == "heading_open" and token.level == 0]
    if not levels:
        return 0, False
    top = min(levels)
    if top == 1:
        return 0, 2 not in levels and levels.count(1) >= 2
    if levels[0] == top and levels.count(top) == 1 and len(set(levels)) > 1:
        return top - 1, False
    return top - 2, False


def title_from_file_name(source: str) -> str:
    """"backend-roadmap_2024.md" -> "Backend roadmap 2024"."""
    name = source.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    words = " ".join(name.replace("_", " ").replace("-", " ").split())
    return (words[:1].upper() + words[1:])[:200] or "Roadmap"


def _row_item(row: Row) -> OutlineItem:
    text, _, links, only_link = _inline(row.title)
    return OutlineItem(line=row.line, depth=0, text=text, links=links, only_link=only_link,
                       more=[row.details] if row.details else [], hours=row.hours, week=row.week, kind=row.kind,
                       row=True, heading=row.heading)


def _without_empty(items: list[OutlineItem]) -> list[OutlineItem]:
    """"- 1. Topic" is, to Markdown, a bullet holding a numbered list: an
    item with no text of its own above the one that has it. Such an item
    is left out, and what it holds moves up a level."""
    kept: list[OutlineItem] = []
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


def _phases(step: OutlineStep) -> list[OutlineStep]:
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
        OutlineStep(
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
