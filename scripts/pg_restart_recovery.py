#!/usr/bin/env python3
"""The app recovers by itself when PostgreSQL restarts.

Starts gunicorn against a throw-away PostgreSQL database, makes requests so
every worker thread holds a persistent connection (DATABASE_CONN_MAX_AGE),
restarts PostgreSQL (`pg_ctlcluster 15 main restart`: a few seconds of outage
for everyone on this server, so run it deliberately), then requests again
without touching gunicorn. Django's CONN_HEALTH_CHECKS notices the dead
connections and reconnects: every request after the restart answers 200.

    .venv/bin/python scripts/pg_restart_recovery.py [--cluster "15 main"]

127.0.0.1 only; gunicorn stops and the database is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER = "postgres://postgres@127.0.0.1:5432"
PATHS = ["/readyz", "/roadmaps/", "/"]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return str(response.status)
    except urllib.error.HTTPError as error:
        return str(error.code)
    except OSError as error:
        return f"error: {type(error).__name__}"


def _round(base: str, n: int) -> Counter:
    return Counter(_get(base + PATHS[i % len(PATHS)]) for i in range(n))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cluster", default="15 main", help="version and name for pg_ctlcluster")
    args = parser.parse_args()
    database = f"waymark_pg_restart_{os.getpid()}"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "WAYMARK_ENV": "development", "DEBUG": "0", "DATABASE_URL": f"{SERVER}/{database}",
           "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2",
           "LOG_LEVEL": "WARNING"}  # fmt: skip
    env.pop("REDIS_URL", None)
    subprocess.run(["psql", f"{SERVER}/postgres", "-qc", f'CREATE DATABASE "{database}"'], check=True)
    gunicorn = None
    try:
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
        gunicorn = subprocess.Popen(
            [str(Path(PYTHON).with_name("gunicorn")), "-c", "config/gunicorn.conf.py",
             "--access-logfile", "/dev/null", "config.wsgi"], cwd=BASE_DIR, env=env,
        )  # fmt: skip
        for _ in range(150):
            if _get(base + "/healthz") == "200":
                break
            time.sleep(0.2)
        before = _round(base, 12)
        print(f"before the restart: {dict(before)} (persistent connections open)", flush=True)
        started = time.monotonic()
        # Without systemd (containers) pg_ctlcluster must not hand over to systemctl.
        redirect = [] if Path("/run/systemd/system").is_dir() else ["--skip-systemctl-redirect"]
        subprocess.run(["pg_ctlcluster", *redirect, *args.cluster.split(), "restart"], check=True)
        while subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode != 0:
            time.sleep(0.2)
        print(f"PostgreSQL restarted, accepting connections again after {time.monotonic() - started:.1f}s "
              f"(gunicorn pid {gunicorn.pid} untouched)", flush=True)  # fmt: skip
        after = _round(base, 12)
        print(f"after the restart:  {dict(after)}", flush=True)
        ok = set(before) == {"200"} and set(after) == {"200"} and gunicorn.poll() is None
        print("RESULT:", "recovered without a failed request" if ok else "FAILED — see above")
        return 0 if ok else 1
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        subprocess.run(["psql", f"{SERVER}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'])


if __name__ == "__main__":
    sys.exit(main())
