"""The theme toggle (config/ui.py): a cookie, no JavaScript; and /favicon.ico."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_follows_the_system_when_no_theme_is_chosen(client):
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert 'name="theme" value="dark"' in body and 'name="theme" value="light"' in body


def test_it_remembers_the_chosen_theme_in_a_cookie_and_goes_back(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.post("/theme/", {"theme": "dark", "next": "/roadmaps/?level=beginner"})
    assert response.status_code == 302
    assert response["Location"] == "/roadmaps/?level=beginner"
    cookie = response.cookies["theme"]
    assert cookie.value == "dark"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax" and cookie["httponly"]
    assert '<html lang="en" data-theme="dark">' in client.get("/").content.decode()

    client.post("/theme/", {"theme": "light", "next": "/"})
    assert '<html lang="en" data-theme="light">' in client.get("/").content.decode()


def test_it_forgets_the_choice_with_system(client):
    client.post("/theme/", {"theme": "dark", "next": "/"})
    response = client.post("/theme/", {"theme": "system", "next": "/"})
    assert response.cookies["theme"].value == ""
    assert '<html lang="en">' in client.get("/").content.decode()


def test_it_never_redirects_to_another_host(client):
    response = client.post("/theme/", {"theme": "dark", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    response = client.post("/theme/", {"theme": "dark"}, HTTP_REFERER="http://testserver/roadmaps/")
    assert response["Location"] == "http://testserver/roadmaps/"


def test_it_refuses_unknown_themes_and_ignores_bad_cookies(client):
    response = client.post("/theme/", {"theme": "purple", "next": "/"})
    assert response.status_code == 400 and "theme" not in response.cookies
    client.cookies["theme"] = '"><script>'
    assert '<html lang="en">' in client.get("/").content.decode()


def test_it_needs_post_and_csrf(client):
    assert client.get("/theme/").status_code == 405
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/theme/", {"theme": "dark"}).status_code == 403


def test_it_serves_the_favicon_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    assert "max-age=86400" in response["Cache-Control"]
