"""The W3C Nu HTML checker finds no error on an enrolled learner's main pages.

The pages are rendered with the test client, saved, and checked in one run of
the checker (the `vnu-jar` npm package, run with Java). A missing checker is
installed from package-lock.json (`npm ci`); a missing Java or npm fails the
test with what to install, never skips it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_jar() -> Path:
    """The checker's jar, installed from the lock file when it is missing."""
    if not VNU_JAR.exists():
        if shutil.which("npm") is None:
            pytest.fail("The Nu checker test needs npm to install vnu-jar: apt-get install -y npm")
        # --ignore-scripts: the package's postinstall would download a Java
        # runtime of its own; the system's Java runs the jar.
        done = subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode or not VNU_JAR.exists():
            pytest.fail(f"npm ci could not install vnu-jar:\n{done.stdout}\n{done.stderr}")
    if shutil.which("java") is None:
        pytest.fail("The Nu checker test needs Java: apt-get install -y default-jre-headless")
    return VNU_JAR


def nu_errors(paths: list[Path]) -> list[dict]:
    done = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--format", "json", "--errors-only", *map(str, paths)],
        capture_output=True, text=True,
    )
    # The JSON report goes to stderr; the exit status is 1 when there are errors.
    report = json.loads(done.stderr or done.stdout)
    return [message for message in report["messages"] if message["type"] in ("error", "non-document-error")]


def describe(errors: list[dict]) -> str:
    return "\n".join(
        f"{Path(error.get('url', '')).name}:{error.get('lastLine')}: {error['message']}\n"
        f"    {error.get('extract', '')!r}"
        for error in errors
    )


@pytest.mark.django_db
def test_it_finds_no_nu_errors_on_the_learners_main_pages(client, tmp_path):
    from django.test import Client

    from tests.e2e.conftest import make_learner_with_progress
    from tests.groups_helpers import make_group

    user, enrolment = make_learner_with_progress()
    group = make_group(user, roadmap=enrolment.roadmap, name="Evening backend club")
    client.force_login(user)
    visitor = Client()
    pages = {
        "roadmap": (client, enrolment.roadmap.get_absolute_url()),
        "dashboard": (client, reverse("dashboard")),
        "plan": (client, reverse("progress:plan", args=[enrolment.pk])),
        "study-log": (client, reverse("progress:log_list")),
        "settings": (client, reverse("accounts:settings")),
        # Beyond the five the issue names, as cheap in the same run:
        "retrospective": (client, f"/retrospectives/{enrolment.pk}/1/"),
        "study-group": (client, reverse("groups:detail", args=[group.pk])),
        "catalogue": (visitor, reverse("roadmaps:catalogue")),
        "roadmap-visitor": (visitor, enrolment.roadmap.get_absolute_url()),
        "home": (visitor, "/"),
        "sign-in": (visitor, reverse("account_login")),
        "sign-up": (visitor, reverse("account_signup")),
    }
    paths = []
    for name, (who, url) in pages.items():
        response = who.get(url)
        assert response.status_code == 200, url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        paths.append(path)

    errors = nu_errors(paths)

    assert not errors, f"{len(errors)} Nu checker errors:\n{describe(errors)}"
