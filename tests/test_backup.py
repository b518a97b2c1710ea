"""`make backup` / `make restore`: a backup restores to the same data.

Runs the real scripts in a subprocess against a throw-away database: a SQLite
file always, and a PostgreSQL database of its own when the suite runs on
PostgreSQL (DATABASE_URL set), created and dropped here.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import dj_database_url
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
SCHEMA = [
    "CREATE TABLE author (id {pk}, name TEXT NOT NULL)",
    "CREATE TABLE book (id {pk}, author_id INTEGER NOT NULL REFERENCES author (id), title TEXT, price NUMERIC(6, 2))",
]
ROWS = [
    "INSERT INTO author (name) VALUES ('Ada Lovelace'), ('Grace Hopper'), ('Zoë Ünicode')",
    "INSERT INTO book (author_id, title, price) VALUES "
    "(1, 'Notes', 12.50), (2, 'COBOL', 30.00), (3, '“Quotes” & <tags>', NULL)",
]
CHANGES = [
    "DELETE FROM book WHERE id = 2",
    "UPDATE author SET name = 'Someone else' WHERE id = 1",
    "INSERT INTO author (name) VALUES ('Added after the backup')",
]

_pg_url = os.environ.get("DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if _pg_url.startswith(("postgres://", "postgresql://")) else [])


@contextmanager
def sqlite_database(tmp_path: Path) -> Iterator[tuple[dict[str, str], Callable]]:
    path = tmp_path / "app.sqlite3"

    def execute(statements: list[str]) -> list[tuple]:
        with sqlite3.connect(path) as connection:
            for statement in statements:
                connection.execute(statement.format(pk="INTEGER PRIMARY KEY AUTOINCREMENT"))
            return [tuple(row) for row in connection.execute(SNAPSHOT)]

    yield {"SQLITE_PATH": str(path), "DATABASE_URL": ""}, execute


@contextmanager
def postgresql_database(tmp_path: Path) -> Iterator[tuple[dict[str, str], Callable]]:
    import psycopg

    name = f"waymark_backup_test_{uuid.uuid4().hex[:10]}"
    server = dj_database_url.parse(_pg_url)
    admin = {"host": server["HOST"], "port": server["PORT"] or 5432, "user": server["USER"],
             "password": server["PASSWORD"] or None, "dbname": "postgres"}  # fmt: skip
    with psycopg.connect(**admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = _pg_url.rsplit("/", 1)[0] + "/" + name

    def execute(statements: list[str]) -> list[tuple]:
        with psycopg.connect(**{**admin, "dbname": name}) as connection:
            for statement in statements:
                connection.execute(statement.format(pk="SERIAL PRIMARY KEY"))
            return [tuple(str(v) if v is not None else None for v in row) for row in connection.execute(SNAPSHOT)]

    try:
        yield {"DATABASE_URL": url}, execute
    finally:
        with psycopg.connect(**admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


SNAPSHOT = (
    "SELECT a.id, a.name, b.id, b.title, CAST(b.price AS TEXT) FROM author a "
    "LEFT JOIN book b ON b.author_id = a.id ORDER BY a.id, b.id"
)


def _script(name: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "WAYMARK_ENV": "development", **env}
    if not full_env.get("DATABASE_URL"):
        full_env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "scripts" / name), *args],
        env=full_env, capture_output=True, text=True, timeout=120, cwd=BASE_DIR,
    )  # fmt: skip


@pytest.mark.parametrize("backend", BACKENDS)
def test_it_restores_a_backup_to_the_same_data(backend, tmp_path):
    database = sqlite_database if backend == "sqlite" else postgresql_database
    with database(tmp_path) as (env, execute):
        original = execute(SCHEMA + ROWS)
        assert len(original) == 3

        made = _script("backup.py", "--dir", str(tmp_path / "backups"), env=env)
        assert made.returncode == 0, made.stderr
        backup = Path(made.stdout.strip())
        assert backup.parent == tmp_path / "backups"
        assert backup.name.startswith("waymark-")
        assert backup.suffix == (".sqlite3" if backend == "sqlite" else ".dump")

        changed = execute(CHANGES)
        assert changed != original

        restored = _script("restore.py", str(backup), env=env)
        assert restored.returncode == 0, restored.stderr
        assert "invalidated the cached roadmap content" in restored.stdout
        assert execute([]) == original
        # Sequences come back too: the next row does not collide.
        after_insert = execute(["INSERT INTO author (name) VALUES ('Next')"])
        assert after_insert[-1][:2] in {(4, "Next"), ("4", "Next")}


def test_it_refuses_to_restore_a_missing_file(tmp_path):
    with sqlite_database(tmp_path) as (env, _execute):
        result = _script("restore.py", str(tmp_path / "nope.sqlite3"), env=env)
    assert result.returncode == 1
    assert "no such backup" in result.stderr


def test_it_refuses_to_restore_a_backup_of_the_other_kind(tmp_path):
    dump = tmp_path / "waymark-20250101-000000.dump"
    dump.write_bytes(b"PGDMP")
    with sqlite_database(tmp_path) as (env, _execute):
        result = _script("restore.py", str(dump), env=env)
    assert result.returncode == 1
    assert "not a SQLite backup" in result.stderr


def _restore_module(monkeypatch):
    import importlib.util

    monkeypatch.syspath_prepend(str(BASE_DIR / "scripts"))
    spec = importlib.util.spec_from_file_location("waymark_restore_script", BASE_DIR / "scripts" / "restore.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_it_never_serves_cached_content_of_the_state_a_restore_replaced(monkeypatch, tmp_path):
    from roadmaps.cache import cached_roadmap_content
    from roadmaps.models import Step
    from tests.factories import make_roadmap

    roadmap = make_roadmap()
    first = Step.objects.filter(roadmap=roadmap).order_by("position").first()
    assert cached_roadmap_content(roadmap).steps[0].step.title == first.title  # now cached
    # The restored database: other rows under the same pks and updated_at.
    Step.objects.filter(pk=first.pk).update(title="As it was in the backup")
    assert cached_roadmap_content(roadmap).steps[0].step.title == first.title  # the cache cannot know

    script = _restore_module(monkeypatch)
    monkeypatch.setattr(script, "restore", lambda path: None)  # the database part is tested above
    assert script.main([str(tmp_path / "backup.sqlite3")]) == 0
    assert cached_roadmap_content(roadmap).steps[0].step.title == "As it was in the backup"


@pytest.mark.django_db
def test_it_says_what_to_do_when_the_cache_cannot_be_invalidated(monkeypatch, tmp_path, capsys):
    script = _restore_module(monkeypatch)
    monkeypatch.setattr(script, "restore", lambda path: None)

    def down():
        raise ConnectionError("redis down")

    monkeypatch.setattr(script, "forget_cached_content", down)
    assert script.main([str(tmp_path / "backup.sqlite3")]) == 1
    assert "new CACHE_KEY_SALT" in capsys.readouterr().err
