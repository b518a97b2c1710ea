"""Every form error is tied to its field, and a failed form starts with a summary.

Each form view is sent empty or bad data; the page that comes back must have:
every field error with an id that its field's aria-describedby names, no
aria-describedby naming an id that is not there, every aria-invalid control
described by its error, and a focusable summary (`data-error-summary`,
tabindex -1, the script that focuses it) whose links lead to the fields.
"""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from progress.schedule import local_today
from roadmaps.models import RetrospectivePrompt
from tests.groups_helpers import make_group
from tests.progress_helpers import make_enrolment, roadmap_items

CONTROLS = {"input", "select", "textarea", "fieldset"}


class Page(HTMLParser):
    """The ids, the aria-describedby references and the error elements of a page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: dict[str, dict] = {}  # id → {"tag", "attrs", "text"}
        self.described: list[dict] = []  # elements with aria-describedby
        self.errors: list[dict] = []  # .field-error elements
        self.summaries: list[dict] = []
        self.scripts: list[str] = []
        self._open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        element = {"tag": tag, "attrs": attrs, "text": "", "links": []}
        if "id" in attrs:
            self.elements[attrs["id"]] = element
        if "aria-describedby" in attrs:
            self.described.append(element)
        if "field-error" in (attrs.get("class") or "").split():
            self.errors.append(element)
        if "data-error-summary" in attrs:
            self.summaries.append(element)
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        if tag == "a":
            for parent in self._open:
                parent["links"].append(attrs.get("href", ""))
        if tag not in {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}:
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index]["tag"] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data


def assert_errors_tied_to_fields(html: str) -> Page:
    page = Page(html)
    assert page.errors, "the page shows no field error: the bad data did not fail"
    for element in page.described:
        for ref in element["attrs"]["aria-describedby"].split():
            assert ref in page.elements, f"aria-describedby names #{ref}, which is not on the page"
    for error in page.errors:
        error_id = error["attrs"].get("id")
        assert error_id, f"a field error has no id: {error['text'].strip()!r}"
        assert error["text"].strip(), f"#{error_id} holds no text"
        fields = [
            element for element in page.described
            if element["tag"] in CONTROLS and error_id in element["attrs"]["aria-describedby"].split()
        ]
        assert fields, f"no field's aria-describedby names #{error_id} ({error['text'].strip()!r})"
    for element in page.described:
        if element["attrs"].get("aria-invalid") == "true":
            refs = element["attrs"]["aria-describedby"].split()
            assert any(
                "field-error" in (page.elements[ref]["attrs"].get("class") or "") for ref in refs
            ), f"{element['attrs'].get('name')} is aria-invalid but not described by its error"
    return page


def assert_summary_leads_to_fields(page: Page) -> None:
    assert len(page.summaries) >= 1, "no error summary"
    summary = page.summaries[0]
    assert summary["attrs"].get("tabindex") == "-1"
    assert any(src.endswith(".js") and "error-summary" in src for src in page.scripts)
    field_links = [href for href in summary["links"] if href.startswith("#")]
    assert field_links, "the summary links to no field"
    for href in field_links:
        target = page.elements.get(href[1:])
        assert target is not None, f"the summary links to {href}, which is not on the page"
    for error in page.errors:
        # Every field with an error is reachable from the summary.
        field_ids = [
            element["attrs"]["id"] for element in page.described
            if element["attrs"].get("id") and error["attrs"]["id"] in element["attrs"]["aria-describedby"].split()
        ]
        assert any(f"#{field_id}" in field_links for field_id in field_ids) or any(
            href[1:] == field_id.rsplit("_", 1)[0] for href in field_links for field_id in field_ids
        ) or any(
            page.elements[href[1:]]["tag"] in {"div", "fieldset"} for href in field_links
        ), f"the summary has no link to the field of #{error['attrs']['id']}"


@pytest.fixture
def enrolment(learner, roadmap):
    return make_enrolment(learner, roadmap, start_date=local_today(learner.time_zone) - timedelta(weeks=3))


def learner_forms(enrolment) -> list[tuple[str, dict]]:
    item = roadmap_items(enrolment.roadmap)[0]
    return [
        (reverse("progress:log_add"), {"date": "not a date", "minutes": "-5"}),
        (reverse("progress:change_pace", args=[enrolment.pk]), {"pace": "own", "hours_per_week": "500"}),
        (reverse("progress:change_start", args=[enrolment.pk]), {"start_date": "yesterday-ish"}),
        (reverse("progress:milestone_add", args=[enrolment.pk]), {"title": ""}),
        (reverse("progress:item_details", args=[enrolment.pk, item.pk]),
         {"evidence_url": "not a url", "confidence": "9"}),
        (reverse("progress:metrics", args=[enrolment.pk]), {"metric": "", "amount": "lots"}),
        (reverse("accounts:settings"), {"display_name": "", "time_zone": "Nowhere/Land", "weekly_hours_goal": "x"}),
        (reverse("groups:create"), {"name": ""}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(8))
def test_it_ties_each_error_to_its_field_on_the_learners_forms(learner_client, enrolment, index):
    url, data = learner_forms(enrolment)[index]

    response = learner_client.post(url, data)

    assert response.status_code in (200, 400), (url, response.status_code)
    page = assert_errors_tied_to_fields(response.content.decode())
    assert_summary_leads_to_fields(page)


@pytest.mark.django_db
def test_it_ties_the_errors_of_the_enrol_form_and_its_pace_group(learner_client, roadmap):
    response = learner_client.post(
        reverse("progress:enrol", args=[roadmap.slug]), {"pace": "nope", "hours_per_week": "x", "start_date": "x"}
    )

    page = assert_errors_tied_to_fields(response.content.decode())
    assert_summary_leads_to_fields(page)
    pace = page.elements["id_pace_error"]
    assert pace["text"].strip()
    groups = [e for e in page.described if e["tag"] == "fieldset"]
    assert groups and "id_pace_error" in groups[0]["attrs"]["aria-describedby"].split()


@pytest.mark.django_db
def test_it_ties_a_retrospective_answers_error_to_its_textarea(learner_client, enrolment):
    RetrospectivePrompt.objects.create(roadmap=enrolment.roadmap, position=0, text="What went well?")
    url = reverse("retrospectives:form", args=[enrolment.pk, 1])

    response = learner_client.post(url, {"answer_0": "x" * 10_001, "action": "submit"})

    page = assert_errors_tied_to_fields(response.content.decode())
    assert_summary_leads_to_fields(page)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, data",
    [
        ("account_login", {"login": "not-an-email", "password": ""}),
        ("account_signup", {"email": "not-an-email", "password1": "a", "password2": "b"}),
        ("account_reset_password", {"email": "not-an-email"}),
    ],
)
def test_it_ties_each_error_to_its_field_on_the_allauth_pages(client, name, data):
    response = client.post(reverse(name), data)

    assert response.status_code in (200, 400)
    page = assert_errors_tied_to_fields(response.content.decode())
    assert_summary_leads_to_fields(page)


@pytest.mark.django_db
def test_it_ties_a_group_join_tokens_error_to_its_field(learner_client, learner):
    make_group(learner)

    response = learner_client.get(reverse("groups:join"), {"token": "x" * 301})

    assert_errors_tied_to_fields(response.content.decode())


@pytest.mark.django_db
def test_it_leaves_no_summary_on_a_form_that_has_not_failed(learner_client):
    response = learner_client.get(reverse("progress:log_add"))

    page = Page(response.content.decode())
    assert not page.summaries and not page.errors
    assert not any("error-summary" in src for src in page.scripts)
