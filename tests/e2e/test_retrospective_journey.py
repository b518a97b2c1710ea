"""A learner answers a due retrospective from the dashboard, in Chromium."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from progress.schedule import local_today
from retrospectives.models import Retrospective
from roadmaps.models import RetrospectivePrompt
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment

pytestmark = pytest.mark.e2e


def sign_in(page: Page, site_url: str, user) -> None:
    """Reuse a server-side session: the sign-in form has its own journey test."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": site_url}])


def test_it_answers_a_due_retrospective_from_the_dashboard(page: Page, site_url: str):
    learner = make_user("retro@example.com", display_name="Rey")
    roadmap = make_roadmap(title="Rust in practice")
    RetrospectivePrompt.objects.create(roadmap=roadmap, position=0, text="What went well?")
    RetrospectivePrompt.objects.create(roadmap=roadmap, position=1, text="What will you try next?")
    enrolment = make_enrolment(learner, roadmap, start_date=local_today("UTC") - timedelta(weeks=3))
    sign_in(page, site_url, learner)

    page.goto(f"{site_url}/dashboard/")
    card = page.locator(f"#retro-{enrolment.pk}-1")
    expect(card).to_contain_text("Retrospective: Rust in practice")
    expect(card).not_to_contain_text("What will you try next?")  # the questions wait on the form
    card.get_by_role("link", name="Write it").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Looking back: Rust in practice")
    expect(page.locator(".retro-facts")).to_contain_text("of 20.0 planned")
    page.get_by_label("What went well?").fill("Finished the ownership chapter.\nWrote a small CLI.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("Draft saved")
    expect(page.get_by_label("What went well?")).to_have_value("Finished the ownership chapter.\nWrote a small CLI.")

    page.get_by_label("What will you try next?").fill("<b>Pair</b> with someone")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".messages")).to_contain_text("Retrospective submitted")
    answers = page.locator(".retro-answers")
    expect(answers).to_contain_text("<b>Pair</b> with someone")  # shown as text, not markup
    expect(answers.locator("br")).to_have_count(1)

    page.goto(f"{site_url}/dashboard/")
    expect(page.locator(f"#retro-{enrolment.pk}-1")).to_have_count(0)
    retro = Retrospective.objects.get()
    assert retro.status == "submitted"
    assert list(retro.answers.values_list("text", flat=True)) == [
        "Finished the ownership chapter.\nWrote a small CLI.", "<b>Pair</b> with someone",
    ]
