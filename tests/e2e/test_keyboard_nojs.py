"""Journeys 2 and 3 again: once with JavaScript disabled (every form is a plain
POST), once with the keyboard only (Tab to reach a control, Enter or Space to
use it, typing into fields; no clicks), checking on the way that the focused
control always shows a focus ring.

Journey 2: sign up, verify the email (which signs in), enrol, mark items in progress /
done / skipped, log study time, watch the dashboard's bar, hours and streak.
Journey 3: answer a due retrospective from the dashboard.
(The JavaScript-and-mouse versions: test_progress_journey.py and
test_retrospective_journey.py.)
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from playwright.sync_api import Locator, Page, expect

from progress.schedule import local_today
from retrospectives.models import Retrospective
from roadmaps.models import RetrospectivePrompt
from tests.e2e.conftest import axe_violations, describe_violations, session_cookie
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment

pytestmark = pytest.mark.e2e

PASSWORD = "journey-password-2026"
MODES = ["no-javascript", "keyboard-only"]
TAB_LIMIT = 250  # a page has far fewer stops than this; more means focus is lost or trapped


class Driver:
    """Uses a page either with plain clicks (JavaScript off) or with the
    keyboard alone."""

    def __init__(self, page: Page, mode: str):
        self.page = page
        self.keyboard = mode == "keyboard-only"

    def focus(self, target: Locator) -> None:
        """Tab forward (wrapping around the page) until `target` has focus,
        and check that the focus is visible."""
        element = target.element_handle()
        for _ in range(TAB_LIMIT):
            if element.evaluate("el => el === document.activeElement"):
                style = element.evaluate(
                    "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
                )
                assert style[0] != "none" and style[1] != "0px", f"no visible focus on {target}: {style}"
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {target}")

    def activate(self, target: Locator, *, navigates: bool = True, key: str = "Enter") -> None:
        if self.keyboard:
            self.focus(target)
            action = lambda: self.page.keyboard.press(key)  # noqa: E731
        else:
            action = target.click
        if navigates:
            with self.page.expect_navigation():
                action()
        else:
            action()

    def fill(self, target: Locator, text: str) -> None:
        if self.keyboard:
            self.focus(target)
            self.page.keyboard.press("ControlOrMeta+a")  # select what is there, typing replaces it
            self.page.keyboard.type(text)
        else:
            target.fill(text)


def open_page(new_context, mode: str) -> Page:
    context = new_context(java_script_enabled=(mode != "no-javascript"))
    return context.new_page()


@pytest.mark.parametrize("mode", MODES)
def test_it_signs_up_enrols_tracks_and_logs_time(new_context, site_url, mode):
    roadmap = make_roadmap(steps=2, items_per_step=3, title="Plain HTML roadmap")  # 6 items of 2 h
    page = open_page(new_context, mode)
    do = Driver(page, mode)
    main = page.get_by_role("main")
    header = page.locator(".site-header")

    # Sign up and verify the email.
    page.goto(f"{site_url}/")
    do.activate(header.get_by_role("link", name="Sign up"))
    do.fill(page.get_by_label("Email"), "plain@example.com")
    do.fill(page.get_by_label("Password", exact=True), PASSWORD)
    do.fill(page.get_by_label("Password (again)"), PASSWORD)
    do.activate(page.get_by_role("button", name="Create account"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)  # followed from the mail program
    do.activate(page.get_by_role("button", name="Confirm"))

    # Confirming signs in: the dashboard greets a new learner and leads to the catalogue.
    expect(page).to_have_url(f"{site_url}/dashboard/")
    expect(page.get_by_role("heading", name="Welcome to Waymark")).to_be_visible()
    do.activate(main.get_by_role("link", name="Find a roadmap"))
    do.activate(main.get_by_role("link", name="Plain HTML roadmap").first)

    # Enrol from the roadmap page with the defaults, then back to the steps.
    do.activate(main.get_by_role("button", name="Enrol"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your plan")
    expect(page.locator(".messages")).to_be_visible()
    do.activate(main.get_by_role("link", name="Step 0"))
    expect(page).to_have_url(re.compile(rf"{roadmap.get_absolute_url()}#step-step-0$"))

    # In progress, done, skipped: in place with JavaScript, a round trip without.
    navigates = not do.keyboard
    # Each item's buttons are a group named by the item's title. Skip is
    # offered once an item is started (and on its notes page).
    for verb, title, label in [("Start", "Item 0.0", "In progress"), ("Done", "Item 0.1", "Done"),
                               ("Start", "Item 0.2", "In progress"), ("Skip", "Item 0.2", "Skipped")]:
        group = main.get_by_role("group", name=re.compile(rf"^{re.escape(title)}"))
        do.activate(group.get_by_role("button", name=verb, exact=True), navigates=navigates,
                    key="Space" if verb == "Skip" else "Enter")
        expect(group.get_by_text(label, exact=True)).to_have_count(1)
    expect(main.locator("#roadmap-progress progress")).to_have_attribute("value", "20")  # 2 of 10 hours

    # The dashboard: the bar moved; log time and watch hours and streak.
    do.activate(header.get_by_role("link", name="Dashboard"))
    expect(page.locator(".dashboard__card progress").first).to_have_attribute("value", "20")
    expect(page.locator("#hours-this-week")).to_contain_text("0 of")
    do.activate(main.get_by_role("link", name="Log study time"))
    do.fill(page.get_by_label("Minutes"), "90")
    do.fill(page.get_by_label("Note"), "Read the first step without a mouse")
    do.activate(page.get_by_role("button", name="Log it"))
    expect(page).to_have_url(f"{site_url}/dashboard/")
    expect(page.locator(".messages")).to_contain_text("Logged 90 minutes")
    expect(page.locator("#hours-this-week")).to_contain_text("1.5 of")
    expect(page.locator("#daily-streak")).to_contain_text("1")
    expect(page.locator(".dashboard__activity")).to_contain_text("Logged 90 min")


@pytest.mark.parametrize("mode", MODES)
def test_it_answers_a_due_retrospective_from_the_dashboard(new_context, site_url, mode):
    learner = make_user("plain.retro@example.com", display_name="Kim")
    roadmap = make_roadmap(title="Keyboard roadmap")
    RetrospectivePrompt.objects.create(roadmap=roadmap, position=0, text="What went well?")
    RetrospectivePrompt.objects.create(roadmap=roadmap, position=1, text="What will you try next?")
    enrolment = make_enrolment(learner, roadmap, start_date=local_today("UTC") - timedelta(weeks=3))
    page = open_page(new_context, mode)
    page.context.add_cookies([session_cookie(learner, site_url)])
    do = Driver(page, mode)

    page.goto(f"{site_url}/dashboard/")
    card = page.locator(f"#retro-{enrolment.pk}-1")
    expect(card).to_contain_text("Due")  # the card says what is due; the questions are on the form
    do.activate(card.get_by_role("link", name=re.compile("^Write it")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Looking back: Keyboard roadmap")

    do.fill(page.get_by_label("What went well?"), "Kept to the plan.")
    do.activate(page.get_by_role("button", name="Save draft"))
    expect(page.locator(".messages")).to_contain_text("Draft saved")
    expect(page.get_by_label("What went well?")).to_have_value("Kept to the plan.")

    do.fill(page.get_by_label("What will you try next?"), "Shorter sessions")
    do.activate(page.get_by_role("button", name="Submit"), key="Space")
    expect(page.locator(".messages")).to_contain_text("Retrospective submitted")
    expect(page.locator(".retro-answers")).to_contain_text("Shorter sessions")

    do.activate(page.get_by_role("link", name="Dashboard").first)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(f"#retro-{enrolment.pk}-1")).to_have_count(0)
    retro = Retrospective.objects.get()
    assert retro.status == "submitted"
    assert list(retro.answers.values_list("text", flat=True)) == ["Kept to the plan.", "Shorter sessions"]


@pytest.mark.parametrize("mode", MODES)
def test_it_reorders_the_steps_of_the_plan(new_context, site_url, mode):
    learner = make_user("plain.order@example.com", display_name="Ori")
    enrolment = make_enrolment(learner, make_roadmap(steps=3, items_per_step=2, title="Order roadmap"))
    # bypass_csp lets axe's script in (JavaScript on only); it changes nothing else.
    page = new_context(java_script_enabled=(mode != "no-javascript"), bypass_csp=True).new_page()
    page.context.add_cookies([session_cookie(learner, site_url)])
    do = Driver(page, mode)
    steps = page.locator("#steps tbody th")

    page.goto(f"{site_url}/progress/{enrolment.pk}/")
    expect(steps).to_have_text(["Step 0", "Step 1", "Step 2"])
    for expected in (["Step 0", "Step 2", "Step 1"], ["Step 2", "Step 0", "Step 1"]):
        do.activate(page.get_by_role("button", name=re.compile(r"^Move up\s*:\s*Step 2$")))
        expect(page).to_have_url(re.compile(r"#steps$"))
        expect(page.locator(".messages")).to_contain_text("Moved “Step 2” earlier in your plan.")
        expect(steps).to_have_text(expected)
    expect(page.locator("#steps")).to_contain_text("Your own order.")
    expect(page.get_by_role("button", name=re.compile(r"^Move up\s*:\s*Step 2$"))).to_have_count(0)  # first now
    if do.keyboard:
        violations = axe_violations(page)
        assert violations == [], describe_violations(violations)

    do.activate(page.get_by_role("button", name="Back to the roadmap's order"))
    expect(page.locator(".messages")).to_contain_text("follows the roadmap's order of steps again")
    expect(steps).to_have_text(["Step 0", "Step 1", "Step 2"])
