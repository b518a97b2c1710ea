"""Sign-up keeps the journey, in Chromium: a visitor on a roadmap page creates
an account, verifies the email and lands back on that roadmap, signed in,
and enrols; the time zone comes from the browser (UTC without JavaScript)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import Page, expect

from tests.e2e.conftest import session_cookie
from tests.factories import make_roadmap, make_user

pytestmark = pytest.mark.e2e

PASSWORD = "journey-password-2026"


def confirmation_link() -> str:
    return re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)


def sign_up_from_the_roadmap(page: Page, site_url: str, roadmap, email: str) -> None:
    page.goto(f"{site_url}{roadmap.get_absolute_url()}")
    page.get_by_role("link", name="Create an account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)


def test_it_signs_up_from_a_roadmap_lands_back_on_it_and_enrols(new_context, site_url):
    roadmap = make_roadmap(steps=2, items_per_step=3, title="Journey roadmap")
    page = new_context(timezone_id="Asia/Tokyo").new_page()

    sign_up_from_the_roadmap(page, site_url, roadmap, "journey.new@example.com")
    zone = page.get_by_label("Time zone")
    expect(zone).to_have_value("Asia/Tokyo")  # from the browser
    expect(page.get_by_text("Filled in from your browser: Asia/Tokyo.")).to_be_visible()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify")

    page.goto(confirmation_link())  # in this browser, as from the mail program
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(f"{site_url}{roadmap.get_absolute_url()}")
    expect(page.locator(".site-header").get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your plan")
    assert get_user_model().objects.get(email="journey.new@example.com").time_zone == "Asia/Tokyo"


def test_it_opens_the_link_in_another_browser_signs_in_and_lands_on_the_roadmap(new_context, site_url):
    roadmap = make_roadmap(steps=1, items_per_step=2, title="Elsewhere roadmap")
    page = new_context(java_script_enabled=False).new_page()

    sign_up_from_the_roadmap(page, site_url, roadmap, "journey.elsewhere@example.com")
    expect(page.get_by_label("Time zone")).to_have_value("UTC")  # no JavaScript: the labelled default
    expect(page.get_by_label("Time zone").locator("option:checked")).to_have_text("UTC (Coordinated Universal Time)")
    page.get_by_label("Time zone").select_option("Europe/Lisbon")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify")

    other = new_context().new_page()  # another browser: no session
    other.goto(confirmation_link())
    other.get_by_role("button", name="Confirm").click()
    expect(other).to_have_url(re.compile(r"/accounts/login/\?next="))
    other.get_by_label("Email").fill("journey.elsewhere@example.com")
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    expect(other).to_have_url(f"{site_url}{roadmap.get_absolute_url()}")
    expect(other.get_by_role("button", name="Enrol")).to_be_visible()
    assert get_user_model().objects.get(email="journey.elsewhere@example.com").time_zone == "Europe/Lisbon"


def test_it_offers_the_browser_zone_on_settings_while_the_stored_one_is_the_default(new_context, site_url):
    user = make_user("journey.settings@example.com", password=PASSWORD)
    context = new_context(timezone_id="America/Bogota")
    context.add_cookies([session_cookie(user, site_url)])
    page = context.new_page()
    page.goto(f"{site_url}/accounts/settings/")
    expect(page.get_by_label("Time zone")).to_have_value("America/Bogota")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".messages")).to_contain_text("Your settings are saved.")
    user.refresh_from_db()
    assert user.time_zone == "America/Bogota"

    # Chosen now: the browser no longer fills anything in.
    user.time_zone = "Africa/Nairobi"
    user.save(update_fields=["time_zone"])
    page.reload()
    expect(page.get_by_label("Time zone")).to_have_value("Africa/Nairobi")
