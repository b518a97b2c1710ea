"""Sentences several learner pages share, in the reader's language.

A state's label cannot be dropped into a sentence ("as {label}"): other
languages inflect it, so each state has its own sentence.
"""

from __future__ import annotations

from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
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


def day(value) -> str:
    """The site's one way to write a day, in messages as in templates
    (|date:"SHORT_DATE_FORMAT"): "2 Dec 2026", "2 dic 2026" (config/formats)."""
    return date_format(value, "SHORT_DATE_FORMAT")
