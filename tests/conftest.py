"""Shared users and helpers: an owner (learner), another learner, an editor."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import make_roadmap, make_user


@pytest.fixture
def learner(db):
    return make_user("learner@example.com", display_name="Lea Learner")


@pytest.fixture
def other_learner(db):
    return make_user("other@example.com", display_name="Otto Other")


@pytest.fixture
def editor(db):
    user = make_user("editor@example.com", display_name="Eda Editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def roadmap(db):
    return make_roadmap(tags=["Python", "SQL"])


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth keeps rate limits and used TOTP codes in the cache; every test
    starts with an empty one so limits never leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
