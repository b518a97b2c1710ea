"""Forms of spaced review and of the learner's study week."""

from __future__ import annotations

from django import forms
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

from reviews.scheduling import RATINGS

# Django's own abbreviations (Monday 0), in the reader's language.
WEEKDAYS = [(str(day), WEEKDAYS_ABBR[day]) for day in range(7)]
REMINDERS = [(0, _("When it starts")), (10, _("10 minutes before")), (30, _("30 minutes before")),
             (60, _("1 hour before")), (120, _("2 hours before")), (1440, _("A day before"))]


class AnswerForm(forms.Form):
    rating = forms.ChoiceField(choices=[(name, name) for name in RATINGS])


class SwitchForm(forms.Form):
    """One on/off value: "1" or "0"."""

    on = forms.TypedChoiceField(choices=[("1", "on"), ("0", "off")], coerce=lambda value: value == "1")


class StudyWeekForm(forms.Form):
    days = forms.TypedMultipleChoiceField(
        label=_("Study days"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one day.")},
    )
    at = forms.TimeField(
        label=_("Time of day"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("In your own time zone. Empty: 19:00."),
    )
    reminder_minutes = forms.TypedChoiceField(label=_("Reminder"), choices=REMINDERS, coerce=int, initial=30)

    @property
    def days_mask(self) -> int:
        return sum(1 << day for day in self.cleaned_data["days"])
