"""The app, plus one slow path, so restart_under_load.py's SIGTERM finds
requests in flight (gunicorn serves `_demo_slow_app:application`)."""

from __future__ import annotations

import time

from _demo import SLOW_PATH

# Imported when the worker boots, as config.wsgi itself is: a new worker
# loads Django before it accepts its first connection, not during it.
from config.wsgi import application as django_app


def application(environ, start_response):
    if environ.get("PATH_INFO") == SLOW_PATH:
        time.sleep(2)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"slow request finished\n"]
    return django_app(environ, start_response)
