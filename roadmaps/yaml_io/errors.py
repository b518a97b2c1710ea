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


# pydantic's wording for wrong types, in the words of someone writing YAML.
TYPE_MESSAGES = {
    "model_type": "should be a mapping (key: value)",
    "model_attributes_type": "should be a mapping (key: value)",
    "dict_type": "should be a mapping (key: value)",
    "list_type": "should be a list",
    "string_type": "should be text (put quotes around it)",
    "bool_type": "should be true or false",
    "int_type": "should be a whole number",
    "int_from_float": "should be a whole number",
    "is_instance_of": "should be a number",
    "decimal_type": "should be a number",
}


def from_validation_error(error: ValidationError, *, source: str) -> RoadmapImportError:
    """The first of pydantic's errors, in the file's own terms."""
    first = error.errors(include_url=False)[0]
    kind = first["type"]
    path = format_loc(first["loc"])
    if kind == "extra_forbidden":
        return RoadmapImportError(source, path, "unknown key")
    if kind == "missing":
        return RoadmapImportError(source, path, "required key is missing")
    if kind == "value_error":  # our own validators: the message is already written for people
        return RoadmapImportError(source, path, first["msg"].removeprefix("Value error, "))
    message = TYPE_MESSAGES.get(kind) or first["msg"]
    if message.startswith("Input should be "):
        message = "must be " + message.removeprefix("Input should be ")
    value = first.get("input")
    if isinstance(value, dict | list):
        message += f" (got a {'mapping' if isinstance(value, dict) else 'list'})"
    elif value is not None:
        message += f" (got {_short(value)})"
    return RoadmapImportError(source, path, message)
