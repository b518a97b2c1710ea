"""Logging to stdout: readable text by default, one JSON object per line when
LOG_FORMAT=json, so a log shipper can index the fields without parsing prose.

Standard library only: gunicorn imports this module too (see gunicorn.conf.py)
before Django is set up.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
# Extras that are objects, not facts: Django's `request` repr carries the query
# string (which may hold tokens), and sockets/servers mean nothing in a log line.
_SKIPPED_EXTRAS = frozenset({"request", "server_time", "socket"})
_SCALARS = (str, int, float, bool, type(None))


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {
        key: value
        for key, value in vars(record).items()
        if key not in _STANDARD_ATTRS and key not in _SKIPPED_EXTRAS and isinstance(value, _SCALARS)
    }


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the scalar
    extras passed with `extra=`, and the traceback as a string if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(_extras(record))
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class RedactRequestPath(logging.Filter):
    """Django's own request lines ("Internal Server Error: /share/<path>/")
    name request.path: write it as the request log does (config.log_paths),
    so a token URL that fails does not put its token in the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if hasattr(request, "path_info") and isinstance(record.args, tuple):
            from config.log_paths import loggable_path  # imports Django: only once a request exists

            raw = {request.path, request.path.encode("unicode_escape").decode("ascii")}
            path = loggable_path(request.path_info, request.META.get("SCRIPT_NAME", ""))
            record.args = tuple(path if arg in raw else arg for arg in record.args)
        return True


class TextFormatter(logging.Formatter):
    """`time LEVEL logger message` for people reading a terminal; the request
    line's message already carries its fields, so extras are not repeated."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")


def logging_config(*, log_format: str = "text", level: str = "INFO") -> dict[str, Any]:
    """The LOGGING dict for settings.py: everything to stdout in one format."""
    if log_format not in {"text", "json"}:
        raise ValueError(f"LOG_FORMAT must be 'text' or 'json', got {log_format!r}")
    formatter = "config.logging.JsonFormatter" if log_format == "json" else "config.logging.TextFormatter"
    handler = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
        "formatter": "default",
        "filters": ["request_path"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": {"()": formatter}},
        "filters": {"request_path": {"()": "config.logging.RedactRequestPath"}},
        "handlers": {"stdout": handler},
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # Django's defaults would add a second, DEBUG-only console handler.
            "django": {"handlers": ["stdout"], "level": level, "propagate": False},
            # 404s and other 4xx are in the request line already.
            "django.request": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
        },
    }


@contextmanager
def request_log_quieted() -> Iterator[None]:
    """Leave out the per-request lines while a benchmark makes thousands of
    requests in-process; the level is restored after, for whatever runs next."""
    log = logging.getLogger("waymark.request")
    level = log.level
    log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        log.setLevel(level)
