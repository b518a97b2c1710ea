#!/usr/bin/env python3
"""Restart gunicorn under signed-in load and count the requests that failed.

Runs against a throw-away PostgreSQL cluster (`pg_createcluster 15
waymark_demo_<pid> -p 5440`) and a Redis of its own (`redis-server --port
6390 --save ''`), migrated and loaded with the demo roadmaps and accounts;
gunicorn with config/gunicorn.conf.py, DEBUG off, 2 workers x 4 threads. The
load: 4 demo learners, each signed in with its own session, on their
dashboard, plan and roadmap pages, and 2 anonymous visitors.

1. SIGHUP twice under that load: gunicorn replaces every worker while the
   listening socket stays open. Printed per phase: requests and errors
   before, while workers were being replaced, and after, and the seconds
   until 20 requests in a row succeeded. Expected: 0 failed requests.
2. Slow requests (2 s each, a path _demo_slow_app.py adds in front of the
   app) in flight, then SIGTERM: gunicorn stops accepting, lets them finish,
   and exits 0. Expected: every one answers 200.

(The PostgreSQL and Redis outages are in pg_restart_recovery.py and
scale_demo.py.)

    .venv/bin/python scripts/restart_under_load.py [--pg-port 5440] [--redis-port 6390] [--port 8113]
    (or: make restart-demo)

Only 127.0.0.1. The machine's PostgreSQL (5432) and Redis (6379) are never
touched; the cluster is dropped and Redis and gunicorn stopped at the end,
also on Ctrl-C or failure.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections import Counter

from _demo import SLOW_PATH, phase_report, summarize, verdict
from _demo_load import Client, Load, traffic
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

RUN = 20  # consecutive successes that count as "recovered"
IN_FLIGHT = 6


def _replaced(server: AppServer, old: set[int], workers: int, seconds: float = 30) -> None:
    """Wait until none of the `old` workers is left and `workers` new ones run."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pids = server.worker_pids()
        if len(pids) == workers and not pids & old:
            return
        time.sleep(0.05)
    raise SystemExit("gunicorn did not replace its workers")


def _sighup_phase(server: AppServer, clients: list) -> tuple[bool, str]:
    workers = len(server.worker_pids())
    with Load(clients) as load:
        time.sleep(3)
        down_at = time.monotonic()
        for number in (1, 2):
            old = server.worker_pids()
            server.process.send_signal(signal.SIGHUP)
            _replaced(server, old, workers)
            print(f"  SIGHUP {number}: workers {sorted(old)} replaced by {sorted(server.worker_pids())}", flush=True)
            time.sleep(2)
        back_at = time.monotonic()
        time.sleep(5)
    phase = summarize(load.samples, down_at=down_at, back_at=back_at, run=RUN)
    print(phase_report("SIGHUP x2 under load (all workers replaced twice)", phase, run=RUN), flush=True)
    failed = phase.before_errors + phase.during_errors + phase.after_errors
    return phase.during > 0 and failed == 0, "no failed request across two SIGHUPs"


def _sigterm_phase(server: AppServer) -> tuple[bool, str]:
    outcomes: list[str] = []

    def slow_request() -> None:
        outcomes.append(Client().sample(server.base + SLOW_PATH).outcome)

    in_flight = [threading.Thread(target=slow_request) for _ in range(IN_FLIGHT)]
    for request in in_flight:
        request.start()
    time.sleep(0.5)
    server.process.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    print(f"  SIGTERM sent with {IN_FLIGHT} slow (2 s) requests in flight", flush=True)
    for request in in_flight:
        request.join()
    code = server.process.wait(timeout=40)
    failed = sum(1 for outcome in outcomes if outcome != "200")
    print(f"phase: SIGTERM with requests in flight\n  {len(outcomes)} in-flight requests, {failed} failed "
          f"{dict(Counter(outcomes))}; gunicorn exited with {code} after {time.monotonic() - sent:.1f} s",
          flush=True)  # fmt: skip
    return len(outcomes) == IN_FLIGHT and failed == 0 and code == 0, "SIGTERM finished every in-flight request"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-port", type=int, default=5440)
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--port", type=int, default=8113, help="gunicorn's port")
    args = parser.parse_args()
    print("PostgreSQL clusters before:", clusters(), sep="\n", flush=True)
    cleanup, logs = Cleanup(), logdir()
    ok = False
    try:
        postgres = ThrowawayPostgres(args.pg_port, cleanup)
        redis = ThrowawayRedis(args.redis_port, cleanup, logs)
        server = AppServer(args.port, cleanup, logs, app="_demo_slow_app:application")
        postgres.create()
        redis.start()
        print(f"throw-away PostgreSQL {postgres.name} on {postgres.port}, Redis on {redis.port}", flush=True)
        env = app_env(postgres, redis, GUNICORN_GRACEFUL_TIMEOUT="20")
        password, plan = prepare_app(env)
        server.start(env)
        print(f"gunicorn on {server.base} (pid {server.process.pid}, workers {sorted(server.worker_pids())})",
              flush=True)  # fmt: skip
        results = [_sighup_phase(server, traffic([server.base], password, plan)), _sigterm_phase(server)]
        ok, line = verdict([(name, passed) for passed, name in results])
        print(line, flush=True)
    finally:
        cleanup.run()
        finish(ok, logs)
        print("PostgreSQL clusters after:", clusters(), sep="\n", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
