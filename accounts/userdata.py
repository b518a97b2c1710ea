"""What "download my data" contains: each app registers its own section.

Apps plug in from their AppConfig.ready():

    from accounts.userdata import register_section
    register_section("enrolments", export_enrolments)   # (user) -> JSON-serialisable

"Delete my account" deletes the user row; every model a learner owns has a
foreign key to the user with on_delete=CASCADE, so registering a section here
is only about the export.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Exporter = Callable[[Any], Any]

_sections: dict[str, Exporter] = {}


def register_section(name: str, exporter: Exporter) -> None:
    if name in _sections and _sections[name] is not exporter:
        raise ValueError(f"A data-export section called {name!r} is registered already.")
    _sections[name] = exporter


def export_user_data(user) -> dict[str, Any]:
    """Everything the user owns, as one JSON-serialisable mapping."""
    return {name: exporter(user) for name, exporter in sorted(_sections.items())}
