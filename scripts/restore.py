#!/usr/bin/env python3
"""Restore a backup made by scripts/backup.py into the configured database.

PostgreSQL: `pg_restore --clean --if-exists --single-transaction` (all or
nothing; tables in the backup are dropped and recreated). SQLite: the backup
is copied over the database file with sqlite3's backup API.
Stop the app servers first, then `make restore FILE=backups/…`.

Afterwards the shared roadmap-content cache is invalidated: the cache still
holds entries drawn from the state the restore replaced, under keys (roadmap
pk, updated_at) that the restored rows may well match again.

    .venv/bin/python scripts/restore.py FILE
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
from pathlib import Path

from _db import database_settings, is_postgresql, libpq_env


def restore(path: Path) -> None:
    if not path.is_file():
        raise FileNotFoundError(f"no such backup: {path}")
    db = database_settings()
    if is_postgresql(db):
        if path.suffix != ".dump":
            raise ValueError(f"{path} is not a PostgreSQL backup (.dump)")
        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
             f"--dbname={db['NAME']}", str(path)],
            env=libpq_env(db),
            check=True,
        )  # fmt: skip
    else:
        if path.suffix != ".sqlite3":
            raise ValueError(f"{path} is not a SQLite backup (.sqlite3)")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(db["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()


def forget_cached_content() -> None:
    """Invalidate every cached entry drawn from the database's content (the
    settings are already loaded by `database_settings()`)."""
    from roadmaps.cache import roadmap_content_cache_clear

    roadmap_content_cache_clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    try:
        restore(args.file)
    except (subprocess.CalledProcessError, sqlite3.Error, OSError, ValueError) as error:
        print(f"restore failed: {error}", file=sys.stderr)
        return 1
    print(f"restored {args.file}")
    try:
        forget_cached_content()
    except Exception as error:  # the cache is down or unreachable: say what to do instead
        print(
            f"restored, but the cached roadmap content could not be invalidated ({error}): "
            "start the app servers with a new CACHE_KEY_SALT",
            file=sys.stderr,
        )
        return 1
    print("invalidated the cached roadmap content")
    return 0


if __name__ == "__main__":
    sys.exit(main())
