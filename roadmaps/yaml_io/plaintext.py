"""A roadmap saved as plain text (a page copied out of a browser, with no
Markdown at all), turned into the Markdown outline it stands for, line for
line, so that the outline reader's rules and line numbers apply:

    Backend Mastery Roadmap      -> # the title (the first line with text)
    Beginner Level               -> ## a step: a line after a list (or the title)
    Build the basics first.      -> its text
    Core Skills                  -> #### the heading of the list it stands right above
    • How the web works          -> - a list item ("•", "▪", "➤"… become "-")

A guess, by design: the importer says the file was read so, and the admin
shows the steps it found before anything is written.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
OTHER_BULLET = re.compile(r"^(\s*)[•◦▪▫‣●○■□➤►▶→]\s*")
NUMBER_ONLY = re.compile(r"^\d{1,3}[.)]?$")


MARKDOWN_ONLY = ("heading_open", "fence", "table_open")


def is_plain_text(text: str) -> bool:
    """No Markdown heading anywhere ("# Title", or a line underlined with
    "===" or "---"): nothing an outline could start from. Nor a fenced code
    block or a table, which text copied out of a page never has: a Markdown
    page without headings (a lesson's notes) is not a roadmap read as plain
    text, and the outline reader says what it lacks."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    return not any(token.type in MARKDOWN_ONLY for token in tokens)


def plain_to_outline(text: str) -> str:
    lines = [OTHER_BULLET.sub(r"\1- ", line) for line in text.splitlines()]
    kinds = ["blank" if not line.strip() else "item" if ITEM.match(line) else "text" for line in lines]
    following, upcoming = [""] * len(lines), ""
    for index in range(len(lines) - 1, -1, -1):  # the kind of the next line with something on it
        following[index] = upcoming
        if kinds[index] != "blank":
            upcoming = kinds[index]
    out = list(lines)
    title = steps = False
    previous = ""
    for index, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind == "blank":
            continue
        text = line.strip()
        if kind == "text":
            if not title:
                out[index], title, previous = f"# {text}", True, "item"  # what follows the title opens a step
                continue
            if NUMBER_ONLY.match(text):  # "1" above a step's name on many pages: the page numbers steps
                out[index], previous = "", "item"
                continue
            if following[index] == "item" and steps:
                # A heading, not a bold label: it ends the text above it without
                # a blank line, so every line keeps its number. Level 4: never a phase.
                out[index] = f"#### {text.rstrip(':')}"
            elif previous == "item" or following[index] == "item":
                out[index], steps = f"## {text}", True
        previous = kind
    return "\n".join(out) + "\n"
