from decimal import Decimal

from django import template
from django.utils.safestring import mark_safe

from roadmaps.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    """Render Markdown; the output is sanitised by nh3, so it is safe to mark."""
    return mark_safe(render_markdown(text or ""))  # noqa: S308 - sanitised above


@register.filter
def hours(value) -> str:
    """12.0 → “12 h”, 2.5 → “2.5 h”, None → “”."""
    if value is None or value == "":
        return ""
    number = Decimal(value).normalize()
    text = f"{number:f}"
    return f"{text} h"
