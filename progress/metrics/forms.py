"""The form for an entry of one of a roadmap's counters."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from progress.models import MetricEntry
from progress.studylog.forms import validate_log_date

# One entry is what a learner did at a sitting (+3 katas, +1 pipeline): a
# five-figure amount is a typo, not a day's work.
METRIC_AMOUNT_MAX = 1_000
# "1,000" in English, "1000" or "1.000" where the language writes it so.
_grouped = lazy(lambda number: number_format(number, force_grouping=True), str)


class MetricEntryForm(forms.ModelForm):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    amount = forms.IntegerField(
        label=_("Amount"), min_value=1, max_value=METRIC_AMOUNT_MAX,
        help_text=format_lazy(_("How many you add now: 1 to {count}."), count=_grouped(METRIC_AMOUNT_MAX)),
        error_messages={
            "max_value": format_lazy(
                _("Add at most {count} at once: is there a typo?"), count=_grouped(METRIC_AMOUNT_MAX)
            ),
        },
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    class Meta:
        model = MetricEntry
        fields = ["metric", "date", "amount", "note"]
        labels = {"metric": _("Counter")}

    def __init__(self, *args, metrics, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["metric"].queryset = metrics
        self.fields["metric"].empty_label = None

    def clean_date(self) -> date:
        value = self.cleaned_data["date"]
        validate_log_date(value, self.today)
        return value
