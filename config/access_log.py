"""gunicorn's access log without secrets: `logger_class` in gunicorn.conf.py.

gunicorn writes the path it received (%(U)s, and the raw request line with
its query string in %(r)s): a password-reset or share link would be in the
log for anyone who reads it, and a %0A in the path would start a forged line.
Every atom that carries the path writes config.log_paths.loggable_path, the
same text as Django's request log; the query string and the raw URI are
never written; the Referer keeps its origin and redacted path only. The
same goes for the URI in gunicorn's "Error handling request <uri>" line,
written when an exception escapes Django.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from gunicorn.glogging import Logger

# Environ values (%({name}e)s) that hold the raw path or the query string.
_RAW_ENVIRON_ATOMS = ("{raw_uri}e", "{path_info}e", "{query_string}e", "{request_uri}e", "{script_name}e")


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time) -> dict[str, Any]:
        from django.core.handlers.wsgi import get_path_info, get_script_name

        from config.log_paths import loggable_path

        atoms = super().atoms(resp, req, environ, request_time)
        try:
            # Decoded as Django decodes it, so both logs write the same text.
            path = loggable_path(get_path_info(environ), get_script_name(environ))
        except Exception:
            path = "-"
        atoms["U"] = path
        atoms["r"] = f"{atoms['m']} {path} {atoms['H']}"
        atoms["q"] = "-"
        for name in _RAW_ENVIRON_ATOMS:
            atoms.pop(name, None)  # gunicorn writes "-" for an atom it has not got
        if environ.get("HTTP_REFERER"):
            atoms["f"] = atoms["{referer}i"] = _loggable_uri(environ["HTTP_REFERER"])
        return atoms

    def exception(self, msg, *args, **kwargs) -> None:
        # workers/base.py: log.exception("Error handling request %s", req.uri)
        if isinstance(msg, str) and msg.startswith("Error handling request") and args:
            args = (*args[:-1], _loggable_uri(str(args[-1])))
        super().exception(msg, *args, **kwargs)


def _loggable_uri(uri: str) -> str:
    """A URI as the logs may write it: origin (if any) and redacted path,
    without the query string."""
    from config.log_paths import escape_for_log, redact_path

    try:
        url = urlsplit(uri)
        origin = f"{url.scheme}://{url.netloc}" if url.scheme else ""
        return escape_for_log(origin + redact_path(unquote(url.path) or "/"))
    except Exception:
        return "-"
