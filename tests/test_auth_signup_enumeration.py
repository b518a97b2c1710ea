"""Sign-up does the same work for an address that has an account as for a new
one, so its timing does not tell which emails are registered.

A new account costs a password hash (deliberately slow: ~200 ms with the
production hasher); allauth's answer for a known address skipped it, 11 ms
against 233 ms. No timing is measured here: the test counts the hashes.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from accounts.models import User
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-long-password-1"
HASHED: list[str] = []


class CountingHasher(MD5PasswordHasher):
    """The test suite's fast hasher, noting each password it hashes."""

    algorithm = "counting_md5"

    def encode(self, password: str, salt: str) -> str:
        HASHED.append(password)
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def _counting_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    HASHED.clear()
    yield
    HASHED.clear()


@pytest.fixture
def known(db):
    user = make_user("known@example.com", password="an-old-long-password")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    HASHED.clear()  # the fixture's own hash is not the sign-up's
    return user


def _sign_up(client, email: str):
    data = {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post(reverse("account_signup"), data)


def test_it_hashes_the_password_for_an_address_that_has_an_account(client, known):
    response = _sign_up(client, known.email)
    assert response.status_code == 302
    assert HASHED == [NEW_PASSWORD]
    # ... and changes nothing: no second account, the old password stands.
    assert User.objects.filter(email__iexact=known.email).count() == 1
    known.refresh_from_db()
    assert known.check_password("an-old-long-password")


def test_it_does_the_same_hashing_and_answers_the_same_for_both_paths(client, known):
    known_response = _sign_up(client, known.email)
    known_hashes = list(HASHED)
    HASHED.clear()
    client.cookies.clear()
    new_response = _sign_up(client, "new@example.com")

    assert HASHED == known_hashes == [NEW_PASSWORD]
    assert (known_response.status_code, known_response["Location"]) == (
        new_response.status_code,
        new_response["Location"],
    )
    assert User.objects.filter(email="new@example.com").exists()


def test_it_does_not_hash_when_the_form_is_refused(client, known):
    response = client.post(
        reverse("account_signup"),
        {"email": known.email, "password1": NEW_PASSWORD, "password2": "another-password-2"},
    )
    assert response.status_code == 200
    assert "You must type the same password each time." in response.content.decode()
    assert HASHED == []
