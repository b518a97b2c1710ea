"""The one error type the importer raises, and the conversion of pydantic's
errors into it.

An import reports every problem of a file at once (up to MAX_PROBLEMS), in
the order they appear in the file, so that a file converted from elsewhere
with 37 colliding keys takes one run to fix, not 37.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError

# More than this many problems in one file is a file of the wrong shape: the
# rest are counted, not listed.
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (`steps[2].topics[0].hours`, or "" for
    the file as a whole), what, and the line it is on when known."""

    path: str
    message: str
    line: int | None = None

    def render(self, source: str) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{source}: {where}{self.message}"


class RoadmapImportError(Exception):
    """A file that cannot be imported: which file, and every problem found in it.

    `path` and `message` are those of the first problem (the one nearest the
    top of the file); `problems` holds them all, `total` counts them.
    """

    def __init__(self, source: str, path: str = "", message: str = "", *,
                 problems: Iterable[Problem] | None = None) -> None:
        found = list(problems) if problems is not None else [Problem(path, message)]
        if not found:
            raise ValueError("a RoadmapImportError needs at least one problem")
        self.source = source
        self.total = len(found)
        self.problems = found[:MAX_PROBLEMS]
        self.path = self.problems[0].path
        self.message = self.problems[0].message
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [problem.render(self.source) for problem in self.problems]
        hidden = self.total - len(self.problems)
        if hidden:
            lines.append(ngettext(
                "%(source)s: … and %(count)d more problem not listed",
                "%(source)s: … and %(count)d more problems not listed",
                hidden,
            ) % {"source": self.source, "count": hidden})
        return "\n".join(lines)


def format_loc(loc: tuple[str | int, ...] | list[str | int]) -> str:
    """('steps', 2, 'topics', 0, 'hours') -> 'steps[2].topics[0].hours'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# pydantic's wording for wrong types, in the words of someone writing YAML.
TYPE_MESSAGES = {
    "model_type": _("should be a mapping (key: value)"),
    "model_attributes_type": _("should be a mapping (key: value)"),
    "dict_type": _("should be a mapping (key: value)"),
    "list_type": _("should be a list"),
    "string_type": _("should be text (put quotes around it)"),
    "bool_type": _("should be true or false"),
    "int_type": _("should be a whole number"),
    "int_from_float": _("should be a whole number"),
    "is_instance_of": _("should be a number"),
    "decimal_type": _("should be a number"),
}


def _problem(error: dict) -> Problem:
    kind = error["type"]
    path = format_loc(error["loc"])
    if kind == "extra_forbidden":
        return Problem(path, gettext("unknown key"))
    if kind == "missing":
        return Problem(path, gettext("required key is missing"))
    if kind == "value_error":  # our own validators: the message is already written for people
        return Problem(path, error["msg"].removeprefix("Value error, "))
    if kind == "string_too_long" and isinstance(error.get("input"), str):
        limit = error.get("ctx", {}).get("max_length")
        return Problem(path, gettext("is too long: at most %(limit)s characters (this has %(length)d)") % {
            "limit": limit, "length": len(error["input"]),
        })
    message = str(TYPE_MESSAGES.get(kind) or error["msg"])
    if message.startswith("Input should be "):
        # The rest is pydantic's own wording (the values it expected), which has no catalogue.
        message = gettext("must be %(expected)s") % {"expected": message.removeprefix("Input should be ")}
    value = error.get("input")
    if isinstance(value, dict):
        message = gettext("%(problem)s (got a mapping)") % {"problem": message}
    elif isinstance(value, list):
        message = gettext("%(problem)s (got a list)") % {"problem": message}
    elif value is not None:
        message = gettext("%(problem)s (got %(value)s)") % {"problem": message, "value": _short(value)}
    return Problem(path, message)


def problems_from_validation_error(error: ValidationError) -> list[Problem]:
    """All of pydantic's errors, in the file's own terms (in pydantic's order)."""
    problems: list[Problem] = []
    for entry in error.errors(include_url=False):
        problem = _problem(entry)
        if problem not in problems:
            problems.append(problem)
    return problems


def from_validation_error(error: ValidationError, *, source: str) -> RoadmapImportError:
    return RoadmapImportError(source, problems=problems_from_validation_error(error))
