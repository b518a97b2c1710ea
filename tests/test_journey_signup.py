"""Sign-up keeps the journey: a visitor on a roadmap page creates an account,
verifies the email and lands back on that roadmap, signed in and ready to
enrol — with the time zone asked at sign-up."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def sign_up(client, next_url: str | None = None, **fields):
    data = {"email": "ada@example.com", "password1": PASSWORD, "password2": PASSWORD, "time_zone": "Europe/Paris"}
    data.update(fields)
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("account_signup"), data)


def confirmation_link(message) -> str:
    match = re.search(r"https?://testserver(/accounts/confirm-email/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def signed_in_user(client):
    return client.get(reverse("accounts:settings")).wsgi_request.user


def latest_mail():
    """The last email sent: this test's own, even if an email another test
    queued was delivered into the outbox first."""
    assert mail.outbox, "no email was sent"
    return mail.outbox[-1]


def confirm(client, link: str):
    """Open the link from the email, then press Confirm on the page it shows
    (it posts the page's own form, hidden `next` included)."""
    page = client.get(link)
    assert page.status_code == 200
    # The form's own action: allauth signs the key with a timestamp, so the
    # page may carry a newer key than the email's once the clock ticks.
    form = re.search(r'<form[^>]*action="(/accounts/confirm-email/[^"?]+)[^"]*".*?</form>', page.content.decode(),
                     re.DOTALL)
    assert form, page.content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="(next)" value="([^"]*)">', form.group(0)))
    return client.post(unescape(form.group(1)), {k: unescape(v) for k, v in hidden.items()})


# --- The roadmap page -----------------------------------------------------------------


def test_it_offers_a_visitor_both_create_an_account_and_sign_in_with_next(client, roadmap):
    response = client.get(roadmap.get_absolute_url())
    html = response.content.decode()
    next_query = "?next=" + quote(roadmap.get_absolute_url())
    signup, login = (re.escape(reverse(name) + next_query) for name in ("account_signup", "account_login"))
    assert re.search(rf'<a [^>]*href="{signup}"[^>]*>Create an account</a>', html)
    assert re.search(rf'<a [^>]*href="{login}"[^>]*>Sign in</a>', html)


def test_it_keeps_next_on_the_links_between_sign_up_and_sign_in(client, roadmap):
    target = roadmap.get_absolute_url()
    signup = client.get(reverse("account_signup"), {"next": target}).content.decode()
    assert f'href="{reverse("account_login")}?next={quote(target, safe="")}"' in signup
    assert f'<input type="hidden" name="next" value="{target}">' in signup
    login = client.get(reverse("account_login"), {"next": target}).content.decode()
    assert f'href="{reverse("account_signup")}?next={quote(target, safe="")}"' in login


# --- Sign-up, the email, and the link ---------------------------------------------------


def test_it_signs_in_on_confirmation_and_lands_on_the_roadmap(client, roadmap):
    target = roadmap.get_absolute_url()
    response = sign_up(client, target)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not signed_in_user(client).is_authenticated
    assert len(mail.outbox) == 1

    response = confirm(client, confirmation_link(latest_mail()))
    assert response.status_code == 302 and response["Location"] == target
    user = get_user_model().objects.get(email="ada@example.com")
    assert EmailAddress.objects.get(user=user).verified
    assert signed_in_user(client) == user
    # ... ready to enrol.
    page = client.get(target).content.decode()
    assert f'action="{reverse("progress:enrol", args=[roadmap.slug])}"' in page


def test_it_signs_in_on_confirmation_without_next_and_lands_on_the_dashboard(client):
    sign_up(client)
    response = confirm(client, confirmation_link(latest_mail()))
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert signed_in_user(client).email == "ada@example.com"


def test_it_sends_a_link_that_keeps_next_in_another_browser(client, roadmap):
    """Without the sign-up's session allauth will not sign in on confirmation
    (by design: the link alone must not be a key to the account), so the link
    leads to sign-in, and sign-in on to the roadmap."""
    target = roadmap.get_absolute_url()
    sign_up(client, target)
    link = confirmation_link(latest_mail())
    assert parse_qs(urlsplit(link).query)["next"] == [f"{reverse('account_login')}?next={quote(target, safe='')}"]

    elsewhere = Client()
    response = confirm(elsewhere, link)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={quote(target, safe='')}"
    assert not signed_in_user(elsewhere).is_authenticated
    assert EmailAddress.objects.get(email="ada@example.com").verified

    login_page = elsewhere.get(response["Location"]).content.decode()
    assert f'<input type="hidden" name="next" value="{target}">' in login_page
    credentials = {"login": "ada@example.com", "password": PASSWORD}
    response = elsewhere.post(reverse("account_login"), {**credentials, "next": target})
    assert response.status_code == 302 and response["Location"] == target
    assert signed_in_user(elsewhere).email == "ada@example.com"


def test_it_keeps_next_through_sign_in_by_code_in_another_browser(client, roadmap):
    target = roadmap.get_absolute_url()
    sign_up(client, target)  # and never opens the link
    elsewhere = Client()
    login_page = elsewhere.get(reverse("account_login"), {"next": target}).content.decode()
    code_url = f'{reverse("account_request_login_code")}?next={quote(target, safe="")}'
    assert f'href="{code_url}"' in login_page

    response = elsewhere.post(code_url, {"email": "ada@example.com", "next": target})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_confirm_login_code')}?next={quote(target, safe='')}"
    code = re.search(r"^\s{4}(\S+)\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)
    response = elsewhere.post(reverse("account_confirm_login_code"), {"code": code, "next": target})
    assert response.status_code == 302 and response["Location"] == target
    assert signed_in_user(elsewhere).email == "ada@example.com"
    assert EmailAddress.objects.get(email="ada@example.com").verified  # the code proved the address


FOREIGN = ["https://evil.example/", "//evil.example/x", "foo", "javascript:alert(1)", "/\\evil.example"]


@pytest.mark.parametrize("value", FOREIGN)
def test_it_ignores_a_foreign_next(client, value):
    response = sign_up(client, value)
    assert response.status_code == 302
    link = confirmation_link(latest_mail())
    assert "evil" not in link and "next" not in link and "javascript" not in link
    response = confirm(client, link)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert signed_in_user(client).email == "ada@example.com"


def test_it_refuses_a_foreign_next_added_to_the_link_by_hand(client):
    sign_up(client)
    link = confirmation_link(latest_mail())
    response = Client().post(link, {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("account_login")


@pytest.mark.parametrize("value", ["foo", "https://other.testserver.example/", "//evil.example"])
def test_it_signs_in_with_a_foreign_next_and_goes_to_the_dashboard(client, value):
    user = make_user("lin@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD, "next": value})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


# --- The time zone ----------------------------------------------------------------------


def test_it_saves_the_time_zone_from_the_form(client):
    sign_up(client, time_zone="America/New_York")
    assert get_user_model().objects.get(email="ada@example.com").time_zone == "America/New_York"


def test_it_uses_utc_when_no_time_zone_is_sent(client):
    data = {"email": "ada@example.com", "password1": PASSWORD, "password2": PASSWORD}
    assert client.post(reverse("account_signup"), data).status_code == 302
    assert get_user_model().objects.get(email="ada@example.com").time_zone == "UTC"


@pytest.mark.parametrize("value", ["Mars/Olympus_Mons", "", "europe/paris", "Europe/Paris/../Tokyo"])
def test_it_refuses_a_bad_time_zone_next_to_the_field(client, value):
    response = sign_up(client, time_zone=value)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["time_zone"]
    html = response.content.decode()
    error = re.search(
        r'<select name="time_zone"[^>]*>.*?</select>\s*'
        r'(<div class="help".*?</div>\s*)?<p class="field-error"[^>]*>([^<]+)</p>',
        html,
        re.DOTALL,
    )
    assert error, html
    assert "time zone" in error.group(2).lower()
    assert not get_user_model().objects.exists()
    assert mail.outbox == []


def test_it_asks_for_the_time_zone_with_utc_selected_and_labelled(client):
    html = client.get(reverse("account_signup")).content.decode()
    select = re.search(r'<select name="time_zone"[^>]*>', html).group(0)
    assert 'id="id_time_zone"' in select and "data-browser-time-zone" in select
    assert '<label for="id_time_zone">Time zone</label>' in html
    options = re.search(r'<select name="time_zone".*?</select>', html, re.S).group(0)  # not the footer's language
    selected = re.findall(r'<option value="([^"]+)"[^>]*selected>([^<]+)</option>', options)
    assert selected == [("UTC", "UTC (Coordinated Universal Time)")]
    assert re.search(r'<script src="/static/js/timezone[^"]*\.js" defer></script>', html)


def test_it_does_not_let_the_browser_override_a_zone_chosen_on_a_refused_form(client):
    response = sign_up(client, time_zone="Asia/Tokyo", password2="not-the-same-password")
    html = response.content.decode()
    assert re.search(r'<option value="Asia/Tokyo" selected>', html)
    assert "data-browser-time-zone" not in re.search(r'<select name="time_zone"[^>]*>', html).group(0)


def test_it_offers_the_browser_zone_on_settings_only_while_the_zone_is_the_default(client):
    user = make_user("lin@example.com", password=PASSWORD)
    client.force_login(user)
    html = client.get(reverse("accounts:settings")).content.decode()
    assert "data-browser-time-zone" in re.search(r'<select name="time_zone"[^>]*>', html).group(0)
    assert re.search(r'<script src="/static/js/timezone[^"]*\.js" defer></script>', html)

    user.time_zone = "Asia/Tokyo"
    user.save(update_fields=["time_zone"])
    html = client.get(reverse("accounts:settings")).content.decode()
    assert "data-browser-time-zone" not in re.search(r'<select name="time_zone"[^>]*>', html).group(0)
