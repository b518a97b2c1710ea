"""Accessibility in Chromium: axe-core finds nothing on the main pages in
either theme; one <h1>, landmarks, a skip link and visible focus everywhere."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, describe_violations, make_learner_with_progress, session_cookie

pytestmark = pytest.mark.e2e

PUBLIC_PAGES = {
    "home": "/",
    "catalogue": "/roadmaps/",
    "sign-in": "/accounts/login/",
    "sign-up": "/accounts/signup/",
}
# Not named by the issue, checked all the same.
MORE_PUBLIC_PAGES = {
    "password reset": "/accounts/password/reset/", "not found": "/no-such-page/", "a form's address": "/theme/",
}


def private_pages(enrolment) -> dict[str, str]:
    return {
        "roadmap page": enrolment.roadmap.get_absolute_url(),
        "dashboard": "/dashboard/",
        "retrospective form": f"/retrospectives/{enrolment.pk}/1/",
        "account settings": "/accounts/settings/",
        # Not named by the issue, checked all the same.
        "plan": f"/progress/{enrolment.pk}/",
        "study log": "/progress/log/",
        "retrospective timeline": f"/retrospectives/{enrolment.pk}/",
        "email addresses": "/accounts/email/",
    }


# Both themes in English, and every page once more in Spanish (issue 18).
@pytest.mark.parametrize(("scheme", "locale"), [("light", "en-GB"), ("dark", "en-GB"), ("light", "es-ES")])
def test_it_finds_no_axe_violations_on_the_main_pages(new_context, site_url, scheme, locale):
    user, enrolment = make_learner_with_progress()
    found = {}
    visitor = new_context(color_scheme=scheme, locale=locale, bypass_csp=True).new_page()
    pages = {**PUBLIC_PAGES, **MORE_PUBLIC_PAGES, "roadmap page (visitor)": enrolment.roadmap.get_absolute_url()}
    for name, path in pages.items():
        visitor.goto(f"{site_url}{path}")
        found[name] = axe_violations(visitor)

    language = locale.split("-")[0]
    context = new_context(color_scheme=scheme, locale=locale, bypass_csp=True)
    context.add_cookies([session_cookie(user, site_url)])
    learner = context.new_page()
    for name, path in private_pages(enrolment).items():
        response = learner.goto(f"{site_url}{path}")
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        expect(learner.locator("html"), name).to_have_attribute("lang", language)
        found[name] = axe_violations(learner)

    found = {name: describe_violations(v) for name, v in found.items() if v}
    assert not found, "\n".join(f"[{scheme}, {locale}] {name}:\n{text}" for name, text in found.items())


def test_it_has_one_h1_landmarks_and_a_skip_link_on_every_page(new_context, site_url):
    user, enrolment = make_learner_with_progress()
    context = new_context()
    context.add_cookies([session_cookie(user, site_url)])
    page = context.new_page()
    for path in [*PUBLIC_PAGES.values(), *private_pages(enrolment).values()]:
        if path.startswith("/accounts/log") or path.startswith("/accounts/signup"):
            continue  # signed in, allauth sends these on to the dashboard
        page.goto(f"{site_url}{path}")
        expect(page.locator("h1"), path).to_have_count(1)
        for landmark in ("banner", "navigation", "main", "contentinfo"):
            expect(page.get_by_role(landmark).first, f"{path}: {landmark}").to_be_attached()
        assert page.title().endswith("· Waymark") and len(page.title()) > len("· Waymark") + 2, path

        # The first Tab reaches the skip link, which shows itself and moves
        # focus into <main>.
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to content")
        expect(skip).to_be_focused()
        expect(skip).to_be_in_viewport()
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", f"{path}: the focused skip link shows no outline"
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()


def test_it_gives_progress_bars_values_and_charts_a_text_alternative(new_context, site_url):
    user, enrolment = make_learner_with_progress()
    context = new_context()
    context.add_cookies([session_cookie(user, site_url)])
    page = context.new_page()
    page.goto(f"{site_url}/dashboard/")
    bars = page.locator("progress")
    assert bars.count() >= 1
    for i in range(bars.count()):
        bar = bars.nth(i)
        assert bar.get_attribute("value") is not None and bar.get_attribute("max") is not None
        assert int(bar.evaluate("el => el.labels.length + (el.getAttribute('aria-label') ? 1 : 0)"
                                " + (el.getAttribute('aria-labelledby') ? 1 : 0)")) >= 1
    _assert_charts_are_named(page, expected=1)  # the 12-week bars
    page.goto(f"{site_url}/progress/log/")
    _assert_charts_are_named(page, expected=1)  # the study-days heatmap


def _assert_charts_are_named(page, *, expected: int) -> None:
    charts = page.locator("main svg[role='img']")
    assert charts.count() >= expected
    for i in range(charts.count()):
        chart = charts.nth(i)
        has_name = chart.evaluate(
            "el => Boolean(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')"
            " || el.querySelector(':scope > title'))"
        )
        assert has_name, chart.evaluate("el => el.outerHTML.slice(0, 200)")


def test_it_follows_the_system_theme_and_remembers_the_toggle(new_context, site_url):
    page = new_context(color_scheme="dark").new_page()
    page.goto(f"{site_url}/roadmaps/")
    dark_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark_bg == "rgb(17, 18, 20)"
    expect(page.get_by_role("button", name="Dark theme")).to_have_count(0)

    page.get_by_role("button", name="Light theme").click()
    expect(page).to_have_url(f"{site_url}/roadmaps/")
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(250, 250, 249)"

    page.goto(f"{site_url}/")  # remembered on the next page
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    page.get_by_role("button", name="Dark theme").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == dark_bg

    # And back to following the system (dark here): no choice remembered.
    page.get_by_role("button", name="Light theme").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    page.get_by_role("button", name="System theme").click()
    expect(page.locator("html")).not_to_have_attribute("data-theme", re.compile("."))
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == dark_bg
    expect(page.get_by_role("button", name="System theme")).to_have_count(0)
    page.goto(f"{site_url}/roadmaps/")
    expect(page.locator("html")).not_to_have_attribute("data-theme", re.compile("."))

