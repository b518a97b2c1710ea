"""Forms of spaced review and of the learner's study week."""

from __future__ import annotations

from django import forms

from reviews.scheduling import RATINGS

WEEKDAYS = [("0", "Mon"), ("1", "Tue"), ("2", "Wed"), ("3", "Thu"), ("4", "Fri"), ("5", "Sat"), ("6", "Sun")]
REMINDERS = [(0, "When it starts"), (10, "10 minutes before"), (30, "30 minutes before"), (60, "1 hour before"),
             (120, "2 hours before"), (1440, "A day before")]


class AnswerForm(forms.Form):
    rating = forms.ChoiceField(choices=[(name, name) for name in RATINGS])


class SwitchForm(forms.Form):
    """One on/off value: "1" or "0"."""

    on = forms.TypedChoiceField(choices=[("1", "on"), ("0", "off")], coerce=lambda value: value == "1")


class StudyWeekForm(forms.Form):
    days = forms.TypedMultipleChoiceField(
        label="Study days", choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one day."},
    )
    at = forms.TimeField(
        label="Time of day", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="In your own time zone. Empty: 19:00.",
    )
    reminder_minutes = forms.TypedChoiceField(label="Reminder", choices=REMINDERS, coerce=int, initial=30)

    @property
    def days_mask(self) -> int:
        return sum(1 << day for day in self.cleaned_data["days"])
