"""Forms for the study log and planned-break weeks."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from progress.models import MINUTES_MAX, Enrolment, StudyEntry
from progress.schedule import week_start
from roadmaps.models import Item

EARLIEST_DATE = date(2000, 1, 1)
# A learner travelling east, or logging just after midnight, may be a day
# ahead of the server's idea of their date; more than that is a typo.
MAX_DAYS_AHEAD = 1
NOTE_MAX = 2000
BREAK_WEEKS_RANGE = 104  # how far back or ahead a break can be planned


def validate_log_date(value: date, today: date) -> None:
    if value < EARLIEST_DATE:
        raise forms.ValidationError(_("Choose a date in 2000 or later."))
    if value > today + timedelta(days=MAX_DAYS_AHEAD):
        raise forms.ValidationError(_("That date is in the future: log time once you have studied."))


class StudyEntryForm(forms.ModelForm):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    minutes = forms.IntegerField(
        label=_("Minutes"), min_value=1, max_value=MINUTES_MAX,
        help_text=format_lazy(_("1 to {count} (a whole day)."), count=MINUTES_MAX),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = StudyEntry
        fields = ["date", "minutes", "enrolment", "item", "note"]
        labels = {"enrolment": _("Roadmap"), "item": _("Worked on")}

    def __init__(self, *args, user, today: date, item_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today
        current = self.instance.enrolment_id if self.instance.pk else None
        enrolments = Enrolment.objects.filter(user=user).select_related("roadmap")
        self.fields["enrolment"].queryset = enrolments.filter(status__in=["active", "paused"]) | enrolments.filter(
            pk=current
        )
        self.fields["enrolment"].label_from_instance = lambda enrolment: enrolment.roadmap.title
        self.fields["enrolment"].empty_label = _("— none —")
        self.fields["enrolment"].help_text = _("Optional: counts towards that roadmap's forecast.")
        # Any active item of a roadmap the learner is enrolled in validates;
        # the menu lists only the likely ones (in progress, the one they came
        # from) so that a 2,000-item roadmap does not make a 2,000-line menu.
        self.fields["item"].queryset = Item.objects.active().filter(roadmap__enrolments__user=user)
        self.fields["item"].required = False
        self.fields["item"].help_text = _("Optional: the topic, resource or project you worked on.")
        menu = [("", _("— none —")), *[(str(item.pk), label) for item, label in item_choices]]
        if self.instance.pk and self.instance.item_id and str(self.instance.item_id) not in dict(menu):
            menu.append((str(self.instance.item_id), self.instance.item.title))
        self.fields["item"].widget.choices = menu

    def clean_date(self) -> date:
        value = self.cleaned_data["date"]
        validate_log_date(value, self.today)
        return value

    def clean(self) -> dict:
        cleaned = super().clean()
        item, enrolment = cleaned.get("item"), cleaned.get("enrolment")
        if item is not None:
            owner = Enrolment.objects.filter(user=self.user, roadmap_id=item.roadmap_id).first()
            if enrolment is not None and enrolment.roadmap_id != item.roadmap_id:
                self.add_error("item", _("That item is on a different roadmap from the one you chose."))
            elif owner is not None:
                cleaned["enrolment"] = owner
        return cleaned


class PlannedBreakForm(forms.Form):
    """Mark or unmark the week that contains `week` as a planned break."""

    week = forms.DateField(label=_("A day in the week"), error_messages={
        "required": _("Choose a day in the week to mark."),
        "invalid": _("That is not a date: choose a day in the week to mark."),
    })
    action = forms.ChoiceField(choices=[("mark", _("Mark")), ("unmark", _("Unmark"))])

    def __init__(self, *args, today: date, **kwargs) -> None:
        # The study log page's date box is "break-week": the error summary links to it.
        kwargs.setdefault("auto_id", "break-%s")
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_week(self) -> date:
        monday = week_start(self.cleaned_data["week"])
        if abs((monday - week_start(self.today)).days) > BREAK_WEEKS_RANGE * 7:
            raise forms.ValidationError(_("Choose a week within two years of today."))
        return monday
