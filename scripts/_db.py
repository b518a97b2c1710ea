"""Shared by backup.py and restore.py: the database from Django's settings, so
the scripts read exactly the configuration the app runs with (DATABASE_URL or
SQLITE_PATH)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def database_settings() -> dict:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    return settings.DATABASES["default"]


def is_postgresql(db: dict) -> bool:
    return db["ENGINE"] == "django.db.backends.postgresql"


def libpq_env(db: dict) -> dict[str, str]:
    """Connection details for pg_dump/pg_restore as libpq variables, so the
    password never appears on a command line (visible in `ps`)."""
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    return env
