#!/usr/bin/env python3
"""What users see while PostgreSQL is down for 10 s, and how fast the app
heals once it is back — without restarting gunicorn.

Creates a throw-away PostgreSQL cluster (`pg_createcluster 15
waymark_demo_<pid> -p 5440`) and a Redis of its own (`redis-server --port
6390 --save ''`), migrates it and loads the demo roadmaps and accounts, and
starts gunicorn (config/gunicorn.conf.py, DEBUG off, 2 workers x 4 threads).
A bounded load runs: 4 demo learners, each signed in with its own session, on
their dashboard, plan and roadmap pages, and 2 anonymous visitors. Then the
cluster is stopped (`pg_ctlcluster … stop -m fast`) for 10 s and started
again. Printed: requests and errors before, during and after, and the
seconds until 20 requests in a row succeeded again.

PASS when nothing failed before the outage, the app recovered within 5 s of
PostgreSQL being back, nothing failed after that, and gunicorn was never
restarted (Django's CONN_HEALTH_CHECKS replaces the dead connections).

    .venv/bin/python scripts/pg_restart_recovery.py [--pg-port 5440] [--redis-port 6390] [--port 8112]
    (or: make pg-recovery-demo)

Only 127.0.0.1. The machine's PostgreSQL (5432) and Redis (6379) are never
touched; the cluster is dropped and Redis and gunicorn stopped at the end,
also on Ctrl-C or failure.
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request

from _demo import phase_report, recovery_criteria, summarize, verdict
from _demo_load import outage, traffic
from _demo_services import (
    AppServer,
    Cleanup,
    ThrowawayPostgres,
    ThrowawayRedis,
    app_env,
    clusters,
    finish,
    logdir,
    prepare_app,
)

OUTAGE_SECONDS = 10
RUN = 20  # consecutive successes that count as "recovered"
RECOVERY_LIMIT = 5.0  # seconds


def _readyz(base: str) -> None:
    try:
        with urllib.request.urlopen(base + "/readyz", timeout=5) as response:
            answer = f"{response.status} {response.read().decode().strip()}"
    except urllib.error.HTTPError as error:
        answer = f"{error.code} {error.read().decode().strip()}"
    except OSError as error:
        answer = f"no answer ({type(error).__name__})"
    print(f"  mid-outage /readyz: {answer}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-port", type=int, default=5440)
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--port", type=int, default=8112, help="gunicorn's port")
    args = parser.parse_args()
    print("PostgreSQL clusters before:", clusters(), sep="\n", flush=True)
    cleanup, logs = Cleanup(), logdir()
    ok = False
    try:
        postgres = ThrowawayPostgres(args.pg_port, cleanup)
        redis = ThrowawayRedis(args.redis_port, cleanup, logs)
        server = AppServer(args.port, cleanup, logs)
        postgres.create()
        redis.start()
        print(f"throw-away PostgreSQL {postgres.name} on {postgres.port}, Redis on {redis.port}", flush=True)
        env = app_env(postgres, redis)
        password, plan = prepare_app(env)
        server.start(env)
        workers = sorted(server.worker_pids())
        print(f"gunicorn on {server.base} (pid {server.process.pid}, workers {workers}); load running", flush=True)

        clients = traffic([server.base], password, plan)
        samples, down_at, back_at = outage(clients, postgres.stop, postgres.start, seconds=OUTAGE_SECONDS,
                                           probe=lambda: _readyz(server.base))  # fmt: skip
        phase = summarize(samples, down_at=down_at, back_at=back_at, run=RUN)
        print(phase_report(f"PostgreSQL stopped {OUTAGE_SECONDS} s under load", phase, run=RUN), flush=True)
        # Workers may be recycled by max_requests; what matters is that nobody
        # had to restart gunicorn for the app to heal.
        untouched = server.process.poll() is None
        print(f"  gunicorn: pid {server.process.pid} running throughout: {untouched}, "
              f"workers {workers} -> {sorted(server.worker_pids())}", flush=True)  # fmt: skip
        ok, line = verdict([*recovery_criteria(phase, RECOVERY_LIMIT), ("gunicorn not restarted", untouched)])
        print(line, flush=True)
    finally:
        cleanup.run()
        finish(ok, logs)
        print("PostgreSQL clusters after:", clusters(), sep="\n", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
