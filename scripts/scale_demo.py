#!/usr/bin/env python3
"""Two app servers, one PostgreSQL, one Redis: sessions, rate limits and the
sign-in lock-out hold across them, and both ride out a 10 s Redis outage.

Creates a throw-away PostgreSQL cluster (`pg_createcluster 15
waymark_demo_<pid> -p 5440`) and a Redis of its own (`redis-server --port
6390 --save ''`), loads the demo roadmaps and accounts, and starts two
gunicorn instances (2 workers x 4 threads each, DEBUG off) on 127.0.0.1:8110
and :8111 sharing them. Then:
  1. signs in on :8110 and opens a private page on :8111 with that session;
  2. runs a bounded load on both servers (4 demo learners signed in, each
     with its own session, and 2 anonymous visitors), stops Redis for 10 s
     and starts it again, empty. Printed: requests and errors before, during
     and after, and the seconds until 20 requests in a row succeeded;
  3. sends 19 wrong passwords for the demo learner, spread over both
     servers, each with another `Host` (other ports, other letter case), as
     an attacker may; the lock-out must start after ACCOUNT_FAILED_LOGIN_LIMIT
     failures in total, and the right password must then be refused (429).

    .venv/bin/python scripts/scale_demo.py [--pg-port 5440] [--redis-port 6390] [--ports 8110 8111]
    (or: make scale-demo)

Only 127.0.0.1. The machine's PostgreSQL (5432) and Redis (6379) are never
touched; the cluster is dropped and Redis and both servers stopped at the
end, also on Ctrl-C or failure.
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request
import uuid

from _demo import phase_report, recovery_criteria, summarize, verdict
from _demo_load import Client, outage, traffic
from _demo_services import (
    DEMO_LEARNER,
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

FAILED_LOGIN_LIMIT = 5
WRONG_PASSWORDS = 19  # under the per-IP limit (20 a minute): only the per-account count can refuse
OUTAGE_SECONDS = 10
RUN = 20
RECOVERY_LIMIT = 5.0


def _hosts(ports: list[int], attempt: int) -> str:
    """Another Host for every attempt: the server's own, unknown ports, other case.
    ALLOWED_HOSTS ignores ports and case, so all of them are served."""
    port = ports[attempt % len(ports)]
    return [f"127.0.0.1:{port}", f"127.0.0.1:{20000 + attempt}", f"LOCALHOST:{port}",
            f"LocalHost:{30000 + attempt}", "localhost"][attempt % 5]  # fmt: skip


def _sessions(first: AppServer, second: AppServer, password: str) -> tuple[bool, str]:
    browser = Client()
    private = "/accounts/settings/"
    before, _, headers = browser.request(second.base + private)
    print(f"  GET {second.base}{private} before signing in: {before} -> {headers.get('Location')}")
    status = browser.login(first.base, DEMO_LEARNER, password)
    print(f"  POST {first.base}/accounts/login/ as {DEMO_LEARNER}: {status}")
    after, html, _ = browser.request(second.base + private)
    ok = before == 302 and status == 302 and after == 200 and DEMO_LEARNER in html
    print(f"  GET {second.base}{private} with that session: {after} "
          f"({'signed in on the other server' if ok else 'NOT signed in'})", flush=True)  # fmt: skip
    return ok, "a session from one server is valid on the other"


def _readyz(servers: list[AppServer]) -> None:
    for server in servers:
        try:
            with urllib.request.urlopen(server.base + "/readyz", timeout=5) as response:
                answer = f"{response.status} {response.read().decode().strip()}"
        except urllib.error.HTTPError as error:
            answer = f"{error.code} {error.read().decode().strip()}"
        except OSError as error:
            answer = f"no answer ({type(error).__name__})"
        print(f"  mid-outage {server.base}/readyz: {answer}", flush=True)


def _lockout(servers: list[AppServer], password: str) -> list[tuple[str, bool]]:
    attacker, ports = Client(), [server.port for server in servers]
    first_429 = None
    for attempt in range(1, WRONG_PASSWORDS + 1):
        server, host = servers[attempt % len(servers)], _hosts(ports, attempt)
        status = attacker.login(server.base, DEMO_LEARNER, f"wrong-{uuid.uuid4().hex[:8]}", host=host)
        print(f"  wrong password {attempt:>2} on :{server.port} with Host {host:<22} -> {status}")
        if status == 429 and first_429 is None:
            first_429 = attempt
    server, host = servers[0], _hosts(ports, WRONG_PASSWORDS + 1)
    right = attacker.login(server.base, DEMO_LEARNER, password, host=host)
    print(f"  RIGHT password     on :{server.port} with Host {host:<22} -> {right}"
          f" ({'refused: locked out' if right == 429 else 'NOT refused'})", flush=True)  # fmt: skip
    print(f"  lock-out began at attempt {first_429} (limit {FAILED_LOGIN_LIMIT})", flush=True)
    return [
        (f"lock-out after {FAILED_LOGIN_LIMIT} failures across servers, ports and case",
         first_429 == FAILED_LOGIN_LIMIT + 1),
        ("then the right password is refused (429)", right == 429),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-port", type=int, default=5440)
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--ports", type=int, nargs=2, default=[8110, 8111], help="the two gunicorns' ports")
    args = parser.parse_args()
    print("PostgreSQL clusters before:", clusters(), sep="\n", flush=True)
    cleanup, logs = Cleanup(), logdir()
    ok = False
    try:
        postgres = ThrowawayPostgres(args.pg_port, cleanup)
        redis = ThrowawayRedis(args.redis_port, cleanup, logs)
        servers = [AppServer(port, cleanup, logs) for port in args.ports]
        postgres.create()
        redis.start()
        print(f"throw-away PostgreSQL {postgres.name} on {postgres.port}, Redis on {redis.port}", flush=True)
        env = app_env(postgres, redis, ACCOUNT_FAILED_LOGIN_LIMIT=str(FAILED_LOGIN_LIMIT))
        password, plan = prepare_app(env)
        for server in servers:
            server.start(env)
        print("app servers ready:", " and ".join(server.base for server in servers), flush=True)

        print("phase: sessions across servers")
        criteria = [_sessions(*servers, password)[::-1]]

        clients = traffic([server.base for server in servers], password, plan)
        samples, down_at, back_at = outage(clients, redis.stop, redis.start, seconds=OUTAGE_SECONDS,
                                           probe=lambda: _readyz(servers))  # fmt: skip
        phase = summarize(samples, down_at=down_at, back_at=back_at, run=RUN)
        print(phase_report(f"Redis stopped {OUTAGE_SECONDS} s under load on both servers", phase, run=RUN))
        criteria += [(f"Redis outage: {name}", passed) for name, passed in recovery_criteria(phase, RECOVERY_LIMIT)]
        criteria.append(("Redis outage: every page, signed-in too, answered 200 throughout",
                         phase.during > 0 and phase.during_errors == 0))  # fmt: skip

        print("phase: sign-in lock-out across servers, Host ports and case (Redis restarted empty)", flush=True)
        criteria += _lockout(servers, password)
        ok, line = verdict(criteria)
        print(line, flush=True)
    finally:
        cleanup.run()
        finish(ok, logs)
        print("PostgreSQL clusters after:", clusters(), sep="\n", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
