"""Reading settings from environment variables, failing loudly on bad values.

Every error names the variable, so an operator sees at start-up what to fix
instead of a confusing failure on the first request.
"""

from __future__ import annotations

import os
from urllib.parse import SplitResult, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default if default is not None else ""
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} must be a boolean (true/false/1/0), got {value!r}."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a whole number, got {value!r}."
        ) from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be at least {minimum}, got {number}."
        )
    return number


def env_list(name: str, default: list[str] | None = None, *, required: bool = False) -> list[str]:
    value = env_str(name, required=required)
    if not value:
        return list(default or [])
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not parts:
        # " , " is set but says nothing: never read it as "no hosts" or "none".
        raise ImproperlyConfigured(f"The environment variable {name} must list at least one value, got {value!r}.")
    return parts


def check_url(name: str, value: str, *, schemes: set[str], example: str) -> SplitResult:
    """`value` split, if it is a URL with one of `schemes` and a host (or, for
    unix://, a path); else ImproperlyConfigured naming `name`."""
    problem = f"The environment variable {name} must look like {example}, got {value!r}."
    if any(char.isspace() for char in value):
        raise ImproperlyConfigured(problem)
    try:
        url = urlsplit(value)
        url.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        raise ImproperlyConfigured(problem) from None
    if url.scheme not in schemes or not (url.hostname or (url.scheme == "unix" and url.path)):
        raise ImproperlyConfigured(problem)
    return url
