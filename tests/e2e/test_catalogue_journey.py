"""Journey 1: a visitor browses the catalogue, filters it and reads a roadmap."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import make_full_roadmap, make_roadmap

pytestmark = pytest.mark.e2e


def test_it_browses_filters_and_reads_a_roadmap(page: Page, site_url: str):
    make_full_roadmap(title="Backend foundations")  # intermediate, featured, tagged Python
    make_roadmap(title="Shell for beginners", skill_level="beginner", tags=["Bash"])
    make_roadmap(title="Go concurrency", skill_level="advanced", tags=["Go"])
    make_roadmap(title="Hidden draft", status="draft", tags=["Python"])

    page.goto(f"{site_url}/")
    page.locator(".site-header").get_by_role("link", name="Roadmaps").click()
    expect(page).to_have_url(f"{site_url}/roadmaps/")
    expect(page).to_have_title(re.compile(r"^Roadmaps · Waymark$"))
    cards = page.locator(".card-grid .card__title")
    expect(cards).to_have_text(["Backend foundations", "Go concurrency", "Shell for beginners"])  # featured first

    # Filter by level: only the beginner roadmap is left.
    page.get_by_label("Skill level").select_option("beginner")
    page.get_by_role("button", name="Show roadmaps").click()
    expect(page).to_have_url(re.compile(r"level=beginner"))
    expect(cards).to_have_text(["Shell for beginners"])
    expect(page.get_by_role("status")).to_contain_text("1 roadmap matches")
    expect(page.get_by_label("Skill level")).to_have_value("beginner")  # the form keeps the choice

    # Technology: drafts are not counted; search words narrow further.
    page.get_by_role("link", name="Clear").click()
    expect(page.get_by_label("Technology").locator("option", has_text="Python")).to_have_text("Python (1)")
    page.get_by_label("Technology").select_option("python")
    page.get_by_role("button", name="Show roadmaps").click()
    expect(cards).to_have_text(["Backend foundations"])

    # A search that matches nothing says so and offers the way back.
    page.get_by_label("Search").fill("underwater basket weaving")
    page.get_by_role("button", name="Show roadmaps").click()
    expect(page.get_by_role("heading", name="No roadmap matches")).to_be_visible()
    page.get_by_role("link", name="Show all roadmaps").click()
    expect(cards).to_have_count(3)

    # Read the roadmap.
    page.get_by_role("link", name="Backend foundations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Backend foundations")
    expect(page).to_have_title("Backend foundations · Waymark")
    expect(page.get_by_role("heading", name="Foundations step")).to_be_visible()
    expect(page.get_by_text("Learn the goal text of step one.")).to_be_visible()
    link = page.get_by_role("link", name=re.compile("HTTP topic"))
    expect(link).to_have_attribute("href", "https://example.org/http")
    expect(link).to_have_attribute("rel", re.compile("noopener"))
    expect(page.locator("#by-week")).to_contain_text("Halfway review checkpoint")

    # A visitor is invited to sign up to track it, and drafts stay hidden.
    expect(page.get_by_role("main").get_by_role("link", name=re.compile("Sign up|sign up|Sign in|sign in")).first
           ).to_be_visible()
    response = page.goto(f"{site_url}/roadmaps/{'x'}/")
    assert response.status == 404
