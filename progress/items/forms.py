"""Forms for an item's state and the learner's details on it."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from progress.models import ItemState


class ItemStateForm(forms.Form):
    state = forms.ChoiceField(choices=ItemState.choices)


class ItemStatePickForm(forms.Form):
    """The roadmap page's one state form: each button sends `set` as
    "<item id> <state>" (the buttons are shared by every learner's page)."""

    set = forms.RegexField(regex=r"^\d{1,12} [a-z_]{1,20}$")

    def clean(self):
        data = super().clean()
        if "set" in data:
            item_id, state = data["set"].split(" ")
            if state not in ItemState.values:
                raise forms.ValidationError(_("That is not a state an item can have."))
            data["item_id"], data["state"] = int(item_id), state
        return data


class ItemDetailsForm(forms.Form):
    note = forms.CharField(
        label=_("Private note"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only you can see it."),
    )
    evidence_url = forms.URLField(label=_("Evidence link"), required=False, max_length=500, assume_scheme="https")
    confidence = forms.TypedChoiceField(
        label=_("Confidence"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *[(str(n), format_lazy(_("{number} of 5"), number=n)) for n in range(1, 6)]],
        help_text=_("How sure you feel about it: the lower, the sooner a topic comes back for review."),
    )
    repo_url = forms.URLField(label=_("Repository URL"), required=False, max_length=500, assume_scheme="https")
    live_url = forms.URLField(label=_("Live URL"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args, is_project: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not is_project:
            del self.fields["repo_url"]
            del self.fields["live_url"]
