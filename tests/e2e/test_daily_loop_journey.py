"""The daily loop, in Chromium, from a visitor on a roadmap page to a tick and
a logged half hour on the dashboard: sign up there, land back on it, enrol,
then mark a topic done and log time from the dashboard and see the figures
move — in place with JavaScript, through plain POSTs without."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from progress.models import Enrolment, ItemProgress, ItemState, StudyEntry
from tests.e2e.test_journey_signup import confirmation_link, sign_up_from_the_roadmap
from tests.factories import make_roadmap

pytestmark = pytest.mark.e2e


def first_item(page):
    return page.locator(".dashboard__item").first


def item_title(item) -> str:
    return item.locator(".dashboard__item-title a").inner_text()


def test_it_signs_up_from_a_roadmap_enrols_ticks_and_logs_time_from_the_dashboard(new_context, site_url):
    roadmap = make_roadmap(steps=2, items_per_step=3, title="Loop roadmap")  # 6 topics of 2 h
    page = new_context(timezone_id="Europe/Madrid").new_page()

    sign_up_from_the_roadmap(page, site_url, roadmap, "loop.new@example.com")
    page.get_by_role("button", name="Create account").click()
    page.goto(confirmation_link())
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(f"{site_url}{roadmap.get_absolute_url()}")
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your plan")

    page.goto(f"{site_url}/dashboard/")
    card = page.locator(".dashboard__card").first
    bar = card.locator("progress").first
    expect(bar).to_have_attribute("value", "0")
    item = first_item(page)
    title = item_title(item)

    # One tap: Done, in place. The card is swapped, focus stays on the item
    # (its Undo button now), the live region says what happened, the bar moves.
    item.get_by_role("button", name=re.compile(r"^Done")).click()
    expect(page.locator("#live-status")).to_contain_text(f"Marked “{title}” as done.")
    undo = page.locator(".dashboard__item", has_text=title).get_by_role("button", name=re.compile(r"^Undo"))
    expect(undo).to_be_focused()
    expect(bar).not_to_have_attribute("value", "0")
    assert page.url == f"{site_url}/dashboard/"  # never left the page

    # Log 45 minutes on the next item, from its inline form.
    nxt = page.locator(".dashboard__item").filter(has_not_text=title).first
    nxt.locator("summary").click()
    nxt.get_by_label("Minutes today").fill("45")
    nxt.get_by_role("button", name=re.compile(r"^Log")).click()
    expect(page.locator("#live-status")).to_contain_text("45")
    expect(page.locator("#hours-this-week")).to_contain_text("0.8 of")
    assert page.url == f"{site_url}/dashboard/"

    enrolment = Enrolment.objects.get(user__email="loop.new@example.com")
    assert ItemProgress.objects.get(enrolment=enrolment, item__title=title).state == ItemState.DONE
    assert StudyEntry.objects.get(enrolment=enrolment).minutes == 45

    # The plan agrees with the dashboard.
    shown = bar.get_attribute("value")
    page.goto(f"{site_url}/progress/{enrolment.pk}/")
    expect(page.locator("#roadmap-progress progress")).to_have_attribute("value", shown or "")


def test_it_ticks_and_undoes_from_the_dashboard_without_javascript(new_context, site_url):
    from tests.e2e.conftest import make_learner_with_progress, session_cookie

    user, enrolment = make_learner_with_progress("loop.nojs@example.com")
    context = new_context(java_script_enabled=False)
    context.add_cookies([session_cookie(user, site_url)])
    page = context.new_page()
    page.goto(f"{site_url}/dashboard/")
    item = first_item(page)
    title = item_title(item)
    before = page.locator(".dashboard__card progress").first.get_attribute("value")

    item.get_by_role("button", name=re.compile(r"^Done")).click()
    # A POST that comes back to the same place: the item still listed, to be undone.
    expect(page).to_have_url(re.compile(r"/dashboard/\?ticked=\d+#dash-item-\d+$"))
    ticked = page.locator(".dashboard__item", has_text=title)
    expect(ticked.get_by_text("Done", exact=True)).to_be_visible()
    assert page.locator(".dashboard__card progress").first.get_attribute("value") != before

    ticked.get_by_role("button", name=re.compile(r"^Undo")).click()
    expect(page.locator(".dashboard__card progress").first).to_have_attribute("value", before or "")
    assert not ItemProgress.objects.filter(enrolment=enrolment, item__title=title, state=ItemState.DONE).exists()


def test_a_tick_on_a_phone_keeps_the_dashboard_where_it_was(new_context, site_url):
    """The card is swapped in place: the page must not jump (an anchor inside
    the old card used to carry the view to the foot of the page), and the
    item's button keeps focus within sight."""
    from tests.e2e.conftest import make_learner_with_progress, session_cookie

    user, _ = make_learner_with_progress()
    context = new_context(viewport={"width": 390, "height": 844})
    context.add_cookies([session_cookie(user, site_url)])
    page = context.new_page()
    page.goto(f"{site_url}/dashboard/")
    done = page.locator(".dashboard__item button[value=done]").first
    done.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    assert before > 0  # the card is below the first screen: the case that jumped
    done_id = done.get_attribute("id")
    done.click()
    expect(page.locator(f"#{done_id}")).to_have_text(re.compile("^Undo"))  # the card was swapped
    expect(page.locator(f"#{done_id}")).to_be_focused()
    assert abs(page.evaluate("window.scrollY") - before) < 100
    expect(page.locator(f"#{done_id}")).to_be_in_viewport()
