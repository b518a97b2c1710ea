"""Shared users and helpers: an owner (learner), another learner, an editor."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.utils import translation

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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; the production hasher is deliberately slow
    and would make up most of the suite's run time without testing more."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
def _interface_in_english():
    """The active language belongs to the thread, not the request: a Spanish
    request (or a test's `translation.activate("es")`) would otherwise leave
    every later test in the same thread in Spanish."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth keeps rate limits and used TOTP codes in the cache; every test
    starts with an empty one so limits never leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Transactional tests (live server, concurrency) empty the database when
    they finish, wiping what data migrations created (the Editors group, the
    default retrospective prompts). So they run last, after every test that
    relies on that data (other plugins' reordering, e.g. by browser, can put
    them in the middle otherwise), and each restores the data it starts with
    by a serialized rollback."""
    def is_transactional(item) -> bool:
        marker = item.get_closest_marker("django_db")
        return "transactional_db" in getattr(item, "fixturenames", ()) or (
            marker is not None and bool(marker.kwargs.get("transaction"))
        )

    for item in items:
        if is_transactional(item) and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")
    items.sort(key=is_transactional)  # stable: the order within each group is kept


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """Tasks (every email) run inside the test, as a worker would run them,
    so `mail.outbox` holds what was sent; tests of the queue itself switch to
    the dummy or database backend (tests/test_queue_*.py)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
