"""The sign-in and sign-up pages speak Waymark's sentence case, not allauth's Title Case."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
STOCK_WORDING = ["Sign In", "Sign Up", "Signup", "Remember Me", "then please", "Password Reset", "Reset My Password"]


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def text_of(html: str, tag: str) -> str:
    match = re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", html, re.DOTALL)
    assert match, tag
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def test_it_words_the_sign_in_page_in_sentence_case(client):
    html = page(client, reverse("account_login"))
    assert text_of(html, "title") == "Sign in · Waymark"
    assert text_of(html, "h1") == "Sign in"
    assert '<p class="lead">' in html
    assert re.search(rf'New to Waymark\? <a href="{reverse("account_signup")}">Create an account</a>\.', html)
    assert re.search(r'<label for="id_remember">Keep me signed in</label>', html)
    assert re.search(r'<button type="submit" class="button">\s*Sign in\s*</button>', html)
    for stock in STOCK_WORDING:
        assert stock not in html, stock


def test_it_keeps_the_password_reset_and_sign_in_code_links(client):
    html = page(client, reverse("account_login"))
    assert f'<a href="{reverse("account_reset_password")}">Forgot your password?</a>' in html
    assert re.search(rf'<a href="{reverse("account_request_login_code")}"[^>]*>\s*Email me a sign-in code\s*</a>', html)

    code_page = page(client, reverse("account_request_login_code"))
    assert text_of(code_page, "h1") == "Sign in with a code"
    assert re.search(r'<label for="id_email">Email</label>', code_page)


def test_it_words_the_sign_up_page_in_sentence_case(client):
    html = page(client, reverse("account_signup"))
    assert text_of(html, "title") == "Sign up · Waymark"
    assert text_of(html, "h1") == "Sign up"
    assert re.search(rf'Already have an account\? <a href="{reverse("account_login")}">Sign in</a>\.', html)
    for field, label in [("email", "Email"), ("password1", "Password"), ("password2", "Password (again)")]:
        assert re.search(rf'<label for="id_{field}">{re.escape(label)}</label>', html), field
    assert re.search(r'<button type="submit" class="button">\s*Create account\s*</button>', html)
    for stock in STOCK_WORDING:
        assert stock not in html, stock


def test_it_words_the_password_reset_pages_in_sentence_case(client):
    user = make_user("ada@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    html = page(client, reverse("account_reset_password"))
    assert text_of(html, "h1") == "Reset your password"
    assert re.search(r"<button[^>]*>\s*Email me a reset link\s*</button>", html)

    response = client.post(reverse("account_reset_password"), {"email": user.email}, follow=True)
    assert text_of(response.content.decode(), "h1") == "Check your email"
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[-1].body).group(1)
    html = client.get(link, follow=True).content.decode()
    assert text_of(html, "h1") == "Choose a new password"
    assert '<label for="id_password1">New password</label>' in html
    assert 'placeholder="New password (again)"' in html
    assert "New Password" not in html


def test_it_still_signs_in_through_the_form(client):
    user = make_user("grace@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": "grace@example.com", "password": PASSWORD, "remember": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").wsgi_request.user == user
    assert not client.session.get_expire_at_browser_close()  # "Keep me signed in" still keeps the session
