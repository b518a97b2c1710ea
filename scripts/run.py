#!/usr/bin/env python3
"""`make run`: the web server and a task worker, in one terminal.

Starts gunicorn (config/gunicorn.conf.py, listening on BIND) and
`manage.py db_worker` (which sends every email: with no SMTP configured they
are printed here), both with this environment. Ctrl-C or SIGTERM stops
both; when either stops by itself, the other is stopped too and this script
exits with the first one's status, so a process manager sees the failure.

    DEBUG=0 BIND=127.0.0.1:8000 .venv/bin/python scripts/run.py     (or: make run)

In production run the two as separate services instead (README, Deploying):
this is a convenience for one machine, not a process manager.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# Seconds the children get to finish (gunicorn its requests, the worker its
# email) before they are killed.
GRACE_SECONDS = 30


def commands(python: str = sys.executable) -> dict[str, list[str]]:
    return {
        "web": [python, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
        # --no-reload: db_worker reloads on code changes when DEBUG is on,
        # which would restart it mid-email.
        "worker": [python, "manage.py", "db_worker", "--no-reload"],
    }


def supervise(programs: dict[str, list[str]], *, grace: float = GRACE_SECONDS) -> int:
    """Run `programs` until one exits or a signal comes; then stop the rest.
    Returns the first exited program's status, or 0 when stopped by a signal."""
    stop: list[int] = []

    def on_signal(signum, frame) -> None:
        stop.append(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    children: dict[str, subprocess.Popen] = {}
    try:
        for name, argv in programs.items():
            # Their own session: Ctrl-C reaches this script only, which then
            # stops each child once, in order, instead of all of them at once
            # twice (the terminal's SIGINT and ours).
            children[name] = subprocess.Popen(argv, cwd=BASE_DIR, start_new_session=True)
            print(f"run.py: started {name} (pid {children[name].pid})", flush=True)
        status = 0
        while not stop:
            exited = [(name, child.returncode) for name, child in children.items() if child.poll() is not None]
            if exited:
                name, status = exited[0]
                print(f"run.py: {name} exited with status {status}; stopping the rest", flush=True)
                break
            time.sleep(0.2)
        return status
    finally:
        _stop_all(children, grace=grace)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop_all(children: dict[str, subprocess.Popen], *, grace: float) -> None:
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)  # both stop gracefully on SIGTERM
    deadline = time.monotonic() + grace
    for name, child in children.items():
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"run.py: {name} did not stop within {grace:.0f} s; killing it", flush=True)
            child.kill()
            child.wait()


if __name__ == "__main__":
    sys.exit(supervise(commands()))
