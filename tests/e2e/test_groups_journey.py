"""Study groups in Chromium: an organiser starts a group and copies the
invite; a second learner opens it signed out, signs in, comes back to it,
chooses what to share and joins; the organiser sees their progress and
sends a nudge."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import Page, expect

from groups.models import Membership, Nudge
from progress import summaries
from progress.items.services import item_progress_set_state
from progress.models import Enrolment
from tests.e2e.conftest import session_cookie
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import roadmap_items

pytestmark = pytest.mark.e2e


def test_an_organiser_invites_a_learner_and_nudges_them(page: Page, new_context, site_url, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    roadmap = make_roadmap(title="Go for backends", steps=2, items_per_step=3)
    organiser = make_user("olga@example.com", display_name="Olga Organiser")
    learner = make_user("lars@example.com", password="journey-password-2026", display_name="Lars Learner")
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)

    # The organiser starts the group from the header's link and copies the invite.
    page.context.add_cookies([session_cookie(organiser, site_url)])
    page.goto(f"{site_url}/dashboard/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Study groups").click()
    page.get_by_role("link", name="Start a group").click()
    page.get_by_label("Name").fill("Gophers at lunch")
    page.get_by_label("Roadmap the group follows").select_option(label="Go for backends")
    page.get_by_role("button", name="Start the group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gophers at lunch")
    invite = page.get_by_label("The group's invite link").input_value()
    assert "/groups/join/?token=" in invite

    # The learner opens it signed out, signs in, and is back on the invite.
    other = new_context().new_page()
    other.goto(invite)
    other.get_by_label("Email").fill("lars@example.com")
    other.get_by_label("Password").fill("journey-password-2026")
    other.get_by_role("button", name="Sign in").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Gophers at lunch")
    expect(other.get_by_text("never shown").first).to_be_visible()
    other.get_by_label("My hours this week").uncheck()  # keeps their hours to themselves
    other.get_by_label("Yes, at the Balanced pace (10 h a week)").check()
    other.get_by_role("button", name="Join Gophers at lunch").click()
    expect(other.locator(".messages")).to_contain_text("You are enrolled in Go for backends")
    membership = Membership.objects.get(user=learner)
    assert (membership.share_progress, membership.share_hours) == (True, False)

    # The learner makes progress; the organiser sees it and sends a nudge.
    enrolment = Enrolment.objects.get(user=learner, roadmap=roadmap)
    for item in roadmap_items(roadmap)[:3]:
        item_progress_set_state(enrolment=enrolment, item=item, state="done")
    summaries.rebuild(enrolments=[enrolment])
    page.reload()
    row = page.locator(f"#member-{membership.pk}")
    expect(row).to_contain_text("Lars Learner")
    expect(row).to_contain_text("50%")
    expect(row).to_contain_text("3/6 done")
    expect(row).to_contain_text("Not shared")  # the hours they kept
    page.get_by_role("link", name="Progress").click()
    expect(page.locator("th[aria-sort='ascending']")).to_contain_text("Progress")
    row.get_by_role("link", name="Lars Learner").click()
    page.get_by_label("Your words").fill("Half way already, nice work!")
    page.get_by_role("button", name="Send the nudge").click()
    expect(page.locator(".messages")).to_contain_text("Nudge sent to Lars Learner")
    expect(page.get_by_text("had a nudge this week already")).to_be_visible()
    assert Nudge.objects.filter(membership=membership).count() == 1
    [message] = [m for m in mail.outbox if m.to == ["lars@example.com"]]
    assert "Half way already, nice work!" in message.body
