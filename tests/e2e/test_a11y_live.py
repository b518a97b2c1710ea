"""What a keyboard and a screen reader get from in-place updates and failed
forms (issue 14): an htmx tick is announced in a polite live region and focus
stays on the item that changed; a failed submit starts at an error summary
that links to each field."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from progress.models import ItemProgress, ItemState
from roadmaps.models import Item
from tests.e2e.conftest import make_learner_with_progress, session_cookie

pytestmark = pytest.mark.e2e


def _signed_in_page(new_context, site_url, user, **options):
    context = new_context(**options)
    context.add_cookies([session_cookie(user, site_url)])
    return context.new_page()


def _focused_item_id(page) -> str | None:
    return page.evaluate("document.activeElement.closest('.learner-item')?.id ?? null")


def test_it_announces_a_tick_on_the_roadmap_page_and_keeps_focus_on_the_item(new_context, site_url):
    user, enrolment = make_learner_with_progress()
    roadmap = enrolment.roadmap
    page = _signed_in_page(new_context, site_url, user)
    page.goto(f"{site_url}{roadmap.get_absolute_url()}")
    live = page.locator("#live-status")
    expect(live).to_have_attribute("role", "status")  # polite
    expect(live).to_be_empty()

    # A topic not started yet: its Done button, reached and pressed with the keyboard.
    widget = page.locator(".learner-item:not(.learner-item--done):not(.learner-item--skipped)"
                          ":not(.learner-item--in_progress)").first
    widget_id = widget.get_attribute("id")
    item_pk = int(widget_id.rsplit("-", 1)[1])
    title = Item.objects.get(pk=item_pk).title
    widget.get_by_role("button", name="Done").focus()
    page.keyboard.press("Enter")

    expect(live).to_contain_text(f"Marked “{title}” as done.")
    expect(live).to_contain_text(re.compile(r"\d+% of "))
    expect(live).to_contain_text(f"% of {roadmap.title}")
    # The widget was swapped out; focus is on the new one's button, not <body>.
    expect(page.locator(f"#{widget_id} .badge")).to_have_text("Done")
    assert _focused_item_id(page) == widget_id
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    assert page.url == f"{site_url}{roadmap.get_absolute_url()}"  # in place
    assert ItemProgress.objects.get(enrolment=enrolment, item_id=item_pk).state == ItemState.DONE

    # Enter again on what now has focus (Reset): announced, focus still there.
    expect(page.locator(":focus")).to_have_text("Reset")
    page.keyboard.press("Enter")
    expect(live).to_contain_text(f"Marked “{title}” as not started.")
    expect(page.locator(f"#{widget_id} .badge")).to_have_count(0)
    assert _focused_item_id(page) == widget_id


def test_it_announces_a_tick_on_the_dashboard_and_keeps_focus_on_the_item(new_context, site_url):
    user, _ = make_learner_with_progress()
    page = _signed_in_page(new_context, site_url, user)
    page.goto(f"{site_url}/dashboard/")
    live = page.locator("#live-status")
    expect(live).to_have_attribute("role", "status")
    item = page.locator(".dashboard__item").first
    title = item.locator(".dashboard__item-title a").inner_text()
    item.get_by_role("button", name=re.compile(r"^Done")).focus()
    page.keyboard.press("Enter")

    expect(live).to_contain_text(f"Marked “{title}” as done.")
    expect(live).to_contain_text("% of")
    focused = page.locator(":focus")
    expect(focused).to_have_text(re.compile(r"^Undo"))
    assert focused.evaluate("el => el.closest('.dashboard__item').textContent").count(title) >= 1


def test_in_place_updates_break_no_content_security_rule(new_context, site_url):
    """htmx settles an old element's attributes onto its new copy. A style
    attribute among them is an inline style, which the CSP blocks: a console
    error per element on every tick, once a password manager or another
    extension has styled the page's inputs (through the CSSOM, which the CSP
    allows) — as this test does."""
    user, enrolment = make_learner_with_progress()
    page = _signed_in_page(new_context, site_url, user)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    live = page.locator("#live-status")

    def tick_and_undo(done, undo):
        page.evaluate("document.querySelectorAll('input').forEach(input => { input.style.backgroundSize = '0'; })")
        done.click()
        expect(live).to_contain_text("as done")
        undo.click()  # the same elements swapped a second time
        expect(live).to_contain_text("as not started")

    page.goto(f"{site_url}/dashboard/")
    main = page.locator(f"#{page.locator('button[id$=-main]').first.get_attribute('id')}")
    tick_and_undo(main, main)  # the tapped item stays listed, its button keeps its id
    page.goto(f"{site_url}{enrolment.roadmap.get_absolute_url()}")
    widget = page.locator(".learner-item:not(.learner-item--done):not(.learner-item--skipped)"
                          ":not(.learner-item--in_progress)").first
    widget = page.locator(f"#{widget.get_attribute('id')}")
    tick_and_undo(widget.get_by_role("button", name="Done"), widget.get_by_role("button", name="Reset"))
    assert errors == []


def test_it_moves_focus_to_an_error_summary_that_links_to_each_field(new_context, site_url):
    user, _ = make_learner_with_progress()
    page = _signed_in_page(new_context, site_url, user)
    page.goto(f"{site_url}/progress/log/add/")
    page.get_by_label("Minutes").fill("0")
    page.get_by_role("button", name=re.compile("^(Log|Save)")).click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    assert links.count() >= 1
    href = links.first.get_attribute("href")
    assert href.startswith("#")
    # Following the link puts the keyboard in the field, described by its error.
    links.first.click()
    field = page.locator(href)
    expect(field).to_be_focused()
    described = field.get_attribute("aria-describedby") or ""
    error_ids = [name for name in described.split() if name.endswith("_error")]
    assert error_ids and page.locator(f"#{error_ids[0]}").inner_text().strip()
