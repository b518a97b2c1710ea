#!/usr/bin/env python3
"""Screenshots of Waymark's main pages for the README (make screenshots).

Builds a throw-away SQLite database with the demo content (content/) and the
demo accounts, Dana two weeks into a roadmap (progress, a study log, a
retrospective due: `seed_demo_progress`), serves it on a spare port, and
writes PNGs of the main pages in both themes at 360 px and 1280 px wide
into docs/screenshots/ (<page>-<theme>-<width>.png). Uses Debian's Chromium (/usr/bin/chromium).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WIDTHS = {360: 780, 1280: 860}  # width: viewport height
THEMES = ("light", "dark")


def spare_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL)


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped (exit code {server.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server did not answer at {url} within {timeout:.0f} s.")


def prepare_learner(env: dict) -> tuple[str, dict[str, str]]:
    """The demo learner's session key and the pages to shoot (in this process,
    against the same throw-away database)."""
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from progress.models import Enrolment

    enrolment = Enrolment.objects.select_related("user", "roadmap").get(user__email="dana@example.com")
    user = enrolment.user
    client = Client()
    client.force_login(user)
    pages = {
        "home": "/",
        "catalogue": "/roadmaps/",
        "roadmap": enrolment.roadmap.get_absolute_url(),
        "dashboard": "/dashboard/",
        "retrospective": f"/retrospectives/{enrolment.pk}/1/",
        "settings": "/accounts/settings/",
        "sign-in": "/accounts/login/",
    }
    return client.cookies[settings.SESSION_COOKIE_NAME].value, pages


def shoot(base_url: str, session: str, pages: dict[str, str], out: Path) -> list[Path]:
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for theme in THEMES:
            for width, height in WIDTHS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, color_scheme=theme, device_scale_factor=1
                )
                page = context.new_page()
                for name, path in pages.items():
                    # Public pages as a visitor sees them, the rest signed in.
                    if name == "catalogue":
                        context.add_cookies(
                            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
                        )
                    if name == "sign-in":
                        context.clear_cookies()
                    page.goto(f"{base_url}{path}", wait_until="load")
                    target = out / f"{name}-{theme}-{width}.png"
                    page.screenshot(path=target)
                    written.append(target)
                context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BASE_DIR / "docs" / "screenshots")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Screenshots need Chromium at {CHROMIUM}: apt-get install -y chromium")
    args.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="waymark-shots-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SQLITE_PATH": str(Path(tmp) / "screenshots.sqlite3"),
            "DEBUG": "1",  # static files straight from static/, no collectstatic needed
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        print("Preparing a throw-away database with the demo content…")
        manage(env, "migrate", "--noinput")
        manage(env, "import_roadmaps", "content/")
        manage(env, "seed_demo_accounts")
        manage(env, "seed_demo_progress")
        session, pages = prepare_learner(env)

        port = spare_port()
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_until_up(f"{base_url}/healthz", server)
            written = shoot(base_url, session, pages, args.out)
        finally:
            server.terminate()
            server.wait(timeout=10)
    for path in written:
        print(f"  {path.relative_to(BASE_DIR) if path.is_relative_to(BASE_DIR) else path}")
    print(f"{len(written)} screenshots written.")


if __name__ == "__main__":
    main()
