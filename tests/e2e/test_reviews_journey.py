"""The review queue in Chromium: two topics due, answered from the dashboard
— in place with JavaScript (the row says when the next review is, the
roadmap's count goes down, the live region says it), through a plain POST
and a redirect back to the queue without."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from progress.items.services import item_progress_set_state
from progress.schedule import local_today
from reviews.models import ReviewCard, ReviewLog
from tests.e2e.conftest import session_cookie
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment, roadmap_items

pytestmark = pytest.mark.e2e


@pytest.fixture
def learner_with_two_due(transactional_db):
    user = make_user("rev.learner@example.com", display_name="Rea Reviewer")
    roadmap = make_roadmap(steps=2, items_per_step=1, title="Review roadmap")  # two topics of 2 h
    enrolment = make_enrolment(user, roadmap, start_date=local_today(user.time_zone) - timedelta(weeks=2))
    for topic in roadmap_items(roadmap):
        item_progress_set_state(enrolment=enrolment, item=topic, state="done")
    ReviewCard.objects.update(due_on=local_today(user.time_zone))
    return user, enrolment


def test_it_answers_a_review_in_place_with_javascript(new_context, site_url, learner_with_two_due):
    user, enrolment = learner_with_two_due
    context = new_context()
    context.add_cookies([session_cookie(user, site_url)])
    page = context.new_page()
    page.goto(f"{site_url}/dashboard/")
    queue = page.locator("#reviews")
    count = page.locator(f"#reviews-due-{enrolment.pk}")
    expect(count).to_have_text("2 due · about 24 min")
    first = queue.locator(".dashboard__item").first
    title = first.locator("a").first.inner_text()

    first.get_by_role("button", name=re.compile(r"^Good\b")).click()
    expect(page.locator("#live-status")).to_contain_text(f"Reviewed “{title}”: next on")
    expect(count).to_have_text("1 due · about 12 min")
    expect(queue.get_by_text("next review")).to_be_visible()
    assert page.url == f"{site_url}/dashboard/"  # no reload

    queue.get_by_role("button", name=re.compile(r"^I don't need to review this")).click()
    expect(count).to_have_text("all done for today")
    assert ReviewLog.objects.filter(source="review").count() == 1
    assert ReviewCard.objects.filter(opted_out_at__isnull=False).count() == 1


def test_it_answers_a_review_without_javascript(new_context, site_url, learner_with_two_due):
    user, enrolment = learner_with_two_due
    context = new_context(java_script_enabled=False)
    context.add_cookies([session_cookie(user, site_url)])
    page = context.new_page()
    page.goto(f"{site_url}/dashboard/")
    first = page.locator("#reviews .dashboard__item").first
    title = first.locator("a").first.inner_text()

    first.get_by_role("button", name=re.compile(r"^Again\b")).click()
    assert page.url == f"{site_url}/dashboard/#reviews"  # back to the queue after the POST
    expect(page.get_by_text(f"Reviewed “{title}”: next on")).to_be_visible()
    expect(page.locator(f"#reviews-due-{enrolment.pk}")).to_have_text("1 due · about 12 min")
    card = ReviewCard.objects.get(item__title=title)
    assert card.due_on == local_today(user.time_zone) + timedelta(days=1)
