"""The dashboard's one-tap forms: an item's state, and time logged on it."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from progress.models import MINUTES_MAX, ItemState
from progress.studylog.forms import NOTE_MAX

# A dashboard tick moves an item on, or takes a tick back ("not_started").
TAP_STATES = (ItemState.IN_PROGRESS, ItemState.DONE, ItemState.SKIPPED, ItemState.NOT_STARTED)


class TapForm(forms.Form):
    """Which item: the form's URL is the same for every item."""

    item = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class TapStateForm(TapForm):
    state = forms.ChoiceField(choices=[(state.value, state.label) for state in TAP_STATES])


class QuickLogForm(TapForm):
    """Time on one item, today: the full log form (any date, any roadmap) is
    one link away."""

    minutes = forms.IntegerField(
        min_value=1, max_value=MINUTES_MAX,
        error_messages={
            "required": _("Enter the minutes you studied."),
            "invalid": _("Enter the minutes as a whole number, such as 45."),
            "min_value": _("Enter at least 1 minute."),
            "max_value": format_lazy(_("Enter at most {count} minutes (a whole day)."), count=MINUTES_MAX),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1, "min": 1, "max": MINUTES_MAX}),
    )
    note = forms.CharField(required=False, max_length=NOTE_MAX, strip=True)
