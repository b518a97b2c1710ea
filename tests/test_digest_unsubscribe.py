"""Turning the weekly digest off: one click from the email (no sign-in; a
signed token; RFC 8058's one-click POST), and on and off in settings."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from notifications import unsubscribe
from tests.factories import make_user

URL = reverse("notifications:unsubscribe")


def link_for(user) -> str:
    return f"{URL}?token={unsubscribe.token_for(user)}"


def digest_on(user) -> bool:
    user.refresh_from_db()
    return user.weekly_digest


def test_the_link_asks_before_turning_it_off(client, learner):
    response = client.get(link_for(learner))
    assert response.status_code == 200
    assert "Stop the weekly summary" in response.content.decode()
    assert digest_on(learner)  # a GET (a mail scanner following links) changes nothing


def test_the_confirm_button_turns_it_off_without_signing_in(client, learner):
    page = client.get(link_for(learner)).content.decode()
    assert f'action="{URL}?token=' in page
    response = client.post(link_for(learner))
    assert response.status_code == 200 and "Weekly summary stopped" in response.content.decode()
    assert not digest_on(learner)
    assert "already off" in client.get(link_for(learner)).content.decode()


def test_a_mail_clients_one_click_post_works_without_a_csrf_token(learner):
    client = Client(enforce_csrf_checks=True)
    response = client.post(link_for(learner), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not digest_on(learner)


def test_it_turns_off_only_the_learner_the_link_was_made_for(client, learner, other_learner):
    client.post(link_for(learner))
    assert not digest_on(learner) and digest_on(other_learner)


@pytest.mark.parametrize("mangle", [
    lambda token: token[:-1],  # cut short
    lambda token: str(int(token.split(":")[0]) + 1) + token[token.index(":"):],  # another id, this signature
    lambda token: "garbage",
])
def test_a_bad_token_changes_nothing_and_says_so(client, learner, other_learner, mangle):
    token = mangle(unsubscribe.token_for(learner))
    for method in (client.get, client.post):
        response = method(f"{URL}?token={token}")
        assert response.status_code == 400 and "This link is not valid" in response.content.decode()
    assert digest_on(learner) and digest_on(other_learner)


def test_without_a_token_it_explains_where_the_link_is(client, learner):
    response = client.get(URL)
    assert response.status_code == 200 and "Use the link at the end" in response.content.decode()
    assert client.post(URL).status_code == 400


def test_it_refuses_other_methods(client, learner):
    assert client.put(link_for(learner)).status_code == 405
    assert digest_on(learner)


def test_the_token_is_not_logged(client, learner, caplog):
    with caplog.at_level(logging.INFO, logger="waymark.request"):
        client.post(link_for(learner))
    assert "/notifications/unsubscribe/" in caplog.text
    assert unsubscribe.token_for(learner).split(":")[1] not in caplog.text


def test_settings_turn_it_back_on_and_choose_the_day(learner_client, learner):
    learner.weekly_digest = False
    learner.save()
    page = learner_client.get(reverse("accounts:settings")).content.decode()
    assert 'name="weekly_digest"' in page and 'name="digest_weekday"' in page
    data = {"display_name": "Lea", "time_zone": "Europe/Paris", "weekly_hours_goal": 10,
            "weekly_digest": "on", "digest_weekday": "4"}
    assert learner_client.post(reverse("accounts:settings"), data).status_code == 302
    learner.refresh_from_db()
    assert (learner.weekly_digest, learner.digest_weekday) == (True, 4)


def test_settings_refuse_a_day_that_does_not_exist(learner_client, learner):
    data = {"display_name": "Lea", "time_zone": "Europe/Paris", "weekly_hours_goal": 10,
            "weekly_digest": "on", "digest_weekday": "7"}
    response = learner_client.post(reverse("accounts:settings"), data)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    learner.refresh_from_db()
    assert learner.digest_weekday == 0


def test_the_database_refuses_a_day_that_does_not_exist(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        make_user("x@example.com", digest_weekday=7)
