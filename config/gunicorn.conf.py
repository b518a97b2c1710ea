"""Gunicorn settings for Waymark: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Threaded workers (gthread): Waymark's requests mostly wait on PostgreSQL, so a
few processes with several threads each serve more requests for the memory
than many single-threaded processes. Every number can be overridden from the
environment (see .env.example); the defaults follow the CPU count.

Signals: SIGTERM stops gracefully (no new connections; requests in flight get
GUNICORN_GRACEFUL_TIMEOUT seconds to finish), SIGHUP replaces the workers
without closing the listening socket, so a deploy drops no request
(scripts/restart_under_load.py shows both).
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SystemExit(f"The environment variable {name} must be a whole number, got {value!r}.") from None
    if number < 1:
        raise SystemExit(f"The environment variable {name} must be at least 1, got {number}.")
    return number


_cpus = multiprocessing.cpu_count()

bind = [os.environ.get("BIND") or f"127.0.0.1:{_int('PORT', 8000)}"]
worker_class = "gthread"
# 2 x CPUs + 1, capped: every thread may hold a PostgreSQL connection, and
# several app servers share the database's max_connections.
workers = _int("WEB_CONCURRENCY", min(2 * _cpus + 1, 8))
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# nginx keeps connections to the app servers open; match its idle timeout.
keepalive = 5
# Replace each worker after a while so a slow leak cannot grow forever; the
# jitter keeps workers from restarting all at once.
max_requests = 2000
max_requests_jitter = 200
# gunicorn 27's control socket lives at one fixed path per user, so two
# instances on one host (scripts/scale_demo.py) would fight over it; signals
# are all Waymark's operations need.
control_socket_disable = True
# Heartbeat files in memory, not on a possibly slow disk (containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Logs to stdout/stderr for the process manager. The access log has the path
# without the query string (%(U)s), and config.access_log writes that path as
# Django's request log does: tokens in it replaced by <token>, control
# characters escaped. With the duration in milliseconds.
logger_class = "config.access_log.AccessLogger"
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'

if os.environ.get("LOG_FORMAT") == "json":
    # The same one-object-per-line format as Django's logs (config/logging.py).
    # gunicorn merges this into its defaults one key deep: "handlers" replaces
    # its own, so "root" must be replaced too, or it names a handler that no
    # longer exists and gunicorn exits ("Unable to configure root logger").
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "config.logging.JsonFormatter"}},
        "handlers": {
            "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"},
        },
        "root": {"handlers": ["stdout"], "level": "INFO"},
        "loggers": {
            "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": False},
            "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        },
    }
