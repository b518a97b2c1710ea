"""Responsive layout: no horizontal scrolling at 360 px on the main pages, and
full-page screenshots at 360 and 1280 px exactly as wide as the screen."""

from __future__ import annotations

import struct

import pytest

from tests.e2e.conftest import make_learner_with_progress, session_cookie

pytestmark = pytest.mark.e2e

PUBLIC = ["/", "/roadmaps/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]


def private(enrolment) -> list[str]:
    return [
        enrolment.roadmap.get_absolute_url(),
        "/dashboard/",
        f"/progress/{enrolment.pk}/",
        "/progress/log/",
        "/progress/log/add/",
        f"/retrospectives/{enrolment.pk}/1/",
        f"/retrospectives/{enrolment.pk}/",
        "/accounts/settings/",
    ]


def png_width(data: bytes) -> int:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", data[16:20])[0]


def overflowing(page) -> list[str]:
    """The elements that stick out on the right, to say what to fix."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.'))"""
    )


def test_it_never_scrolls_sideways_on_a_360_px_phone(new_context, site_url):
    user, enrolment = make_learner_with_progress()
    visitor = new_context(viewport={"width": 360, "height": 740}).new_page()
    learner_context = new_context(viewport={"width": 360, "height": 740})
    learner_context.add_cookies([session_cookie(user, site_url)])
    learner = learner_context.new_page()
    wide = {}
    for page, paths in [(visitor, [*PUBLIC, enrolment.roadmap.get_absolute_url()]), (learner, private(enrolment))]:
        for path in paths:
            assert page.goto(f"{site_url}{path}").status == 200, path
            if page.evaluate("document.documentElement.scrollWidth") > 360:
                wide[path] = overflowing(page)
    assert not wide, f"wider than 360 px: {wide}"


@pytest.mark.parametrize("width", [360, 1280])
def test_it_takes_screenshots_as_wide_as_the_screen(new_context, site_url, tmp_path, width):
    user, enrolment = make_learner_with_progress()
    context = new_context(viewport={"width": width, "height": 800})
    context.add_cookies([session_cookie(user, site_url)])
    page = context.new_page()
    for name, path in [("dashboard", "/dashboard/"), ("roadmap", enrolment.roadmap.get_absolute_url())]:
        page.goto(f"{site_url}{path}")
        shot = page.screenshot(path=tmp_path / f"{name}-{width}.png", full_page=True, timeout=60_000)
        assert png_width(shot) == width, f"{path} at {width} px: {overflowing(page)}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    # On a phone the learner's main controls are there and reachable.
    if width == 360:
        page.goto(f"{site_url}/dashboard/")
        log = page.get_by_role("link", name="Log study time")
        log.scroll_into_view_if_needed()
        box = log.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
        assert box["height"] >= 24  # a comfortable touch target
