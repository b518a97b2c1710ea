"""Throw-away services for the fault demonstrations: a PostgreSQL cluster and
a Redis of their own, on their own ports, and gunicorn serving the app
against them. Everything started here is registered with a Cleanup that runs
once — from `finally`, at exit, on SIGTERM and on Ctrl-C — so nothing is
left behind, and nothing here ever touches a service it did not start (the
machine's cluster on 5432 and Redis on 6379 are refused by demo_port)."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _demo import CLUSTER_PREFIX, demo_port, is_demo_cluster

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_VERSION = "15"
DEMO_ROADMAP = "backend-web-development"
DEMO_LEARNER = "learner@example.com"


class Cleanup:
    """Undo steps, newest first, run exactly once however the script ends."""

    def __init__(self) -> None:
        self._steps: list = []
        self._done = False
        atexit.register(self.run)
        # SIGTERM would otherwise end the process without `finally` or atexit;
        # Ctrl-C must clean up even when started from a shell that ignores it.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        signal.signal(signal.SIGINT, signal.default_int_handler)

    def push(self, step) -> None:
        self._steps.append(step)

    def run(self) -> None:
        if self._done:
            return
        self._done = True
        while self._steps:
            step = self._steps.pop()
            try:
                step()
            except Exception as error:  # one failed undo must not skip the others
                print(f"cleanup: {error}", file=sys.stderr)


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def free_port_for(port: int, what: str) -> int:
    demo_port(port, what)
    if not port_is_free(port):
        raise SystemExit(f"Port {port} for {what} is in use; choose another one (see --help).")
    return port


def _wait(check, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise SystemExit(f"{what} did not come up within {seconds:.0f} s")


class ThrowawayPostgres:
    """`pg_createcluster 15 waymark_demo_<pid> -p <port>`, trust auth on
    127.0.0.1 only, dropped by the cleanup."""

    def __init__(self, port: int, cleanup: Cleanup) -> None:
        self.port = free_port_for(port, "the demo's PostgreSQL")
        self.name = f"{CLUSTER_PREFIX}{os.getpid()}"
        self.cleanup = cleanup
        # Without systemd (containers) pg_ctlcluster must not hand over to systemctl.
        self._redirect = [] if Path("/run/systemd/system").is_dir() else ["--skip-systemctl-redirect"]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/waymark"

    def create(self) -> None:
        assert is_demo_cluster(self.name)
        created = subprocess.run(
            ["pg_createcluster", PG_VERSION, self.name, "-p", str(self.port), "--start-conf=manual",
             "--", "--auth=trust"], capture_output=True, text=True,
        )  # fmt: skip
        if created.returncode != 0:
            # e.g. a cluster left by a killed run still claims the port: pg_lsclusters shows it.
            raise SystemExit(f"pg_createcluster failed: {created.stderr.strip()}")
        self.cleanup.push(self.drop)
        self.start()
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "waymark"], check=True)

    def _ctl(self, action: str, *extra: str) -> None:
        assert is_demo_cluster(self.name)
        subprocess.run(["pg_ctlcluster", *self._redirect, PG_VERSION, self.name, action, *extra], check=True)

    def _ready(self) -> bool:
        command = ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port)]
        return subprocess.run(command).returncode == 0

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")  # fast: the open connections are cut, as in a crash or failover

    def start(self) -> None:
        self._ctl("start")
        _wait(self._ready, f"PostgreSQL on {self.port}")

    def drop(self) -> None:
        assert is_demo_cluster(self.name)
        subprocess.run(["pg_dropcluster", "--stop", PG_VERSION, self.name], check=True)
        print(f"dropped PostgreSQL cluster {PG_VERSION}/{self.name}", flush=True)


class ThrowawayRedis:
    """`redis-server --port <port> --save ''` as a child process."""

    def __init__(self, port: int, cleanup: Cleanup, logdir: Path) -> None:
        self.port = free_port_for(port, "the demo's Redis")
        self.log = logdir / "redis.log"
        self.process: subprocess.Popen | None = None
        cleanup.push(self.stop)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        _wait(lambda: not port_is_free(self.port), f"Redis on {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


class AppServer:
    """gunicorn with config/gunicorn.conf.py, DEBUG off, on 127.0.0.1:<port>."""

    def __init__(self, port: int, cleanup: Cleanup, logdir: Path, app: str = "config.wsgi") -> None:
        self.port = free_port_for(port, "the demo's app server")
        self.base = f"http://127.0.0.1:{port}"
        self.log = logdir / f"gunicorn-{port}.log"
        self.app = app
        self.process: subprocess.Popen | None = None
        cleanup.push(self.stop)

    def start(self, env: dict) -> None:
        self.env = {**env, "BIND": f"127.0.0.1:{self.port}"}
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [str(Path(PYTHON).with_name("gunicorn")), "-c", "config/gunicorn.conf.py", "--pythonpath", "scripts",
                 "--access-logfile", "/dev/null", self.app],
                cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        _wait(self._healthy, f"gunicorn on {self.port}", seconds=60)

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            raise SystemExit(f"gunicorn on {self.port} exited during start-up; see {self.log}")
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def worker_pids(self) -> set[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()} if children.exists() else set()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=40)


def logdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="waymark-demo-"))


def app_env(postgres: ThrowawayPostgres, redis: ThrowawayRedis, **extra: str) -> dict:
    env = {**os.environ, "WAYMARK_ENV": "development", "DEBUG": "0", "DATABASE_URL": postgres.url,
           "REDIS_URL": redis.url, "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "4", "LOG_LEVEL": "WARNING",
           **extra}  # fmt: skip
    env.pop("SQLITE_PATH", None)
    return env


def prepare_app(env: dict) -> tuple[str, str]:
    """Migrate, load the demo roadmaps and accounts, enrol the demo learner;
    returns the demo learner's password and the path of their plan page."""
    run = {"cwd": BASE_DIR, "env": env, "check": True}
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], **run)
    subprocess.run([PYTHON, "manage.py", "import_roadmaps", "content/"], capture_output=True, **run)
    seeded = subprocess.run([PYTHON, "manage.py", "seed_demo_accounts"], capture_output=True, text=True, **run)
    password = re.search(rf"{re.escape(DEMO_LEARNER)}\s+password: (\S+)", seeded.stdout).group(1)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], **run)
    enrol = (
        "from datetime import date; from decimal import Decimal; from accounts.models import User; "
        "from roadmaps.models import Roadmap; from progress.enrolments.services import enrolment_start; "
        f"r = Roadmap.objects.get(slug={DEMO_ROADMAP!r}); "
        f"e, _ = enrolment_start(user=User.objects.get(email={DEMO_LEARNER!r}), roadmap=r, "
        "pace_plan=r.pace_plans.order_by('position').first(), hours_per_week=Decimal(6), start_date=date.today()); "
        "print('enrolment', e.pk)"
    )
    out = subprocess.run([PYTHON, "manage.py", "shell", "-c", enrol], capture_output=True, text=True, **run).stdout
    enrolment = re.search(r"enrolment (\d+)", out).group(1)
    return password, f"/progress/{enrolment}/"


def finish(ok: bool, logs: Path) -> None:
    """Server logs are kept only when something failed, to read why."""
    if ok:
        shutil.rmtree(logs, ignore_errors=True)
    else:
        print(f"server logs kept in {logs}", flush=True)


def clusters() -> str:
    return subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout.strip()
