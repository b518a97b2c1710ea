#!/usr/bin/env python3
"""Two app servers, one PostgreSQL, one Redis: sessions and rate limits hold
across them.

Creates a throw-away PostgreSQL database, starts two gunicorn instances on
127.0.0.1:8101 and :8102 sharing it and Redis (redis://127.0.0.1:6379/1), then
  1. signs in on :8101 and opens a private page on :8102 with that session;
  2. sends failed sign-ins for one account alternately to both ports and shows
     the lock-out (429) arrives after ACCOUNT_FAILED_LOGIN_LIMIT failures in
     total, not per server.
Everything stops and the database is dropped at the end, also on failure.

    .venv/bin/python scripts/scale_demo.py [--postgres postgres://postgres@127.0.0.1:5432]
    (or: make scale-demo)
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORTS = (8101, 8102)
REDIS_URL = "redis://127.0.0.1:6379/1"
PUBLIC_HOST = "localhost"  # the name both servers are reached by, behind the (imagined) proxy
FAILED_LOGIN_LIMIT = 5
MAX_ATTEMPTS = 3 * FAILED_LOGIN_LIMIT  # bounded, whatever happens


class Browser:
    """Cookies shared across ports, as a browser shares them across servers
    behind one host name; no redirects followed, so statuses show as they are."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect
        )

    def request(self, url: str, data: dict | None = None, referer: str | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # One Host header for both servers, as a reverse proxy sends it: allauth
        # keys the failed-sign-in limit on the site's host name (with port).
        req = urllib.request.Request(url, data=body, headers={"Referer": referer or url, "Host": PUBLIC_HOST})
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def login(self, base: str, email: str, password: str) -> int:
        status, html, _ = self.request(f"{base}/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert status == 200 and token, f"no sign-in form at {base} ({status})"
        status, _, _ = self.request(
            f"{base}/accounts/login/",
            {"csrfmiddlewaretoken": token.group(1), "login": email, "password": password},
        )
        return status


def _psql(server: str, sql: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-qc", sql], check=True, capture_output=True)


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    for _ in range(150):
        if process.poll() is not None:
            raise SystemExit(f"gunicorn for {base} exited during start-up")
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{base} did not become ready")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="server URL, no database")
    args = parser.parse_args()
    server = args.postgres.rstrip("/")
    database = f"waymark_scale_demo_{os.getpid()}"
    env = {**os.environ, "WAYMARK_ENV": "development", "DEBUG": "0", "DATABASE_URL": f"{server}/{database}",
           "REDIS_URL": REDIS_URL, "ACCOUNT_FAILED_LOGIN_LIMIT": str(FAILED_LOGIN_LIMIT),
           "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "4", "LOG_LEVEL": "WARNING"}  # fmt: skip
    servers: list[subprocess.Popen] = []
    _psql(server, f'CREATE DATABASE "{database}"')
    print(f"created database {database}; Redis {REDIS_URL}", flush=True)
    try:
        run = {"cwd": BASE_DIR, "env": env, "check": True}
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], **run)
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], **run)
        seeded = subprocess.run([PYTHON, "manage.py", "seed_demo_accounts"], capture_output=True, text=True, **run)
        password = re.search(r"learner@example\.com\s+password: (\S+)", seeded.stdout).group(1)
        for port in PORTS:
            servers.append(subprocess.Popen(
                [str(Path(PYTHON).with_name("gunicorn")), "-c", "config/gunicorn.conf.py",
                 "--access-logfile", "/dev/null", "config.wsgi"],
                cwd=BASE_DIR, env={**env, "BIND": f"127.0.0.1:{port}"},
            ))  # fmt: skip
        first, second = (f"http://127.0.0.1:{port}" for port in PORTS)
        for base, process in zip((first, second), servers, strict=True):
            _wait_until_up(base, process)
        print(f"app servers ready: {first} and {second}", flush=True)

        # 1. A session started on one server is valid on the other.
        browser = Browser()
        private = "/accounts/settings/"
        before, _, headers = browser.request(second + private)
        print(f"  GET {second}{private} before signing in: {before} -> {headers.get('Location')}")
        status = browser.login(first, "learner@example.com", password)
        print(f"  POST {first}/accounts/login/ as learner@example.com: {status} (session cookie set: "
              f"{browser.cookie('sessionid') is not None})")  # fmt: skip
        after, html, _ = browser.request(second + private)
        session_ok = before == 302 and status == 302 and after == 200 and "learner@example.com" in html
        print(f"  GET {second}{private} with that session: {after}"
              f" -> {'signed in on the other server' if session_ok else 'NOT signed in'}")  # fmt: skip

        # 2. Failed sign-ins count across both servers.
        attacker = Browser()
        email = f"someone-{uuid.uuid4().hex[:6]}@example.com"  # fresh each run: limits last 5 minutes
        locked_at = None
        for attempt in range(1, MAX_ATTEMPTS + 1):
            base = (first, second)[(attempt - 1) % 2]
            status = attacker.login(base, email, f"wrong-{uuid.uuid4().hex[:8]}")
            print(f"  failed sign-in {attempt:>2} for {email} on :{base.rsplit(':', 1)[1]} -> {status}")
            if status == 429:
                locked_at = attempt
                break
        limit_ok = locked_at == FAILED_LOGIN_LIMIT + 1
        print(f"  locked out at attempt {locked_at}: limit of {FAILED_LOGIN_LIMIT} counted across both servers"
              if limit_ok else f"  UNEXPECTED: lock-out at attempt {locked_at}")  # fmt: skip
        ok = session_ok and limit_ok
        print("RESULT:", "sessions and rate limits are shared" if ok else "FAILED — see above")
        return 0 if ok else 1
    finally:
        for process in servers:
            process.terminate()
        for process in servers:
            process.wait(timeout=30)
        _psql(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        print(f"stopped both servers, dropped {database}")


if __name__ == "__main__":
    sys.exit(main())
