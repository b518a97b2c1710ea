"""The pace line under a roadmap's bar: what it says on track, a little off."""

from datetime import date
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation


def line(difference: D, *, language: str = "en") -> str:
    pace = SimpleNamespace(status="on_track", difference=difference, hours_off=abs(difference))
    learner = SimpleNamespace(
        pace=pace, enrolment=SimpleNamespace(start_date=date(2026, 12, 1), hours_per_week=D(5)),
        schedule=SimpleNamespace(finish_date=None),
    )
    with translation.override(language):
        return " ".join(render_to_string("progress/includes/pace_line.html", {"learner": learner}).split())


@pytest.mark.parametrize(
    "difference, language, said",
    [
        (D("1.5"), "en", "1.5 h ahead of plan"),
        (D("-1.5"), "en", "1.5 h behind plan"),
        (D("1.5"), "es", "1,5 h por delante del plan"),
        (D("-1.5"), "es", "1,5 h por detrás del plan"),
    ],
)
def test_on_track_says_how_far_from_the_plan(difference, language, said):
    text = line(difference, language=language)
    assert said in text
    assert "behind of" not in text


def test_exactly_on_plan_says_only_on_track():
    text = line(D(0))
    assert "On track" in text and "plan" not in text.replace("On track", "")
