"""A learner signs in, lands on the dashboard, enrols, ticks items and logs
time — and the dashboard's bars and hours move — in Chromium."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect

from tests.factories import make_roadmap, make_user

pytestmark = pytest.mark.e2e

PASSWORD = "journey-password-2026"


def test_it_enrols_ticks_items_logs_time_and_sees_the_dashboard_move(page: Page, site_url: str):
    user = make_user("journey@example.com", password=PASSWORD, weekly_hours_goal=5)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    roadmap = make_roadmap(steps=2, items_per_step=3, title="Journey roadmap")  # 6 items of 2 h

    page.goto(f"{site_url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Sign-in lands on the dashboard; a new learner is pointed to the catalogue.
    expect(page).to_have_url(f"{site_url}/dashboard/")
    expect(page.get_by_role("heading", name="Welcome to Waymark")).to_be_visible()
    page.get_by_role("link", name="Find a roadmap").click()
    page.get_by_role("link", name="Journey roadmap").first.click()

    page.goto(f"{site_url}/progress/enrol/{roadmap.slug}/")
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your plan")

    page.goto(f"{site_url}/dashboard/")
    bar = page.locator(".dashboard__card progress").first
    expect(bar).to_have_attribute("value", "0")
    expect(page.locator("#hours-this-week")).to_contain_text("0 of 5 h")

    # Tick two items done on the roadmap page (with htmx, in place).
    page.goto(f"{site_url}{roadmap.get_absolute_url()}")
    for title in ("Item 0.0", "Item 0.1"):
        # Each item's buttons are a group named by the item's title.
        group = page.get_by_role("group", name=re.compile(rf"^{re.escape(title)}"))
        button = group.get_by_role("button", name="Done", exact=True)
        button.click()
        expect(button).to_have_count(0)
        expect(group.get_by_text("Done", exact=True)).to_have_count(1)

    # Log 90 minutes from the dashboard.
    page.goto(f"{site_url}/dashboard/")
    expect(bar).to_have_attribute("value", "33")  # 4 of 12 hours
    page.get_by_role("link", name="Log study time").click()
    page.get_by_label("Minutes").fill("90")
    page.get_by_label("Note").fill("Worked through the first step")
    page.get_by_role("button", name="Log it").click()

    expect(page).to_have_url(f"{site_url}/dashboard/")
    expect(page.locator(".message, .messages").first).to_contain_text("Logged 90 minutes")
    expect(page.locator("#hours-this-week")).to_contain_text("1.5 of 5 h")
    expect(page.locator("#daily-streak")).to_contain_text("1")
    expect(page.locator(".dashboard__card progress").first).to_have_attribute("value", "33")
    expect(page.locator(".dashboard__activity")).to_contain_text("Logged 90 min")
    expect(page.locator(".dashboard__activity")).to_contain_text("Item 0.1")
    expect(page.locator("svg.chart--bars title").first).to_have_text("Hours studied per week")
