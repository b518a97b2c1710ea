"""A Markdown table inside an outline's step, read as the step's items: one
item per row, the way curricula list their courses ("Courses | Duration |
Effort | Prerequisites") or a checklist its weeks ("Week | Milestone").

    | Courses        | Duration | Effort         | Prerequisites |
    | [Intro](https…) | 14 weeks | 6-10 hours/week | algebra       |
        -> an item "Intro" with that link, 140 h (10 h a week for 14 weeks),
           its text "Duration: 14 weeks · Effort: 6-10 hours/week · Prerequisites: algebra"

The title is the first column that is not a week, a number or a status
box; a "Week" column pins the item to that week (a range's last one); the
title column's header may name the kind ("Milestone", "Project",
"Resource"). A title column whose values repeat ("Getting Started" on three rows, then
"Basics") groups the rows: it gives their heading, and the next column
their titles. A table whose first column names the steps themselves
("Phase | Duration | Focus") is an overview of the roadmap, not a list of
things to do: it stays the step's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from markdown_it.token import Token

from roadmaps.markdown import page_relative
from roadmaps.yaml_io.outline_words import KIND_HEADINGS, heading_name, to_number

_RANGE = r"~?(\d+(?:[.,]\d+)?)(?:\s*(?:[-–—]|to|a)\s*~?(\d+(?:[.,]\d+)?))?"
HOURS_CELL = re.compile(rf"{_RANGE}\s*(?:h|hrs?|hours?|horas?)\b", re.IGNORECASE)
WEEKS_CELL = re.compile(rf"{_RANGE}\s*(?:weeks?|wks?|semanas?)\b", re.IGNORECASE)
NUMBER_CELL = re.compile(rf"^\s*(?:week|semana)?\s*{_RANGE}\s*$", re.IGNORECASE)
PER_WEEK = re.compile(
    r"/\s*(?:w|wk|week|semana)\b|\b(?:per|a|each) week\b|\bweekly\b|\b(?:por|a la|cada) semana\b|\bsemanales\b",
    re.IGNORECASE,
)
STAGE_COLUMNS = frozenset({
    "phase", "phases", "stage", "stages", "step", "steps", "level", "levels", "month", "months", "module", "modules",
    "part", "fase", "fases", "etapa", "etapas", "paso", "pasos", "nivel", "niveles", "mes", "meses",
    "módulo", "módulos", "modulo", "modulos",
})
WEEK_COLUMNS = frozenset({"week", "wk", "semana"})
NUMBER_COLUMNS = frozenset({"#", "no", "no.", "n.º", "nº", "number", "número", "numero"})
STATUS_COLUMNS = frozenset({
    "", "completed", "complete", "done", "status", "progress", "check", "✓", "✔", "✅", "[ ]",
    "completado", "hecho", "estado", "progreso",
})
NOTHING = frozenset({"", "-", "–", "—", "n/a", "N/A", "?"})  # a cell left empty
DURATION_COLUMNS = frozenset({"duration", "length", "timeframe", "weeks", "duración", "duracion", "semanas"})
EFFORT_COLUMNS = frozenset({
    "effort", "hours", "hrs", "estimated hours", "estimated time", "time", "time needed", "workload",
    "esfuerzo", "horas", "tiempo", "tiempo estimado", "dedicación", "dedicacion",
})


@dataclass
class Row:
    line: int
    title: Token  # the title cell's inline token
    hours: Decimal | None
    week: int | None
    details: str  # the other cells, "Header: cell" joined, as Markdown
    kind: str | None  # the kind the title column's header names, if any
    heading: str  # the group the row belongs to, when a column repeats it


def table_rows(tokens: list[Token], index: int) -> tuple[list[Row] | None, int]:
    """The rows of the table opening at `index`, and the index after it;
    None for the rows when the table is an overview of the steps."""
    header: list[Token] = []
    body: list[tuple[int, list[Token]]] = []
    cells: list[Token] = []
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open":
            cells = []
            line = token.map[0] + 1 if token.map else 0
        elif token.type == "inline":
            cells.append(token)
        elif token.type == "tr_close":
            if not header:
                header = cells
            else:
                body.append((line, cells))
        index += 1
    names = [heading_name(_plain(cell)) for cell in header]
    if not names or names[0] in STAGE_COLUMNS:
        return None, index + 1
    markers = {n for n, name in enumerate(names) if _is_marker_column(name, n, body)}
    text_columns = [n for n in range(len(names)) if n not in markers]
    if not text_columns:
        return None, index + 1
    title_column, group_column = text_columns[0], None
    if len(text_columns) > 1 and _repeats(body, title_column):
        # "Getting Started" on three rows, then "JS Basics": the rows' group, a heading; the next column names them.
        group_column, title_column = title_column, text_columns[1]
    kind = next((kind for kind, pattern in KIND_HEADINGS if pattern.search(names[title_column])), None)
    rows = []
    for line, row in body:
        row = (row + [None] * len(names))[:len(names)]  # markdown-it evens the rows out; be safe
        title = row[title_column]
        if title is None or not _plain(title):
            continue
        shown = [n for n in text_columns if n not in (title_column, group_column)]
        rows.append(Row(
            line=line, title=title, hours=_hours(names, row), week=_week(names, row),
            details=_details(header, row, shown), kind=kind,
            heading=_plain(row[group_column]) if group_column is not None else "",
        ))
    return rows, index + 1


def _details(header: list[Token], row: list[Token | None], columns: list[int]) -> str:
    """"Duration: 14 weeks · Prerequisites: [algebra](https://…)": the row's
    other cells as Markdown, without empty ones or ones that only link to
    files beside the original."""
    parts = []
    for n in columns:
        cell = row[n]
        if cell is None or cell.content.strip() in NOTHING or _only_links_beside_the_file(cell):
            continue
        name = _plain(header[n])
        parts.append(f"{name}: {cell.content.strip()}" if name else cell.content.strip())
    return " · ".join(parts)


def _repeats(body: list[tuple[int, list[Token]]], column: int) -> bool:
    values = [_plain(row[column]) for _, row in body if column < len(row)]
    values = [value for value in values if value]
    return len(set(values)) < len(values) and all(len(value) <= 120 for value in values)  # a heading's length


def _is_marker_column(name: str, column: int, body: list[tuple[int, list[Token]]]) -> bool:
    """A week, a number or a status box: never an item's title."""
    if name in WEEK_COLUMNS or name in NUMBER_COLUMNS or name in STATUS_COLUMNS:
        return True
    values = [_plain(row[column]) for _, row in body if column < len(row) and row[column] is not None]
    return bool(values) and all(NUMBER_CELL.match(value) for value in values if value)


def _only_links_beside_the_file(cell: Token) -> bool:
    """"[📝](./solution/code.py)": a cell that only links to files beside the
    original, which are not here; its words alone say nothing."""
    children = cell.children or []
    links = [child for child in children if child.type == "link_open"]
    depth, outside = 0, ""
    for child in children:
        depth += child.type == "link_open"
        depth -= child.type == "link_close"
        if depth == 0 and child.type == "text":
            outside += child.content
    return bool(links) and not outside.strip(" ,·|/") and all(
        page_relative(str(link.attrs.get("href", ""))) for link in links
    )


def _hours(names: list[str], row: list[Token | None]) -> Decimal | None:
    """The effort column's hours ("20 h"; "6-10 hours/week" times the
    duration column's weeks), a range's upper end; else hours the duration
    column gives ("3 hours")."""
    cells = {name: _plain(cell) for name, cell in zip(names, row, strict=True) if cell is not None}
    effort = next((cells[name] for name in names if name in EFFORT_COLUMNS and cells.get(name)), "")
    duration = next((cells[name] for name in names if name in DURATION_COLUMNS and cells.get(name)), "")
    hours = _upper(HOURS_CELL.search(effort))
    weeks = _upper(WEEKS_CELL.search(duration))
    if hours is not None and PER_WEEK.search(effort):
        hours = hours * weeks if weeks is not None else None
    if hours is None and not effort:
        hours = _upper(HOURS_CELL.search(duration))
    if hours is None or hours <= 0:
        return None
    return hours.quantize(Decimal("0.1"))


def _week(names: list[str], row: list[Token | None]) -> int | None:
    for name, cell in zip(names, row, strict=True):
        if name in WEEK_COLUMNS and cell is not None:
            week = _upper(NUMBER_CELL.match(_plain(cell)))
            return int(week) if week is not None and week >= 1 and week == int(week) else None
    return None


def _upper(match: re.Match | None) -> Decimal | None:
    if match is None:
        return None
    value = to_number(match.group(2) or match.group(1))
    return value if isinstance(value, Decimal) else None


def _plain(cell: Token | None) -> str:
    """A cell's words without their Markdown marks."""
    if cell is None:
        return ""
    words = "".join(child.content for child in cell.children or [] if child.type in ("text", "code_inline"))
    return " ".join(words.split())
