"""Reading through the cache without ever depending on it.

Every cache in Waymark holds something the database can rebuild, so a cache
outage (Redis restarting, a full disk) must cost speed, never the page.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
T = TypeVar("T")


class CacheUnavailable(Exception):
    """The cache did not answer; the caller computes without it."""


def cache_get(key: str):
    """`cache.get(key)`, or CacheUnavailable (logged) when the cache is down."""
    try:
        return cache.get(key)
    except Exception as error:
        logger.warning("cache unavailable (reading %s)", key.split(":", 1)[0], exc_info=True)
        raise CacheUnavailable from error


def cache_get_or_compute(key: str, compute: Callable[[], T], *, timeout: int | None) -> T:
    """The cached value under `key`, else `compute()`, stored for next time.
    With the cache down, `compute()` every time."""
    try:
        value = cache_get(key)
    except CacheUnavailable:
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=timeout)
        except Exception:
            logger.warning("cache unavailable (storing %s)", key.split(":", 1)[0], exc_info=True)
    return value


# --- The Redis backend that survives Redis -----------------------------------
#
# Sessions (read through the cache), allauth's rate limits and the content
# cache all call the cache directly, and a Redis that is restarting or
# unreachable makes each call raise: without this, every signed-in page and
# every sign-in answered 500 for the length of the outage. So the production
# backend answers as an empty cache that stores nothing while Redis is away.
#
# The trade-offs, for as long as Redis is away: rate limits and the sign-in
# lock-out count nothing (sign-in works, unthrottled); allauth's "TOTP code
# already used" check cannot remember codes. Entries Redis holds from before
# the outage may be read again afterwards: content keys carry their version,
# and cached sessions live a minute at most (config/sessions.py).

# ConnectionError and TimeoutError are OSErrors; redis-py raises its own.
_OUTAGE_ERRORS = (OSError, RedisError)
_REPORT_EVERY_SECONDS = 10.0


class FailSoftRedisCache(RedisCache):
    """RedisCache that treats an unreachable Redis as an empty cache."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._reported_at = -_REPORT_EVERY_SECONDS
        self._unreported = 0

    def _outage(self, operation: str, error: BaseException) -> None:
        # One line per 10 s per backend instance (one per thread), not one
        # per call, and never the key: session keys are cache keys.
        now = time.monotonic()
        if now - self._reported_at < _REPORT_EVERY_SECONDS:
            self._unreported += 1
            return
        logger.warning(
            "cache unavailable (%s: %s); serving without it (%d more failures since the last report)",
            operation,
            type(error).__name__,
            self._unreported,
        )
        self._reported_at, self._unreported = now, 0

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except _OUTAGE_ERRORS as error:
            self._outage("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except _OUTAGE_ERRORS as error:
            self._outage("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except _OUTAGE_ERRORS as error:
            self._outage("has_key", error)
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except _OUTAGE_ERRORS as error:
            self._outage("add", error)
            # "Added": allauth takes a lock with add() before every rate-limit
            # check and would wait, then refuse, if it never got one.
            return True

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except _OUTAGE_ERRORS as error:
            self._outage("set", error)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except _OUTAGE_ERRORS as error:
            self._outage("set_many", error)
            return list(data)  # the keys that could not be stored: all

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except _OUTAGE_ERRORS as error:
            self._outage("touch", error)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except _OUTAGE_ERRORS as error:
            self._outage("incr", error)
            raise ValueError("Key not found (the cache is unavailable).") from None

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except _OUTAGE_ERRORS as error:
            self._outage("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except _OUTAGE_ERRORS as error:
            self._outage("delete_many", error)

    def clear(self):
        try:
            return super().clear()
        except _OUTAGE_ERRORS as error:
            self._outage("clear", error)
            return False
