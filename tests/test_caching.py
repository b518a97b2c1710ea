"""config.caching: a cache outage costs speed, never the page."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import cache

from config.caching import CacheUnavailable, cache_get, cache_get_or_compute


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_it_computes_once_and_then_reads_the_cache():
    compute = mock.Mock(return_value={"html": "<p>drawn</p>"})
    assert cache_get_or_compute("test:one", compute, timeout=60) == {"html": "<p>drawn</p>"}
    assert cache_get_or_compute("test:one", compute, timeout=60) == {"html": "<p>drawn</p>"}
    assert compute.call_count == 1


def test_it_computes_every_time_while_the_cache_cannot_be_read(caplog):
    compute = mock.Mock(return_value="fresh")
    with mock.patch("config.caching.cache.get", side_effect=ConnectionError("redis down")):
        assert cache_get_or_compute("test:two", compute, timeout=60) == "fresh"
        assert cache_get_or_compute("test:two", compute, timeout=60) == "fresh"
    assert compute.call_count == 2
    assert "cache unavailable (reading test)" in caplog.text


def test_it_still_answers_when_the_cache_cannot_store(caplog):
    with mock.patch("config.caching.cache.set", side_effect=ConnectionError("redis down")):
        assert cache_get_or_compute("test:three", lambda: "fresh", timeout=60) == "fresh"
    assert cache.get("test:three") is None
    assert "cache unavailable (storing test)" in caplog.text


def test_it_tells_a_miss_from_an_outage():
    assert cache_get("test:absent") is None
    with mock.patch("config.caching.cache.get", side_effect=OSError), pytest.raises(CacheUnavailable):
        cache_get("test:absent")


# --- FailSoftRedisCache: an unreachable Redis reads as an empty cache ------------


@pytest.fixture
def redis_down():
    from config.caching import FailSoftRedisCache

    return FailSoftRedisCache("redis://127.0.0.1:1/0", {"KEY_PREFIX": "test"})


def test_it_answers_as_an_empty_cache_while_redis_is_unreachable(redis_down):
    assert redis_down.get("k", "fallback") == "fallback"
    assert redis_down.get_many(["a", "b"]) == {}
    assert redis_down.has_key("k") is False and ("k" in redis_down) is False
    assert redis_down.get_or_set("k", "computed") == "computed"
    assert redis_down.add("lock", True) is True  # allauth's rate-limit lock
    assert redis_down.set("k", 1) is None
    assert redis_down.set_many({"a": 1}) == ["a"]
    assert redis_down.delete("k") is False
    assert redis_down.touch("k") is False
    with pytest.raises(ValueError):
        redis_down.incr("k")


def test_it_reports_an_outage_once_per_ten_seconds_without_keys(redis_down, caplog):
    for _ in range(5):
        redis_down.get("session-key-that-must-not-be-logged")
    lines = [r.getMessage() for r in caplog.records if "cache unavailable" in r.getMessage()]
    assert lines == [
        "cache unavailable (get: ConnectionError); serving without it (0 more failures since the last report)"
    ]
    assert "session-key" not in caplog.text


def test_it_lets_programming_errors_through(redis_down):
    with mock.patch("django.core.cache.backends.redis.RedisCache.get", side_effect=TypeError("bug")):
        with pytest.raises(TypeError):
            redis_down.get("k")
