"""A learner's typed text survives an expired form (403 "Form expired") and
an ended session (the round trip through sign-in); secrets are never echoed,
and the form sent again is validated like any other."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from django.utils import translation

from config import form_rescue
from progress.schedule import local_today
from retrospectives.models import RetrospectiveAnswer
from roadmaps.models import RetrospectivePrompt
from tests.progress_helpers import make_enrolment

PASSWORD = "a-long-test-password"
LONG_ANSWER = "I spent the fortnight on the API.\r\nIt went well: " + "tests, docs and more. " * 300


class _Forms(HTMLParser):
    """The page's forms: action and the fields a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action"), "id": attrs.get("id"), "fields": []})
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1]["fields"].append((attrs["name"], attrs.get("value", "")))
        elif tag == "textarea" and self.forms:
            self._textarea = attrs.get("name")
            self.forms[-1]["fields"].append((self._textarea, ""))

    def handle_data(self, data):
        if self._textarea is not None:
            name, value = self.forms[-1]["fields"][-1]
            self.forms[-1]["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def _forms(response) -> list[dict]:
    parser = _Forms()
    parser.feed(response.content.decode())
    return parser.forms


def _form_to(response, action: str, form_id: str | None = None) -> dict:
    matches = [form for form in _forms(response) if form["action"] == action and form_id in (None, form["id"])]
    assert len(matches) == 1, [form["action"] for form in _forms(response)]
    return matches[0]


def _data(form: dict) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in form["fields"]:
        data.setdefault(name, []).append(value)
    return data


@pytest.fixture
def enrolment(learner, roadmap):
    RetrospectivePrompt.objects.create(roadmap=roadmap, position=0, text="What went well?")
    RetrospectivePrompt.objects.create(roadmap=roadmap, position=1, text="What will you change?")
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    return make_enrolment(learner, roadmap, start_date=local_today(learner.time_zone) - timedelta(weeks=3))


@pytest.fixture
def form_url(enrolment) -> str:
    return reverse("retrospectives:form", args=[enrolment.pk, 1])


def _strict_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


# --- "Form expired" ----------------------------------------------------------------


def test_it_gives_the_text_back_when_the_form_expired_and_sends_it_again(learner, form_url):
    client = _strict_client(learner)
    client.get(form_url)  # the CSRF cookie the page sets
    response = client.post(form_url, {"answer_0": LONG_ANSWER, "answer_1": "", "action": "submit",
                                      "csrfmiddlewaretoken": "x" * 64})  # a token that rotated since
    assert response.status_code == 403
    assert "no-store" in response["Cache-Control"]
    assert not RetrospectiveAnswer.objects.exists()
    form = _form_to(response, form_url)
    data = _data(form)
    assert [text.replace("\r\n", "\n") for text in data["answer_0"]] == [LONG_ANSWER.replace("\r\n", "\n")]
    assert data["action"] == ["submit"]
    assert data["csrfmiddlewaretoken"][0] != "x" * 64
    resent = client.post(form_url, data)
    assert resent.status_code == 302
    assert RetrospectiveAnswer.objects.get(position=0).text == LONG_ANSWER.replace("\r\n", "\n").strip()


def test_the_boxes_given_back_are_labelled_in_the_readers_language(learner, form_url):
    client = _strict_client(learner)
    client.get(form_url)
    response = client.post(form_url, {"answer_0": "Bien.", "answer_1": "Nada.", "note": "mi nota",
                                      "csrfmiddlewaretoken": "x" * 64}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 403
    page = response.content.decode()
    assert ">Respuesta 1</label>" in page and ">Respuesta 2</label>" in page and ">Nota</label>" in page
    assert "Answer 0" not in page
    with translation.override("en"):
        assert [form_rescue.field_label(name) for name in ("answer_1", "note", "due_date", "other_box")] == [
            "Answer 2", "Note", "Due date", "Other box"]


def test_it_gives_the_text_back_without_a_csrf_cookie(learner, form_url):
    client = _strict_client(learner)
    response = client.post(form_url, {"answer_0": "Typed with no cookie", "action": "draft"})
    assert response.status_code == 403
    assert _data(_form_to(response, form_url))["answer_0"] == ["Typed with no cookie"]


def test_it_never_echoes_secrets_on_the_expired_form_page(learner):
    client = _strict_client(learner)
    url = reverse("account_change_password")
    secrets = {"oldpassword": "old-secret-1", "password1": "new-secret-2", "token": "tok-secret-3",
               "code": "123987", "api_key": "key-secret-4", "client_secret": "sec-secret-5", "note": "Keep me"}
    response = client.post(url, secrets)
    assert response.status_code == 403
    body = response.content.decode()
    for name, value in secrets.items():
        if name != "note":
            assert value not in body, name
    assert "Keep me" in body


def test_it_gives_nothing_back_to_a_post_from_another_site(learner, form_url):
    client = _strict_client(learner)
    response = client.post(form_url, {"answer_0": "Words put in your mouth", "action": "submit"},
                           headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, secure=True)
    assert response.status_code == 403
    assert "Words put in your mouth" not in response.content.decode()
    assert all(form["action"] != form_url for form in _forms(response))


def test_it_validates_the_form_sent_again(learner, form_url):
    client = _strict_client(learner)
    client.get(form_url)
    too_long = "x" * 10_001
    response = client.post(form_url, {"answer_0": too_long, "action": "submit", "csrfmiddlewaretoken": "y" * 64})
    resent = client.post(form_url, _data(_form_to(response, form_url)))
    assert resent.status_code == 200 and too_long in resent.content.decode()  # shown back, with its error
    assert not RetrospectiveAnswer.objects.exists()


# --- Signed out before the POST ---------------------------------------------------


def _sign_in(client, learner, next_url):
    response = client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD, "next": next_url})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def test_it_keeps_the_text_through_sign_in_and_sends_it_when_asked(client, learner, form_url):
    response = client.post(form_url, {"answer_0": LONG_ANSWER, "answer_1": "Less scrolling", "action": "submit",
                                      "password": "never-kept"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not RetrospectiveAnswer.objects.exists()
    assert "never-kept" not in str(client.session.get(form_rescue.SESSION_KEY))
    after = _sign_in(client, learner, form_url)
    page = client.get(after["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "You were signed out before this was sent" in body
    data = _data(_form_to(page, form_url, "pending-post-form-1"))
    assert data["answer_1"] == ["Less scrolling"] and "password" not in data
    assert client.post(form_url, data).status_code == 302
    assert RetrospectiveAnswer.objects.get(position=1).text == "Less scrolling"
    assert "You were signed out before this was sent" not in client.get(form_url).content.decode()


def test_it_discards_the_kept_text_when_asked(client, learner, form_url):
    client.post(form_url, {"answer_0": "Not needed after all", "action": "draft"})
    _sign_in(client, learner, "/dashboard/")
    page = client.get("/dashboard/")
    assert "Not needed after all" in page.content.decode()
    discard = _form_to(page, reverse("pending_post_discard"))
    response = client.post(discard["action"], _data(discard))
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert "Not needed after all" not in client.get("/dashboard/").content.decode()
    assert not RetrospectiveAnswer.objects.exists()


def test_it_keeps_nothing_too_big_and_shows_nothing_to_visitors(client, learner, form_url):
    client.post(form_url, {f"f{i}": "x" for i in range(form_rescue.MAX_FIELDS + 1)})
    client.post(form_url, {"answer_0": "y" * (form_rescue.MAX_CHARS + 1)})
    assert not client.session.get(form_rescue.SESSION_KEY)
    client.post(form_url, {"answer_0": "Kept for later", "action": "draft"})
    assert "Kept for later" not in client.get("/").content.decode()  # not signed in: not shown


def test_it_forgets_the_kept_text_at_sign_out(client, learner, form_url):
    client.post(form_url, {"answer_0": "Someone else's words", "action": "draft"})
    _sign_in(client, learner, "/dashboard/")
    client.post(reverse("account_logout"))
    client.force_login(learner)
    assert "Someone else&#x27;s words" not in client.get("/dashboard/").content.decode()
