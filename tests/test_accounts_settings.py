"""Account settings, download my data, delete my account."""

from __future__ import annotations

import datetime
import json
import re
import zoneinfo
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import models
from django.urls import reverse

from accounts.userdata import export_user_data
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
VALID = {
    "display_name": "Lea L.",
    "time_zone": "Europe/Paris",
    "weekly_hours_goal": "12",
    "email_notifications": "on",
    "handle": "lea-learns",
}


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _profile(user) -> tuple:
    user.refresh_from_db()
    return (user.display_name, user.time_zone, user.weekly_hours_goal, user.email_notifications, user.handle)


# --- Guards -------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, name",
    [
        ("get", "accounts:settings"),
        ("post", "accounts:settings"),
        ("get", "accounts:data_export"),
        ("post", "accounts:data_export_download"),
        ("get", "accounts:delete"),
        ("post", "accounts:delete"),
    ],
)
def test_it_sends_visitors_to_sign_in(client, method, name):
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


@pytest.mark.parametrize(
    "method, name",
    [
        ("put", "accounts:settings"),
        ("post", "accounts:data_export"),
        ("get", "accounts:data_export_download"),
        ("put", "accounts:delete"),
    ],
)
def test_it_refuses_the_wrong_method(learner_client, method, name):
    assert getattr(learner_client, method)(reverse(name)).status_code == 405


# --- Settings -----------------------------------------------------------------


def test_it_shows_the_settings_form(learner_client, django_assert_num_queries):
    with django_assert_num_queries(2):  # session, user
        response = learner_client.get(reverse("accounts:settings"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="Europe/Paris">Europe/Paris</option>' in html
    assert 'max="80"' in html and 'min="1"' in html and 'maxlength="80"' in html


def test_it_offers_every_zone_with_the_learners_own_selected(learner_client, learner):
    # The select writes its own options (accounts.forms.TimeZoneSelect).
    learner.time_zone = "America/Argentina/Buenos_Aires"
    learner.save(update_fields=["time_zone"])
    html = learner_client.get(reverse("accounts:settings")).content.decode()
    select = re.search(r'<select name="time_zone"[^>]*>(.*?)</select>', html, re.S).group(1)
    values = re.findall(r'<option value="([^"]*)"', select)
    assert sorted(values) == sorted(zoneinfo.available_timezones())
    assert re.findall(r'<option value="([^"]*)" selected>', select) == ["America/Argentina/Buenos_Aires"]
    assert '<option value="America/Argentina/Buenos_Aires" selected>America/Argentina/Buenos Aires</option>' in select


def test_it_saves_the_settings(learner_client, learner, django_assert_num_queries):
    # session, user, our "handle taken?" check (for a clear message), the
    # model's own constraint checks (handle; hours and digest-day ranges, each
    # in a savepoint), update
    with django_assert_num_queries(11):
        response = learner_client.post(reverse("accounts:settings"), {**VALID, "handle": "Lea-Learns"})
    assert response.status_code == 302
    assert _profile(learner) == ("Lea L.", "Europe/Paris", 12, True, "lea-learns")


def test_it_turns_email_notifications_off_and_clears_the_handle(learner_client, learner):
    learner.handle = "lea"
    learner.save()
    data = {**VALID, "handle": ""}
    del data["email_notifications"]
    learner_client.post(reverse("accounts:settings"), data)
    assert _profile(learner)[3:] == (False, None)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("display_name", "x" * 81, "at most 80 characters"),
        ("time_zone", "Mars/Olympus_Mons", "is not a time zone we know"),
        ("time_zone", "", "This field is required"),
        ("weekly_hours_goal", "0", "greater than or equal to 1"),
        ("weekly_hours_goal", "81", "less than or equal to 80"),
        ("weekly_hours_goal", "ten", "Enter a whole number"),
        ("handle", "ab", "at least 3 characters"),
        ("handle", "lea_learns", "lower-case letters, digits and single hyphens"),
        ("handle", "-lea", "lower-case letters, digits and single hyphens"),
        ("handle", "x" * 41, "at most 40 characters"),
        ("handle", "admin", "is reserved"),
        ("handle", "Dashboard", "is reserved"),
        ("handle", "u", "at least 3 characters"),
        ("handle", "roadmaps", "is reserved"),
    ],
)
def test_it_refuses_bad_input_next_to_the_field(learner_client, learner, field, value, message):
    before = _profile(learner)
    response = learner_client.post(reverse("accounts:settings"), {**VALID, field: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    # The error sits right after its own input, inside the field's box.
    html = response.content.decode()
    box = rf'<div class="field field--error">\s*<label for="id_{field}">'
    field_box = re.search(rf'{box}.*?</div>\s*</div>|{box}.*?<p class="field-error"[^>]*>',
                          html, re.S)
    assert field_box and "field-error" in field_box.group(0)
    assert _profile(learner) == before


@pytest.mark.parametrize("taken", ["lea-learns", "LEA-learns"])
def test_it_refuses_a_handle_someone_else_has(learner_client, learner, other_learner, taken):
    other_learner.handle = "lea-learns"
    other_learner.save()
    response = learner_client.post(reverse("accounts:settings"), {**VALID, "handle": taken})
    assert response.status_code == 200
    assert response.context["form"].errors["handle"] == ["That handle is taken; choose another."]
    assert _profile(learner)[4] is None


def test_it_keeps_the_learners_own_handle(learner_client, learner):
    learner.handle = "lea-learns"
    learner.save()
    response = learner_client.post(reverse("accounts:settings"), VALID)
    assert response.status_code == 302


# --- Download my data ---------------------------------------------------------


def test_it_explains_the_download(learner_client, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = learner_client.get(reverse("accounts:data_export"))
    assert response.status_code == 200
    assert reverse("accounts:data_export_download") in response.content.decode()


def test_it_downloads_the_learners_data_as_json(learner_client, learner, other_learner):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    EmailAddress.objects.create(user=other_learner, email=other_learner.email, verified=True, primary=True)
    response = learner_client.post(reverse("accounts:data_export_download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert re.fullmatch(r'attachment; filename="waymark-data-\d{4}-\d{2}-\d{2}\.json"', response["Content-Disposition"])
    data = json.loads(response.content)
    assert set(export_user_data(learner)) <= set(data)
    account = data["account"]
    assert account["email"] == "learner@example.com"
    assert account["display_name"] == "Lea Learner"
    assert account["email_addresses"] == [{"email": "learner@example.com", "verified": True, "primary": True}]
    body = response.content.decode()
    assert "password" not in json.dumps(account).replace("has_password", "")
    assert learner.password not in body and learner.password.split("$")[-1] not in body
    assert "other@example.com" not in body


# --- Delete my account --------------------------------------------------------


def _user_foreign_keys():
    """Every (model, field) with a foreign key or one-to-one to the user,
    found through the app registry so later models are covered too."""
    user_model = get_user_model()
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is user_model:
                yield model, field


def _rows(user) -> dict[str, int]:
    return {
        f"{model._meta.label}.{field.name}": model._default_manager.filter(**{field.name: user}).count()
        for model, field in _user_foreign_keys()
    }


def _give_rows(user, roadmap) -> None:
    """Something in every kind of row a learner can own today."""
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    SocialAccount.objects.create(user=user, provider="github", uid=f"gh-{user.pk}")
    if apps.is_installed("progress"):
        Enrolment = apps.get_model("progress", "Enrolment")
        enrolment = Enrolment.objects.create(
            user=user, roadmap=roadmap, hours_per_week=Decimal(10), start_date=datetime.date(2026, 1, 5)
        )
        StudyEntry = apps.get_model("progress", "StudyEntry")
        StudyEntry.objects.create(user=user, enrolment=enrolment, date=datetime.date(2026, 1, 6), minutes=45)


def test_it_confirms_before_deleting(learner_client, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = learner_client.get(reverse("accounts:delete"))
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_it_deletes_everything_the_learner_owns_and_nothing_else(
    learner_client, learner, other_learner, editor, roadmap
):
    _give_rows(learner, roadmap)
    _give_rows(other_learner, roadmap)
    roadmap.created_by = learner  # an author's roadmap outlives the account
    roadmap.save()
    learner.is_staff = True
    learner.save()

    before = _rows(learner)
    others_before = _rows(other_learner)
    assert sum(before.values()) >= 4  # the test really has rows to lose
    user_id = learner.pk

    response = learner_client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")

    assert not get_user_model().objects.filter(pk=user_id).exists()
    after = {
        f"{model._meta.label}.{field.name}": model._default_manager.filter(**{field.attname: user_id}).count()
        for model, field in _user_foreign_keys()
    }
    assert after == dict.fromkeys(before, 0)
    assert _rows(other_learner) == others_before
    roadmap.refresh_from_db()
    assert roadmap.created_by is None
    assert not learner_client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_it_keeps_the_account_on_a_wrong_password(learner_client, learner):
    response = learner_client.post(reverse("accounts:delete"), {"password": "not-my-password"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"] == ["That is not your current password."]
    assert get_user_model().objects.filter(pk=learner.pk).exists()


def test_it_confirms_with_an_emailed_code_when_there_is_no_password(client):
    user = make_user("github-only@example.com")
    user.set_unusable_password()
    user.save()
    client.force_login(user)

    response = client.post(reverse("accounts:delete"), {"code": "123456"})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors

    client.post(reverse("accounts:delete"), {"send_code": "1"})
    message = mail.outbox[-1]
    assert message.to == ["github-only@example.com"]
    assert message.subject == "[Waymark] Your code to delete your account"
    code = re.search(r"^\s{4}(\d{6})$", message.body, re.M).group(1)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert client.post(reverse("accounts:delete"), {"code": wrong}).status_code == 200
    assert get_user_model().objects.filter(pk=user.pk).exists()

    response = client.post(reverse("accounts:delete"), {"code": code})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()
