"""Production settings for gunicorn in tests/test_ops_gunicorn.py, with one
change: static files from the source folders. CI runs the suite in a fresh
checkout without `make static`, where the manifest storage would fail every
HTML page (the 400, 404 and 500 pages included)."""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
