from django import template

from retrospectives.cards import due_cards

register = template.Library()


@register.simple_tag
def due_retrospective_cards(dash) -> list:
    """The dashboard's retrospective cards, from the dashboard's own data."""
    return due_cards([card.enrolment for card in dash.cards], dash.today)
