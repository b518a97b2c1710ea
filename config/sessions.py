"""Sessions in the database, read through the cache, never broken by it.

SESSION_ENGINE = "config.sessions" with Redis (settings.py). Django's cached_db
store lets a cache error on a write or a delete through, so a Redis outage was
a 500 on every signed-in page and on signing out. Here every cache call is
optional: the database row is the session, the cache only saves reading it.

A copy the cache keeps lives SESSION_CACHE_SECONDS at most, not the session's
two weeks: a sign-out (or "sign out everywhere") whose cache delete failed
leaves the old copy in Redis, and when Redis answers again that copy must not
sign the old cookie back in for more than a minute. The cost is one primary-key
read per session per minute.
"""

from __future__ import annotations

import logging

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DBStore

logger = logging.getLogger(__name__)

SESSION_CACHE_SECONDS = 60


def _cache_failed(operation: str, error: Exception) -> None:
    # The session key is the cache key: never in the log, nor the error's
    # text (some backends quote the key in theirs).
    logger.warning("session cache unavailable (%s: %s); using the database", operation, type(error).__name__)


class SessionStore(cached_db.SessionStore):
    def load(self) -> dict:
        try:
            data = self._cache.get(self.cache_key)
        except Exception as error:
            _cache_failed("read", error)
            data = None
        if data is not None:
            return data
        row = self._get_session_from_db()
        if not row:
            return {}
        data = self.decode(row.session_data)
        self._cache_set(data, self.get_expiry_age(expiry=row.expire_date))
        return data

    def exists(self, session_key: str | None) -> bool:
        if not session_key:
            return False
        try:
            if (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception as error:
            _cache_failed("exists", error)
        return DBStore.exists(self, session_key)

    def save(self, must_create: bool = False) -> None:
        DBStore.save(self, must_create)
        self._cache_set(self._session, self.get_expiry_age())

    def delete(self, session_key: str | None = None) -> None:
        DBStore.delete(self, session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception as error:
            _cache_failed("delete", error)

    def _cache_set(self, data: dict, expiry_age: int) -> None:
        try:
            self._cache.set(self.cache_key, data, min(expiry_age, SESSION_CACHE_SECONDS))
        except Exception as error:
            _cache_failed("write", error)

    # The app runs under WSGI; the async API (for async views) does the same.
    async def aload(self) -> dict:
        return await sync_to_async(self.load)()

    async def aexists(self, session_key: str | None) -> bool:
        return await sync_to_async(self.exists)(session_key)

    async def asave(self, must_create: bool = False) -> None:
        await sync_to_async(self.save)(must_create)

    async def adelete(self, session_key: str | None = None) -> None:
        await sync_to_async(self.delete)(session_key)
