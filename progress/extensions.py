"""Plug-in points: where apps built on progress add to what it does without
progress importing them (dependencies point one way: reviews → progress).
An app registers its functions from its AppConfig.ready(), as "download my
data" sections are registered (accounts.userdata).

- `state_changed(enrolment=, row=, item=, before=, now=)`: an item's state changed; called by
  the item-state service inside its transaction (the reviews app makes or
  suspends the item's review card there).
- `reserved_hours(enrolments, today)` → {enrolment pk: an object whose
  `weeks` is {Monday: hours}}: hours of the learner's weeks something else
  takes (due reviews); the plan fills only the rest with items, so the
  finish date counts them. The objects ride along on `LearnerState.reserved`
  under the name they were registered with (the dashboard lists what is due).
- `calendar_events(plan)` → events for the calendar feed (review days, due
  retrospectives), see progress/sharing/calendar.py.
- `item_exports(enrolments)` → {(enrolment pk, item pk): {column: value}}:
  more columns of the CSV/JSON item records (review history).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_hooks: dict[str, list[Callable[..., Any]]] = {
    "state_changed": [],
    "reserved_hours": [],
    "calendar_events": [],
    "item_exports": [],
}
# The columns registered `item_exports` functions fill, in the CSV's order.
ITEM_EXPORT_COLUMNS: list[str] = []


def register(point: str, function: Callable[..., Any], *, name: str = "", columns: tuple[str, ...] = ()) -> None:
    function.extension_name = name or function.__module__
    if function not in _hooks[point]:  # ready() may run twice (tests, reloads)
        _hooks[point].append(function)
        ITEM_EXPORT_COLUMNS.extend(column for column in columns if column not in ITEM_EXPORT_COLUMNS)


def state_changed(**change) -> None:
    for function in _hooks["state_changed"]:
        function(**change)


def reserved_hours(enrolments, today) -> dict[int, dict[str, Any]]:
    """{enrolment pk: {registered name: what that function found}}."""
    reserved: dict[int, dict[str, Any]] = {}
    for function in _hooks["reserved_hours"]:
        for pk, found in function(enrolments, today).items():
            reserved.setdefault(pk, {})[function.extension_name] = found
    return reserved


def calendar_events(plan) -> list:
    return [event for function in _hooks["calendar_events"] for event in function(plan)]


def item_exports(enrolments) -> dict:
    columns: dict = {}
    for function in _hooks["item_exports"]:
        for key, values in function(enrolments).items():
            columns.setdefault(key, {}).update(values)
    return columns
