"""`make run` (scripts/run.py): gunicorn and a task worker in one terminal.
The worker, not the web process, sends the sign-up verification email and
prints it there; Ctrl-C stops both; either one stopping stops the other.
The journey runs `make run` itself (demo content, collectstatic, DEBUG off),
on a free port and a throw-away SQLite file."""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def load_run_module():
    spec = importlib.util.spec_from_file_location("waymark_run_script", BASE_DIR / "scripts" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def test_it_stops_the_other_program_when_one_exits():
    run = load_run_module()
    started = time.monotonic()
    status = run.supervise(
        {"sleeper": [sys.executable, "-c", "import time; time.sleep(60)"],
         "quitter": [sys.executable, "-c", "import time, sys; time.sleep(0.5); sys.exit(3)"]},
        grace=10,
    )
    assert status == 3
    assert time.monotonic() - started < 30  # the sleeper did not run its minute


@pytest.fixture
def app_env(tmp_path):
    """The environment of a fresh checkout's terminal: no configuration at
    all (SQLite in a throw-away file, console email, the database queue)."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "EMAIL_HOST", "TASK_BACKEND", "WAYMARK_ENV",
                        "DJANGO_SETTINGS_MODULE", "LOG_FORMAT", "DEBUG", "BIND", "PORT", "MAKEFLAGS", "MFLAGS"}}
    env.update({
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
        "PYTHONUNBUFFERED": "1",
    })
    return env, free_port()


def test_make_run_serves_and_its_worker_sends_the_sign_up_email(app_env):
    """`make run` itself, as a newcomer types it (migrate, demo content,
    collectstatic, then gunicorn with DEBUG off and the worker), on its own
    port; Ctrl-C in the terminal (SIGINT to the whole process group) stops
    everything. `-o` the install stamp: the test uses the installed venv
    and never reaches for PyPI."""
    env, port = app_env
    process = subprocess.Popen(
        ["make", "--no-print-directory", "-o", ".venv/.runtime-installed", "run", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
    reader.start()
    base = f"http://127.0.0.1:{port}"
    try:
        pids = wait_for(lambda: dict(re.findall(r"started (\w+) \(pid (\d+)\)", "".join(output)))
                        if "started worker" in "".join(output) else None, 240, "both programs to start")
        assert f"sign in at http://127.0.0.1:{port}/accounts/login/" in "".join(output)  # the demo accounts

        def up():
            try:
                return urllib.request.urlopen(f"{base}/healthz", timeout=2).status == 200
            except OSError:
                return False

        wait_for(up, 60, "gunicorn to answer")
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        page = opener.open(f"{base}/accounts/signup/", timeout=10).read().decode()
        # DEBUG off: static files through whitenoise's manifest, as in production.
        stylesheet = re.search(r'href="(/static/css/waymark\.[0-9a-f]+\.css)"', page).group(1)
        assert opener.open(base + stylesheet, timeout=10).status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({
            "csrfmiddlewaretoken": token, "email": "runner@example.com", "password1": "a-long-test-password",
            "password2": "a-long-test-password", "time_zone": "Europe/Paris",
        }).encode()
        response = opener.open(urllib.request.Request(f"{base}/accounts/signup/", data=form), timeout=10)
        assert response.status == 200 and "/accounts/confirm-email/" in response.url  # "check your email"

        # The console backend prints it in the same terminal, from the worker.
        wait_for(lambda: "To: runner@example.com" in "".join(output), 30, "the verification email")
        link = re.search(r"http://\S+/accounts/confirm-email/\S+", "".join(output)).group(0)
        with sqlite3.connect(env["SQLITE_PATH"]) as db:
            [(key, sent, attempts)] = db.execute("SELECT key, status, attempts FROM notifications_outboundemail")
            assert key.startswith("allauth-email_confirmation") and (sent, attempts) == ("sent", 1)
            [(status, workers)] = db.execute("SELECT status, worker_ids FROM django_tasks_database_dbtaskresult")
        assert status == "SUCCESSFUL" and workers != "[]"  # run by the worker, not in the request

        # The link works: it confirms the address.
        assert "Confirm" in opener.open(link, timeout=10).read().decode()

        # Ctrl-C in the terminal stops everything.
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)
        assert "exited with status" not in "".join(output)  # stopped by Ctrl-C, neither died on its own
        assert not any(alive(int(pid)) for pid in pids.values())
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        for pid in locals().get("pids", {}).values():
            if alive(int(pid)):
                os.killpg(int(pid), signal.SIGKILL)

