"""Sentences several learner pages share, in the reader's language.

A state's label cannot be dropped into a sentence ("as {label}"): other
languages inflect it, so each state has its own sentence.
"""

from __future__ import annotations

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

MARKED = {
    "not_started": _("Marked “%(title)s” as not started."),
    "in_progress": _("Marked “%(title)s” as in progress."),
    "done": _("Marked “%(title)s” as done."),
    "skipped": _("Marked “%(title)s” as skipped."),
}


def marked(title: str, state: str) -> str:
    """"Marked “Closures” as done.", for the message and the live region."""
    return MARKED[state] % {"title": title}


def hours(value) -> str:
    """7.5 → "7.5" ("7,5" in Spanish), 10.0 → "10": as templates print hours."""
    return floatformat(value, "-1")
