"""A newcomer signs up, verifies the email, signs in and signs out, in Chromium."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

PASSWORD = "journey-password-2026"


def test_it_signs_up_verifies_signs_in_and_signs_out(page: Page, site_url: str):
    page.goto(f"{site_url}/")
    page.get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(f"{site_url}/accounts/signup/")

    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    # Confirming in the browser that signed up signs in (tests/e2e/test_journey_signup.py:
    # from a roadmap page, and from another browser).
    expect(page).to_have_url(f"{site_url}/dashboard/")
    header = page.locator(".site-header")
    header.get_by_role("button", name="Sign out").click()

    header.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    header.get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Account settings")
    expect(page.get_by_text("newcomer@example.com")).to_be_visible()

    page.locator(".site-header").get_by_role("button", name="Sign out").click()
    expect(page.locator(".site-header").get_by_role("link", name="Sign in")).to_be_visible()
