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


# --- Shared helpers for the learner-experience tests (accessibility, responsive,
# keyboard / no-JavaScript journeys, screenshots) --------------------------------

AXE_JS = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core-4.14.1" / "axe.min.js"


@pytest.fixture
def new_context(browser):
    """Factory for extra browser contexts (dark scheme, phone width, no
    JavaScript, …) on the session's one browser; all closed after the test."""
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def session_cookie(user, site_url: str) -> dict:
    """A signed-in session for `user` as a Playwright cookie: journeys that are
    not about signing in skip the sign-in form."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": site_url,
    }


def axe_violations(page) -> list[dict]:
    """Run the vendored axe-core on the page and return its violations. The
    context that runs it needs bypass_csp=True: the page's CSP (script-src
    'self') would block the injected script otherwise."""
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def make_learner_with_progress(email: str = "demo.learner@example.com", password: str = "journey-password-2026"):
    """A verified learner two weeks into a realistic roadmap (the first demo
    roadmap under content/ when there is none yet): progress.demo's items in
    progress, done and skipped, a week of study log, and a retrospective due.
    Returns (user, enrolment)."""
    from allauth.account.models import EmailAddress
    from django.core.management import call_command

    from progress.demo import enrol_two_weeks_in
    from roadmaps.models import Roadmap, Status
    from tests.factories import make_user

    roadmap = Roadmap.objects.filter(status=Status.PUBLISHED).order_by("-featured", "pk").first()
    if roadmap is None:
        content = Path(__file__).resolve().parents[2] / "content" / "backend-web-development.yaml"
        call_command("import_roadmaps", str(content), verbosity=0)
        roadmap = Roadmap.objects.get(status=Status.PUBLISHED)
    user = make_user(email, password=password, display_name="Dana Demo", weekly_hours_goal=6)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user, enrol_two_weeks_in(user, roadmap)


@pytest.fixture
def editor_page(new_context, site_url):
    """A page signed in as an editor (staff, in the Editors group), 1280 px wide."""
    from tests.e2e.test_editor_journey import editors_group
    from tests.factories import make_user

    editor = make_user("editor.e2e@example.com", display_name="Ada Author", is_staff=True)
    editor.groups.add(editors_group())
    context = new_context(viewport={"width": 1280, "height": 900}, bypass_csp=False)
    context.add_cookies([session_cookie(editor, site_url)])
    return context.new_page()
