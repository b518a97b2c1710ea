"""Reading through the cache without ever depending on it.

Every cache in Waymark holds something the database can rebuild, so a cache
outage (Redis restarting, a full disk) must cost speed, never the page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

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
