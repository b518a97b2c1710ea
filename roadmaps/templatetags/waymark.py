from decimal import Decimal
from functools import lru_cache

from django import template
from django.utils import translation
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from roadmaps.languages import language_if_not_interface
from roadmaps.markdown import render_markdown

register = template.Library()


@register.simple_tag
def content_language(roadmap) -> str:
    """The roadmap's language where it is not the interface's, else ""."""
    return language_if_not_interface(roadmap.language)


@register.filter
def markdown(text: str) -> str:
    """Render Markdown; the output is sanitised by nh3, so it is safe to mark."""
    return mark_safe(render_markdown(text or ""))  # noqa: S308 - sanitised above


@register.filter
def hours(value) -> str:
    """12.0 → “12 h”, 2.5 → “2.5 h” (“2,5 h” in Spanish), None → “”.

    Localised here, not by the template: the roadmap's sections render with
    localisation off (their SVG coordinates and ids must stay plain), but a
    reader's hours follow the reader's language."""
    if value is None or value == "":
        return ""
    return _hours(Decimal(value), translation.get_language())


@lru_cache(maxsize=1024)
def _hours(value: Decimal, language: str | None) -> str:
    # A memo per language: a big roadmap prints the same few figures thousands of times.
    return gettext("%(hours)s h") % {"hours": number_format(value.normalize(), use_l10n=True)}


@register.simple_tag
def timeline_bar(total_weeks: int, first_week: int | None, weeks: int | None) -> str:
    """The bar of one step across the roadmap's weeks, as an inline SVG.

    An SVG's geometry attributes need no inline style, so this stays within a
    strict Content-Security-Policy. Built in Python (not a template loop) because
    a long roadmap has dozens of rows with dozens of week ticks each.
    """
    if not total_weeks:
        return ""
    return mark_safe(_timeline_bar(int(total_weeks), first_week, weeks))  # noqa: S308 - integers only


@lru_cache(maxsize=1024)
def _timeline_bar(total: int, first_week: int | None, weeks: int | None) -> str:
    every = 1 if total <= 26 else 4 if total <= 104 else 13
    ticks = "".join(
        f'<line class="timeline-bar__tick" x1="{week}" y1="0" x2="{week}" y2="1" vector-effect="non-scaling-stroke"/>'
        for week in range(every, total, every)
    )
    span = (
        f'<rect class="timeline-bar__span" x="{int(first_week) - 1}" y="0" width="{int(weeks)}" height="1"/>'
        if first_week and weeks
        else ""
    )
    return (
        f'<svg class="timeline-bar" viewBox="0 0 {total} 1" preserveAspectRatio="none" aria-hidden="true"'
        f' focusable="false"><rect class="timeline-bar__track" x="0" y="0" width="{total}" height="1"/>'
        f"{ticks}{span}</svg>"
    )


@register.simple_tag
def roadmap_sections(roadmap, content):
    """The page's table of contents and content sections as HTML, the same for
    every reader and cached (see roadmaps/cache.py)."""
    from roadmaps.cache import cached_roadmap_sections

    return cached_roadmap_sections(roadmap, content)
