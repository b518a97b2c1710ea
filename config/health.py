"""Health checks for load balancers and orchestrators.

/healthz answers whether the process can serve at all and touches nothing
else, so a database outage never makes every app server look dead (and get
restarted) at once. /readyz answers whether this server can serve real pages:
database and cache reachable; a 503 names the part that is not.
"""

from __future__ import annotations

import logging
import uuid

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
        return ok
    except Exception:
        logger.exception("readiness check: cache unavailable")
        return False


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    failing = [name for name, ok in (("database", _database_ok()), ("cache", _cache_ok())) if not ok]
    if failing:
        return _text("unavailable: " + ", ".join(failing), status=503)
    return _text("ok")
