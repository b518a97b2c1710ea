#!/usr/bin/env python3
"""Back up Waymark's database into backups/ (or --dir) with a timestamped name.

PostgreSQL: `pg_dump --format=custom` (a consistent snapshot, restored with
pg_restore). SQLite: sqlite3's online backup API, which copies a consistent
state even while the app writes. Prints the backup's path.

    .venv/bin/python scripts/backup.py [--dir backups]      (or: make backup)
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from _db import BASE_DIR, database_settings, is_postgresql, libpq_env


def backup(directory: Path) -> Path:
    db = database_settings()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(tz=UTC).strftime("%Y%m%d-%H%M%S")
    if is_postgresql(db):
        target = directory / f"waymark-{stamp}.dump"
        partial = target.with_suffix(".partial")
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"],
            env=libpq_env(db),
            check=True,
        )
    else:
        target = directory / f"waymark-{stamp}.sqlite3"
        partial = target.with_suffix(".partial")
        source = sqlite3.connect(db["NAME"])
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    # Renamed only when complete, so backups/ never holds a truncated file
    # under a real backup's name.
    partial.rename(target)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=BASE_DIR / "backups", help="where to write (default: backups/)")
    args = parser.parse_args()
    try:
        path = backup(args.dir)
    except (subprocess.CalledProcessError, sqlite3.Error, OSError) as error:
        print(f"backup failed: {error}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
