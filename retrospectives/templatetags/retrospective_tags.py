from datetime import date

from django import template

from retrospectives.cards import due_cards

register = template.Library()


@register.simple_tag
def due_retrospective_cards(dash) -> list:
    """The dashboard's retrospective cards, from the dashboard's own data."""
    return due_cards([card.enrolment for card in dash.cards], dash.today)


@register.filter
def snapshot_date(value):
    """A day kept as "YYYY-MM-DD" in a facts snapshot (JSON holds no dates),
    as a date for the `date` filter; anything else as it is."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
