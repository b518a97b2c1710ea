"""Forms for enrolment, pace, restart and personal milestones."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from progress.models import HOURS_PER_WEEK_MAX, HOURS_PER_WEEK_MIN, Milestone
from progress.wording import hours as hours_text

# A start date may be backdated (the learner began before signing up) or set
# ahead, within reason.
START_DATE_MAX_PAST = timedelta(days=365)
START_DATE_MAX_FUTURE = timedelta(days=365)
DUE_DATE_MAX_FUTURE = timedelta(days=5 * 365)
OWN_PACE = "own"
OWN_HOURS_MISSING = _("Enter how many hours a week you mean to study.")


class PaceForm(forms.Form):
    """A pace plan of the roadmap, or the learner's own hours a week."""

    pace = forms.ChoiceField(label=_("Pace"), widget=forms.RadioSelect)
    hours_per_week = forms.DecimalField(
        label=_("Your own hours a week"),
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=HOURS_PER_WEEK_MIN,
        max_value=HOURS_PER_WEEK_MAX,
        help_text=_("Only when you choose your own pace."),
    )

    def __init__(self, *args, pace_plans=(), suggested_hours=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pace_plans = {str(plan.pk): plan for plan in pace_plans}
        if not pace_plans:
            # The learner's own pace is the only choice: the hours are not
            # optional, and a sensible figure is filled in to start from.
            hours = self.fields["hours_per_week"]
            hours.required = True
            hours.error_messages["required"] = OWN_HOURS_MISSING
            hours.label = _("Hours a week")
            hours.help_text = _("How long you mean to study each week: Waymark plans your weeks from it.")
            if suggested_hours and not self.is_bound:
                self.initial.setdefault("hours_per_week", suggested_hours)
        choices = [
            (str(plan.pk),
             gettext("%(pace)s — %(hours)s h a week") % {"pace": plan.name, "hours": hours_text(plan.hours_per_week)})
            for plan in pace_plans
        ]
        self.fields["pace"].choices = [*choices, (OWN_PACE, _("My own pace"))]
        if not self.is_bound:
            recommended = next((plan for plan in pace_plans if plan.is_recommended), None)
            first = recommended or next(iter(pace_plans), None)
            self.initial.setdefault("pace", str(first.pk) if first else OWN_PACE)

    def clean(self) -> dict:
        cleaned = super().clean()
        pace = cleaned.get("pace")
        if pace == OWN_PACE:
            if cleaned.get("hours_per_week") is None and "hours_per_week" not in self.errors:
                self.add_error("hours_per_week", OWN_HOURS_MISSING)
            cleaned["pace_plan"] = None
        elif pace:
            plan = self.pace_plans[pace]
            cleaned["pace_plan"] = plan
            cleaned["hours_per_week"] = Decimal(plan.hours_per_week)
        return cleaned


class EnrolForm(PaceForm):
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.initial.setdefault("start_date", today)

    def clean_start_date(self) -> date:
        return clean_start_date(self.cleaned_data["start_date"], self.today)


def clean_start_date(value: date, today: date) -> date:
    if value < today - START_DATE_MAX_PAST:
        raise forms.ValidationError(_("Choose a start date within the last year."))
    if value > today + START_DATE_MAX_FUTURE:
        raise forms.ValidationError(_("Choose a start date within the next year."))
    return value


class StartDateForm(forms.Form):
    """Move the start date; nothing is reset (that is "start again")."""

    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Your progress, notes and study log stay as they are."),
    )

    def __init__(self, *args, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_start_date(self) -> date:
        return clean_start_date(self.cleaned_data["start_date"], self.today)


class RestartForm(forms.Form):
    start_date = forms.DateField(
        label=_("New start date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.initial.setdefault("start_date", today)

    def clean_start_date(self) -> date:
        return clean_start_date(self.cleaned_data["start_date"], self.today)


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "step", "due_date"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {"title": _("Title"), "step": _("Step"), "due_date": _("Due date")}

    def __init__(self, *args, steps=None, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["step"].queryset = steps
        self.fields["step"].required = False
        self.fields["title"].strip = True

    def clean_due_date(self) -> date | None:
        value = self.cleaned_data.get("due_date")
        if value and value > self.today + DUE_DATE_MAX_FUTURE:
            raise forms.ValidationError(_("Choose a due date within the next five years."))
        if value and value < self.today - START_DATE_MAX_PAST:
            raise forms.ValidationError(_("Choose a due date no earlier than a year ago."))
        return value
