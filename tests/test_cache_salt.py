"""Every cache key carries this deployment's salt and release (KEY_PREFIX,
config/settings.py), so two deployments sharing a Redis, or a restored
database, never read each other's entries."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.core.cache.backends.locmem import LocMemCache

from config.release import git_commit

SETTINGS = Path(__file__).resolve().parent.parent / "config" / "settings.py"


def _settings(monkeypatch, **env) -> dict:
    for name in ("CACHE_KEY_SALT", "WAYMARK_RELEASE", "REDIS_URL", "DATABASE_URL", "SQLITE_PATH", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WAYMARK_ENV", "development")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def _stored_keys(config: dict, name: str) -> set[str]:
    params = dict(config["CACHES"]["default"])
    params.pop("BACKEND")
    cache = LocMemCache(f"salt-test-{name}", params)
    cache.clear()
    cache.set("roadmap-content:1", "the same value")
    return set(cache._cache)


def test_it_stores_the_same_set_under_different_keys_for_different_salts(monkeypatch):
    one = _settings(monkeypatch, CACHE_KEY_SALT="deployment-one", WAYMARK_RELEASE="r1")
    two = _settings(monkeypatch, CACHE_KEY_SALT="deployment-two", WAYMARK_RELEASE="r1")
    keys_one, keys_two = _stored_keys(one, "one"), _stored_keys(two, "two")
    assert keys_one and keys_two and keys_one.isdisjoint(keys_two)
    assert all("deployment-one:r1" in key for key in keys_one)


def test_it_salts_with_the_release_too(monkeypatch):
    first = _settings(monkeypatch, CACHE_KEY_SALT="same", WAYMARK_RELEASE="r1")
    second = _settings(monkeypatch, CACHE_KEY_SALT="same", WAYMARK_RELEASE="r2")
    assert _stored_keys(first, "r1").isdisjoint(_stored_keys(second, "r2"))


def test_it_differs_by_default_between_deployments(monkeypatch, tmp_path):
    same = {"WAYMARK_RELEASE": "r1"}
    a = _settings(monkeypatch, SQLITE_PATH=str(tmp_path / "a.sqlite3"), **same)["CACHE_KEY_SALT"]
    b = _settings(monkeypatch, SQLITE_PATH=str(tmp_path / "b.sqlite3"), **same)["CACHE_KEY_SALT"]
    c = _settings(monkeypatch, SQLITE_PATH=str(tmp_path / "a.sqlite3"), SECRET_KEY="another-secret", **same)
    pg = _settings(monkeypatch, DATABASE_URL="postgres://u:p@db.example/waymark", **same)["CACHE_KEY_SALT"]
    assert len({a, b, c["CACHE_KEY_SALT"], pg}) == 4
    assert a == _settings(monkeypatch, SQLITE_PATH=str(tmp_path / "a.sqlite3"), **same)["CACHE_KEY_SALT"]
    assert "p@db" not in pg and "another-secret" not in c["CACHES"]["default"]["KEY_PREFIX"]


def test_it_uses_the_salt_on_redis_too(monkeypatch):
    config = _settings(monkeypatch, CACHE_KEY_SALT="s", WAYMARK_RELEASE="r", REDIS_URL="redis://127.0.0.1:6379/0")
    assert config["CACHES"]["default"]["KEY_PREFIX"] == "waymark:s:r"


def _repo(tmp_path: Path, head: str) -> Path:
    (tmp_path / ".git" / "refs" / "heads").mkdir(parents=True)
    (tmp_path / ".git" / "HEAD").write_text(head)
    return tmp_path


SHA = "0123456789abcdef0123456789abcdef01234567"


def test_it_reads_the_release_from_a_branch_a_packed_ref_or_a_detached_head(tmp_path):
    loose = _repo(tmp_path / "loose", "ref: refs/heads/main\n")
    (loose / ".git" / "refs" / "heads" / "main").write_text(SHA + "\n")
    packed = _repo(tmp_path / "packed", "ref: refs/heads/main\n")
    (packed / ".git" / "packed-refs").write_text(f"# pack-refs with: peeled\n{SHA} refs/heads/main\n")
    detached = _repo(tmp_path / "detached", SHA + "\n")
    assert git_commit(loose) == git_commit(packed) == git_commit(detached) == SHA[:12]


@pytest.mark.parametrize("head", [None, "ref: refs/heads/missing\n", "not a hash\n"])
def test_it_has_no_release_without_a_readable_commit(tmp_path, head):
    if head is not None:
        _repo(tmp_path, head)
    assert git_commit(tmp_path) is None


def test_it_falls_back_to_dev_without_git_or_variable(monkeypatch, tmp_path):
    import config.release

    monkeypatch.setattr(config.release, "git_commit", lambda base_dir: None)
    assert _settings(monkeypatch, CACHE_KEY_SALT="s")["WAYMARK_RELEASE"] == "dev"
