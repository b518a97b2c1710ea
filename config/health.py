"""Health checks for load balancers and orchestrators.

/healthz answers whether the process can serve at all and touches nothing
else, so a database outage never makes every app server look dead (and get
restarted) at once. /readyz answers whether this server can serve real pages:
503 naming the database when it is unreachable. An unreachable cache is
"degraded" with 200: pages are served without it (config/caching.py), and a
503 would take every app server out of the load balancer at once.

HealthCheckMiddleware answers both before anything reads the Host header, so
a probe addressed to the server's IP gets an answer, not a 400 for a host
missing from ALLOWED_HOSTS.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("waymark.health")


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body + "\n", status=status, content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    return _text("ok")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("readiness check: database unavailable")
        return False


def _cache_ok() -> bool:
    key = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception:
        logger.exception("readiness check: cache unavailable")
        return False
    if not ok:
        # The production backend stores nothing while Redis is away.
        logger.warning("readiness check: the cache did not keep what it was given")
    return ok


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    database_ok, cache_ok = _database_ok(), _cache_ok()
    degraded = "" if cache_ok else "degraded: cache"
    if not database_ok:
        return _text("; ".join(filter(None, ["unavailable: database", degraded])), status=503)
    return _text(degraded or "ok")


class HealthCheckMiddleware:
    """Serves /healthz and /readyz itself, whatever the Host header.

    Above SecurityMiddleware and CommonMiddleware: they call
    request.get_host(), which refuses a host not in ALLOWED_HOSTS (400), and
    load balancers probe each server by its address. Nothing here reads the
    Host, and only these two exact paths are answered.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.probes = {"/healthz": healthz, "/readyz": readyz}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = self.probes.get(request.path_info)
        return probe(request) if probe else self.get_response(request)
