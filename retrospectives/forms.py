"""Forms of the retrospective pages: the answers, the pace change, the search."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from progress.models import HOURS_PER_WEEK_MAX, HOURS_PER_WEEK_MIN
from retrospectives.services import AnswerInput, Question

ANSWER_MAX_CHARS = 10_000
SEARCH_MAX_CHARS = 100


class RetrospectiveForm(forms.Form):
    """One textarea per question. "Save draft" accepts empty answers;
    "Submit" wants at least one."""

    ACTIONS = {"draft", "submit"}

    def __init__(self, *args, questions: Sequence[Question], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[self.field_name(question)] = forms.CharField(
                label=question.text,
                required=False,
                max_length=ANSWER_MAX_CHARS,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    @staticmethod
    def field_name(question: Question) -> str:
        return f"answer_{question.position}"

    def clean(self) -> dict:
        cleaned = super().clean()
        action = self.data.get("action")
        if action not in self.ACTIONS:
            raise forms.ValidationError(_("Choose “Save draft” or “Submit”."))
        cleaned["submit"] = action == "submit"
        # Browsers send CRLF line ends: store LF, so that re-sending the same
        # text is not mistaken for an edit.
        for question in self.questions:
            name = self.field_name(question)
            if cleaned.get(name):
                cleaned[name] = cleaned[name].replace("\r\n", "\n").replace("\r", "\n")
        if cleaned["submit"] and not self.errors and not any(
            cleaned.get(self.field_name(q)) for q in self.questions
        ):
            raise forms.ValidationError(_("Write at least one answer to submit, or save a draft for later."))
        return cleaned

    def answers(self) -> list[AnswerInput]:
        return [AnswerInput(q, self.cleaned_data.get(self.field_name(q), "")) for q in self.questions]

    def fields_with_questions(self):
        """(bound field) per question, in order, for the template."""
        return [self[self.field_name(q)] for q in self.questions]


class PaceChangeForm(forms.Form):
    hours_per_week = forms.DecimalField(
        label=_("New hours a week"),
        max_digits=4,
        decimal_places=1,
        min_value=HOURS_PER_WEEK_MIN,
        max_value=HOURS_PER_WEEK_MAX,
        widget=forms.NumberInput(attrs={"step": "0.5"}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search your answers"), max_length=SEARCH_MAX_CHARS, required=False, strip=True)
