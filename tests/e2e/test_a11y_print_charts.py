"""On paper and on a phone (issue 14): a printed roadmap page keeps the learner's
states and drops only the controls; chart labels stay legible at 360 px and
chart colours keep 3:1 in both themes; the study log fits a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import make_learner_with_progress, session_cookie

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}


def _signed_in_page(new_context, site_url, user, **options):
    context = new_context(**options)
    context.add_cookies([session_cookie(user, site_url)])
    return context.new_page()


def test_it_prints_the_learners_states_and_drops_only_the_controls(new_context, site_url):
    user, enrolment = make_learner_with_progress()
    page = _signed_in_page(new_context, site_url, user)
    page.goto(f"{site_url}{enrolment.roadmap.get_absolute_url()}")
    on_screen = {state: page.locator(".learner-item .badge", has_text=state).count()
                 for state in ("Done", "Skipped", "In progress")}
    assert on_screen == {"Done": 3, "Skipped": 1, "In progress": 1}, on_screen

    page.emulate_media(media="print")

    for state, count in on_screen.items():
        badges = page.locator(".learner-item .badge", has_text=state)
        expect(badges).to_have_count(count)
        for i in range(count):
            expect(badges.nth(i)).to_be_visible()
    # The roadmap itself prints: every step and item title is there.
    steps = page.locator("main .step")
    assert steps.count() >= 1
    for i in range(steps.count()):
        expect(steps.nth(i)).to_be_visible()
    expect(page.locator("main .item").first).to_be_visible()
    # Where the learner stands overall still prints, without its buttons.
    expect(page.locator("#roadmap-progress")).to_be_visible()
    # Only the controls go: no button, no "Notes" link, no milestone link, no site chrome.
    visible_buttons = page.locator("button:visible")
    assert visible_buttons.count() == 0, visible_buttons.all_inner_texts()[:5]
    expect(page.locator(".learner-item > a:visible")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("Add a personal milestone"))).to_have_count(0)
    expect(page.locator(".site-header")).to_be_hidden()

    page.emulate_media(media="screen")
    expect(page.locator(".learner-item button").first).to_be_visible()


LABEL_SIZES = """() => [...document.querySelectorAll('main svg.chart text')].map(text => ({
  text: text.textContent.trim(),
  height: text.getBoundingClientRect().height,
  font: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
}))"""


@pytest.mark.parametrize("path", ["/dashboard/", "/progress/log/"])
def test_it_draws_chart_labels_at_least_9px_tall_on_a_360px_phone(new_context, site_url, path):
    user, _ = make_learner_with_progress()
    page = _signed_in_page(new_context, site_url, user, viewport=PHONE)
    page.goto(f"{site_url}{path}")
    labels = page.evaluate(LABEL_SIZES)
    assert len(labels) >= 3, labels
    small = [label for label in labels if label["font"] < 9 or label["height"] < 9]
    assert not small, small
    # Nothing of the chart runs off the side of the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # "Show the numbers" / "Show the days" stay.
    expect(page.locator("main details.chart-data table, main details.chart-data p")).not_to_have_count(0)


CHART_COLOURS = """() => {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  const classes = ['chart__bar', 'chart__bar chart__bar--met', 'chart__bar chart__bar--current',
                   'chart__bar chart__bar--current chart__bar--met',
                   'heat heat--0', 'heat heat--1', 'heat heat--2', 'heat heat--3', 'heat heat--4'];
  for (const name of classes) {
    const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    rect.setAttribute('class', name);
    svg.appendChild(rect);
  }
  document.querySelector('main').appendChild(svg);
  const fills = Object.fromEntries([...svg.children].map(r => [r.getAttribute('class'), getComputedStyle(r).fill]));
  svg.remove();
  const style = getComputedStyle(document.documentElement);
  return {fills, bg: getComputedStyle(document.body).backgroundColor,
          surface: style.getPropertyValue('--color-surface').trim()};
}"""


def _luminance(colour: str) -> float:
    if colour.startswith("#"):
        channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    else:
        channels = [int(float(value)) for value in re.findall(r"[\d.]+", colour)[:3]]
    linear = [(c / 255 / 12.92) if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_it_keeps_chart_colours_3_to_1_against_the_page_and_between_empty_and_studied_days(
    new_context, site_url, scheme
):
    user, _ = make_learner_with_progress()
    page = _signed_in_page(new_context, site_url, user, color_scheme=scheme)
    page.goto(f"{site_url}/progress/log/")
    found = page.evaluate(CHART_COLOURS)
    fills, backgrounds = found["fills"], (found["bg"], found["surface"])

    drawn = [name for name in fills if name != "heat heat--0"]  # an empty day draws nothing
    for name in drawn:
        for background in backgrounds:
            assert _contrast(fills[name], background) >= 3, (scheme, name, fills[name], background)
    levels = [fills[f"heat heat--{level}"] for level in range(5)]
    assert _contrast(levels[0], levels[1]) >= 3, (scheme, levels)  # was 1.25:1
    # Darker means more: each level with study stands apart from the next.
    for lower, higher in zip(levels[1:], levels[2:], strict=False):
        assert _contrast(lower, higher) >= 1.3, (scheme, levels)


def test_it_fits_the_study_log_on_a_phone_with_edit_and_delete_in_reach(new_context, site_url):
    user, _ = make_learner_with_progress()
    page = _signed_in_page(new_context, site_url, user, viewport=PHONE)
    page.goto(f"{site_url}/progress/log/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    table_wrap = page.locator(".table-wrap").filter(has=page.locator(".log-table"))
    assert table_wrap.evaluate("el => el.scrollWidth <= el.clientWidth"), "the study log scrolls sideways"
    for name in ("Edit", "Delete"):
        links = page.get_by_role("link", name=re.compile(f"^{name} the entry of"))
        assert links.count() == 7
        for i in range(links.count()):
            box = links.nth(i).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (name, box)
            assert box["height"] >= 24, (name, box)  # WCAG 2.5.8 target size


def test_it_lets_a_keyboard_reach_and_scroll_a_sample_flow_table_on_a_phone(new_context, site_url):
    from tests.factories import make_full_roadmap

    roadmap = make_full_roadmap()
    page = new_context(viewport=PHONE).new_page()
    page.goto(f"{site_url}{roadmap.get_absolute_url()}")
    scroller = page.get_by_role("region", name=re.compile("Sample flow: week"))
    expect(scroller.first).to_have_attribute("tabindex", "0")
    scroller.first.focus()
    expect(scroller.first).to_be_focused()
    outline = scroller.first.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
