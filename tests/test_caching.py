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
