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


def test_a_finished_roadmap_says_finished_not_how_far_ahead(learner_client, learner):
    from datetime import timedelta

    from progress.schedule import local_today
    from tests.factories import make_roadmap
    from tests.progress_helpers import make_enrolment, roadmap_items

    roadmap = make_roadmap(steps=1, items_per_step=2)
    enrolment = make_enrolment(learner, roadmap, start_date=local_today(learner.time_zone) - timedelta(days=1))
    first, last = roadmap_items(roadmap)
    learner_client.post(f"/progress/{enrolment.pk}/items/{first.pk}/state/", {"state": "done"})
    said = learner_client.post(f"/progress/{enrolment.pk}/items/{last.pk}/state/", {"state": "done"},
                               HTTP_HX_REQUEST="true").content.decode()
    assert f"100% of {roadmap.title}: finished." in said and "ahead by" not in said  # the live region
    for page in ("/dashboard/", f"/progress/{enrolment.pk}/"):
        text = " ".join(learner_client.get(page).content.decode().split())
        assert '<span class="badge badge--success">Finished</span>' in text and "Ahead</span>" not in text
