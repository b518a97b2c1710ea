"""Browser tests: Playwright driving Debian's Chromium against pytest-django's
live_server (in-process, so `django.core.mail.outbox` holds the emails sent).

Use the `page` fixture (pytest-playwright) with `site_url`:

    def test_it_does_something(page, site_url):
        page.goto(f"{site_url}/roadmaps/")

Every test under tests/e2e/ is marked `e2e` (deselect with -m "not e2e") and
runs with `transactional_db`, since the live server reads the database from
another thread.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Playwright's sync API runs an event loop in the test thread; Django refuses
# ORM calls there unless told that this synchronous use is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_E2E_DIR = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _E2E_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, pointed at Debian's Chromium
    (never `playwright install`)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM}: apt-get install -y chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_name():
    return "chromium"


@pytest.fixture
def site_url(live_server, transactional_db) -> str:
    """The live server's base URL, e.g. http://localhost:41234 (no trailing slash)."""
    return live_server.url


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Browser journeys hash passwords several times; the default hasher makes
    # that slow without testing anything more.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
