#!/usr/bin/env python3
"""Restart gunicorn under load and count the requests that failed.

1. Starts gunicorn with config/gunicorn.conf.py on 127.0.0.1 (a free port, a
   throw-away SQLite database, DEBUG off), and drives it with a few client
   threads in a bounded loop (home page, catalogue, /healthz).
2. Sends SIGHUP twice while the load runs: gunicorn replaces every worker
   while the listening socket stays open. Expected: 0 failed requests.
3. Starts slow requests (2 s each, a test-only path this script adds in front
   of the app), then sends SIGTERM: gunicorn stops accepting, lets the
   in-flight requests finish, and exits. Expected: all of them answer 200.

    .venv/bin/python scripts/restart_under_load.py        (or: make restart-demo)

Only 127.0.0.1; gunicorn and the temporary directory are cleaned up.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SLOW_PATH = "/__restart_demo_slow"
CLIENTS = 8
MAX_REQUESTS_PER_CLIENT = 2000  # the loop is bounded even if stop never comes


def application(environ, start_response):
    """The real app, plus one slow path so SIGTERM finds requests in flight."""
    if environ.get("PATH_INFO") == SLOW_PATH:
        time.sleep(2)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"slow request finished\n"]
    from config.wsgi import application as django_app

    return django_app(environ, start_response)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 60) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            if _get(base + "/healthz", timeout=1) == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not come up")


def _load(base: str, stop: threading.Event, results: Counter, lock: threading.Lock) -> None:
    paths = ["/", "/roadmaps/", "/healthz"]
    for n in range(MAX_REQUESTS_PER_CLIENT):
        if stop.is_set():
            return
        try:
            outcome = str(_get(base + paths[n % len(paths)]))
        except OSError as error:
            outcome = f"error: {type(error).__name__}"
        with lock:
            results[outcome] += 1


def main() -> int:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="waymark-restart-") as tmp:
        env = {**os.environ, "WAYMARK_ENV": "development", "DEBUG": "0", "SQLITE_PATH": f"{tmp}/db.sqlite3",
               "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "4",
               "GUNICORN_GRACEFUL_TIMEOUT": "20", "LOG_LEVEL": "WARNING"}  # fmt: skip
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        print("preparing a throw-away database and static files …", flush=True)
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
        gunicorn = subprocess.Popen(
            [str(Path(PYTHON).with_name("gunicorn")), "-c", "config/gunicorn.conf.py",
             "--pythonpath", "scripts", "--access-logfile", "/dev/null", "restart_under_load:application"],
            cwd=BASE_DIR, env=env,
        )  # fmt: skip
        try:
            _wait_until_up(base, gunicorn)
            print(f"gunicorn up on {base} (pid {gunicorn.pid}, 2 workers x 4 threads)", flush=True)

            # --- Phase 1: SIGHUP (reload workers) under load ----------------------
            stop, lock, results = threading.Event(), threading.Lock(), Counter()
            clients = [threading.Thread(target=_load, args=(base, stop, results, lock)) for _ in range(CLIENTS)]
            for client in clients:
                client.start()
            started = time.monotonic()
            for at in (2.0, 5.0):
                time.sleep(max(0.0, started + at - time.monotonic()))
                gunicorn.send_signal(signal.SIGHUP)
                print(f"  t={at:.1f}s  SIGHUP sent (all workers replaced)", flush=True)
            time.sleep(3.0)
            stop.set()
            for client in clients:
                client.join()
            total = sum(results.values())
            failed = total - results.get("200", 0)
            print(f"phase 1 (SIGHUP x2 under load): {total} requests, {failed} failed  {dict(results)}", flush=True)

            # --- Phase 2: SIGTERM with requests in flight -------------------------
            slow: list[str] = []

            def slow_request() -> None:
                try:
                    slow.append(str(_get(base + SLOW_PATH, timeout=30)))
                except OSError as error:
                    slow.append(f"error: {type(error).__name__}")

            in_flight = [threading.Thread(target=slow_request) for _ in range(6)]
            for request in in_flight:
                request.start()
            time.sleep(0.5)
            gunicorn.send_signal(signal.SIGTERM)
            sent = time.monotonic()
            print("  SIGTERM sent with 6 slow (2 s) requests in flight", flush=True)
            for request in in_flight:
                request.join()
            code = gunicorn.wait(timeout=30)
            slow_failed = sum(1 for outcome in slow if outcome != "200")
            print(
                f"phase 2 (SIGTERM): {len(slow)} in-flight requests, {slow_failed} failed {Counter(slow)}; "
                f"gunicorn exited with {code} after {time.monotonic() - sent:.1f}s",
                flush=True,
            )
            ok = failed == 0 and slow_failed == 0 and code == 0
            print("RESULT:", "zero failed requests" if ok else "FAILED REQUESTS — see above")
            return 0 if ok else 1
        finally:
            if gunicorn.poll() is None:
                gunicorn.terminate()
                gunicorn.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
