"""Smaller accessibility fixes of issue 14, page by page: the pace group named by
a legend, sample-flow scrollers that can be focused, the TOTP secret as text,
and a way back to following the system's theme."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import make_full_roadmap, make_roadmap
from tests.progress_helpers import make_enrolment

pytestmark = pytest.mark.django_db


class Tags(HTMLParser):
    """Every start tag with its attributes, in order, and the text under each id."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag not in {"input", "br", "img", "meta", "link", "hr", "source", "wbr", "path", "rect", "line"}:
            self._open.append((tag, attrs.get("id")))
            if attrs.get("id"):
                self.text[attrs["id"]] = ""

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for _, element_id in self._open:
            if element_id:
                self.text[element_id] += data


def pace_group(html: str) -> str:
    """The <fieldset> that holds the pace radios, as HTML."""
    inside = r"(?:(?!</fieldset>).)*"
    match = re.search(rf'<fieldset[^>]*>({inside}name="pace"{inside})</fieldset>', html, re.S)
    assert match, "the pace radios are not inside a <fieldset>"
    return match.group(1)


def test_it_names_the_pace_choices_with_a_legend_on_the_enrol_page(learner_client):
    roadmap = make_roadmap()
    html = learner_client.get(reverse("progress:enrol", args=[roadmap.slug])).content.decode()
    group = pace_group(html)
    assert re.search(r"<legend>\s*Pace\s*</legend>", group)
    assert group.count('type="radio"') == roadmap.pace_plans.count() + 1  # the plans and "My own pace"
    assert "<label for=\"\"" not in html


def test_it_names_the_pace_choices_with_a_legend_on_the_roadmap_page_and_the_pace_form(learner_client, learner):
    roadmap = make_roadmap()
    html = learner_client.get(roadmap.get_absolute_url()).content.decode()
    assert re.search(r"<legend>\s*Pace\s*</legend>", pace_group(html))

    enrolment = make_enrolment(learner, roadmap)
    response = learner_client.post(reverse("progress:change_pace", args=[enrolment.pk]), {"pace": "no-such-plan"})
    assert response.status_code == 400
    group = pace_group(response.content.decode())
    assert re.search(r"<legend>\s*Pace\s*</legend>", group)


def test_it_makes_the_sample_flow_and_schedule_tables_focusable_scrollers_named_by_their_heading(client):
    roadmap = make_full_roadmap()
    page = Tags(client.get(roadmap.get_absolute_url()).content.decode())
    scrollers = [
        attrs for tag, attrs in page.tags
        if tag == "div" and "table-wrap" in attrs.get("class", "").split() and "aria-labelledby" in attrs
    ]
    headings = {attrs.get("aria-labelledby") for attrs in scrollers}
    assert "schedule" in headings and any(name.startswith("sample-week-") for name in headings), headings
    for attrs in scrollers:
        assert attrs.get("tabindex") == "0" and attrs.get("role") == "region", attrs
        name = page.text.get(attrs["aria-labelledby"], "").strip()
        assert name, f"{attrs['aria-labelledby']} names nothing"
    assert any("Sample flow: week" in page.text[name] for name in headings)


def test_it_offers_a_way_back_to_the_systems_theme_once_one_is_chosen(client):
    html = client.get("/").content.decode()
    assert 'value="system"' not in html  # following the system already

    client.post(reverse("set_theme"), {"theme": "dark", "next": "/"})
    html = client.get("/").content.decode()
    assert re.search(r'<button type="submit" name="theme" value="system">System theme</button>', html)

    client.post(reverse("set_theme"), {"theme": "system", "next": "/"})
    html = client.get("/").content.decode()
    assert 'data-theme=' not in html and 'value="system"' not in html


def test_it_shows_the_totp_secret_as_text_and_never_as_the_qr_codes_alt(client, learner):
    client.force_login(learner)
    # Turning on two-factor asks for the password first (tests/test_accounts_flows.py).
    client.post(reverse("account_reauthenticate"), {"password": "a-long-test-password"})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = response.context["form"].secret
    html = response.content.decode()
    page = Tags(html)

    assert page.text["authenticator_secret"].strip() == secret
    for tag, attrs in page.tags:
        if tag == "input":
            assert secret not in (attrs.get("value") or ""), "the secret sits in an input"
        if tag == "img":
            assert attrs.get("alt") and secret not in attrs["alt"], attrs.get("alt")
    assert any(tag == "img" and "QR code" in attrs.get("alt", "") for tag, attrs in page.tags)
