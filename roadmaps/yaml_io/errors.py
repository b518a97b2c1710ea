"""The one error type the importer raises, and the conversion of pydantic's
errors into it."""

from __future__ import annotations

from pydantic import ValidationError


class RoadmapImportError(Exception):
    """A file that cannot be imported: which file, where in it, and what is wrong.

    `path` reads like "steps[2].topics[0].hours", or "" for the file as a whole.
    """

    def __init__(self, source: str, path: str, message: str) -> None:
        self.source = source
        self.path = path
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.path:
            return f"{self.source}: {self.path}: {self.message}"
        return f"{self.source}: {self.message}"


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


def from_validation_error(error: ValidationError, *, source: str) -> RoadmapImportError:
    """The first of pydantic's errors, in the file's own terms."""
    first = error.errors(include_url=False)[0]
    kind = first["type"]
    path = format_loc(first["loc"])
    if kind == "extra_forbidden":
        message = "unknown key"
    elif kind == "missing":
        message = "required key is missing"
    else:
        message = first["msg"].removeprefix("Value error, ")
        message = message[:1].lower() + message[1:]
        value = first.get("input")
        if kind != "value_error" and not isinstance(value, dict | list) and value is not None:
            message += f" (got {_short(value)})"
        elif kind != "value_error" and isinstance(value, dict | list):
            message += f" (got a {'mapping' if isinstance(value, dict) else 'list'})"
    return RoadmapImportError(source, path, message)
