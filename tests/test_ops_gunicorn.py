"""The documented production configuration starts gunicorn and serves.

These start a real gunicorn (one worker, one thread, a free port) with the
uncommented lines of .env.example, as an operator would, and talk HTTP to it.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def env_example() -> dict[str, str]:
    """The uncommented KEY=VALUE lines of .env.example."""
    values = {}
    for line in (BASE_DIR / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip('"')
    return values


def production_env(**overrides: str | None) -> dict[str, str]:
    leave_out = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL"}
    env = {key: value for key, value in os.environ.items() if key not in leave_out}
    env.update(env_example())
    env["SECRET_KEY"] = secrets.token_urlsafe(64)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_gunicorn(env: dict[str, str], log_path: Path) -> Iterator[int]:
    """gunicorn on a free port with `env`; stdout and stderr into `log_path`.
    Yields the port once /healthz answers; fails with the log if it never does."""
    port = free_port()
    env = {**env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "1"}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited with {process.returncode}:\n{log_path.read_text()}")
            try:
                status, _ = http_get(port, "/healthz", host=env["ALLOWED_HOSTS"].split(",")[0])
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not answer /healthz:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def http_get(port: int, path: str, *, host: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        # skip_host: the Host header is the test's, exactly as given.
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_it_starts_and_serves_with_the_production_example(tmp_path):
    env = production_env()
    assert env["LOG_FORMAT"] == "json"  # the configuration that used to exit 1
    log_path = tmp_path / "gunicorn.log"
    with running_gunicorn(env, log_path) as port:
        status, body = http_get(port, "/healthz", host="waymark.example.com")
    assert (status, body) == (200, b"ok\n")
    log = log_path.read_text()
    assert "Traceback" not in log
    # gunicorn's own lines are JSON objects too, its access lines included.
    # (Python warnings, e.g. whitenoise's "No directory at: staticfiles/" in
    # a checkout without collectstatic, are not log records.)
    entries = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(e["logger"] == "gunicorn.error" and e["message"].startswith("Listening at") for e in entries), log
    assert any(e["logger"] == "gunicorn.access" and "/healthz" in e["message"] for e in entries), log


def test_it_answers_probes_by_address_and_stays_ready_without_redis(tmp_path):
    """In production, as a load balancer sees it: probed at the server's own
    address (not in ALLOWED_HOSTS), with Redis gone."""
    env = production_env(
        DATABASE_URL=None, ALLOW_SQLITE_IN_PRODUCTION="true", SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",  # nobody listens there
        DJANGO_SETTINGS_MODULE="tests.ops_settings",
    )
    with running_gunicorn(env, tmp_path / "gunicorn.log") as port:
        address = f"127.0.0.1:{port}"
        assert http_get(port, "/healthz", host=address) == (200, b"ok\n")
        assert http_get(port, "/readyz", host=address) == (200, b"degraded: cache\n")
        assert http_get(port, "/", host=address)[0] == 400  # pages still refuse the unknown Host


def test_it_keeps_tokens_and_forged_lines_out_of_every_log(tmp_path):
    """Every token URL (tests/test_ops_log_redaction.py finds them), sent to
    the real server; its whole output (gunicorn's access lines, Django's
    request lines and error lines) holds none of the tokens. The database is
    not migrated, so the share and calendar pages fail with a 500 and
    Django's error line is in the output too."""
    from tests.test_ops_log_redaction import token_urls

    env = production_env(
        DATABASE_URL=None, ALLOW_SQLITE_IN_PRODUCTION="true", SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        REDIS_URL=None, DJANGO_SETTINGS_MODULE="tests.ops_settings",
    )
    log_path = tmp_path / "gunicorn.log"
    urls = token_urls()
    https = {"X-Forwarded-Proto": "https"}  # as nginx says it, past SECURE_SSL_REDIRECT
    with running_gunicorn(env, log_path) as port:
        for _, url_path, _ in urls:
            for variant in (url_path, url_path.rstrip("/")):
                http_get(port, variant + "?next=/dashboard/", host="waymark.example.com", headers=https)
        http_get(port, "/x%0Aforged", host="waymark.example.com", headers=https)
    log = log_path.read_text()
    for name, _, values in urls:
        for value in values:
            assert value not in log, name
    entries = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    access = [e["message"] for e in entries if e["logger"] == "gunicorn.access"]
    assert sum("<token>" in line for line in access) >= 2 * len(urls), access
    assert any("/x%0Aforged" in line for line in access)
    assert any(e["logger"] == "django.request" and "<token>" in e["message"] for e in entries), log
    assert "forged" not in [line.strip() for line in log.splitlines()]
