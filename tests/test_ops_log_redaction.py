"""No token reaches a log, and no path forges a log line.

Every URL of the project whose path carries a secret (found by walking the
URLconf, allauth's included) is requested, and both request logs are read:
Django's (waymark.request, text and JSON) and gunicorn's access log
(config.access_log, in-process here; tests/test_ops_gunicorn.py runs the real
server). Django's own error line for a failing token URL is checked too.
"""

from __future__ import annotations

import io
import json
import logging
import secrets
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from config.log_paths import MARKER, SECRET_KWARGS
from config.logging import JsonFormatter, RedactRequestPath, TextFormatter
from config.urls import urlpatterns as project_urlpatterns

pytestmark = pytest.mark.django_db

# URL arguments that name public things (ids, slugs, a public handle, admin
# object ids). A new argument must be added here or to SECRET_KWARGS.
PUBLIC_KWARGS = {
    "pk", "slug", "handle", "item_id", "step_id", "milestone_id", "entry_id", "enrolment_pk", "number", "fmt",
    "app_label", "object_id", "content_type_id", "id", "url", "provider_id", "model_name", "member_pk", "share_pk",
}  # fmt: skip


def _endpoints(patterns, names=(), kwargs=frozenset(), namespace=""):
    for pattern in patterns:
        found = kwargs | pattern.pattern.regex.groupindex.keys()
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _endpoints(pattern.url_patterns, names, found, ns)
        elif isinstance(pattern, URLPattern):
            yield (namespace + pattern.name if pattern.name else None), found


def _secret_sample(name: str) -> str:
    # Distinctive values, so finding one in a log can only mean it leaked.
    return {"token": secrets.token_urlsafe(24), "key": "k" + secrets.token_hex(20), "uidb36": "u9q" + "z7"}[name]


def token_urls() -> list[tuple[str, str, list[str]]]:
    """(url name, path, the secret values in it) for every token URL."""
    urls = []
    for name, kwargs in _endpoints(get_resolver().url_patterns):
        if SECRET_KWARGS & kwargs:
            assert name, f"a token URL without a name: {sorted(kwargs)}"
            values = {kwarg: _secret_sample(kwarg) for kwarg in kwargs}
            urls.append((name, reverse(name, kwargs=values), [values[k] for k in kwargs & SECRET_KWARGS]))
    return urls


def _variants(url_path: str) -> list[str]:
    # Without its trailing slash CommonMiddleware answers with a redirect:
    # that request is logged too.
    return [url_path, url_path.rstrip("/")] if url_path.endswith("/") else [url_path, url_path + "/"]


def test_it_knows_every_url_argument_as_secret_or_public():
    names = set().union(*(kwargs for _, kwargs in _endpoints(get_resolver().url_patterns)))
    assert names - SECRET_KWARGS - PUBLIC_KWARGS == set()


def test_it_finds_the_token_urls():
    names = {name for name, _, _ in token_urls()}
    assert {"public_share", "calendar_feed", "account_confirm_email", "account_reset_password_from_key"} <= names


# --- Django's request log ----------------------------------------------------------


@pytest.fixture
def request_log():
    """waymark.request written in both formats, as in production."""
    text, jsonl = io.StringIO(), io.StringIO()
    handlers = []
    for stream, formatter in ((text, TextFormatter()), (jsonl, JsonFormatter())):
        handler = logging.StreamHandler(stream)
        handler.setFormatter(formatter)
        handlers.append(handler)
    logger = logging.getLogger("waymark.request")
    for handler in handlers:
        logger.addHandler(handler)
    try:
        yield SimpleNamespace(text=text, json=jsonl)
    finally:
        for handler in handlers:
            logger.removeHandler(handler)


@pytest.mark.parametrize(("name", "url_path", "values"), token_urls(), ids=lambda v: v if isinstance(v, str) else "")
def test_it_keeps_tokens_out_of_the_request_log(client, request_log, name, url_path, values):
    for variant in _variants(url_path):
        client.get(variant + "?next=/dashboard/")
        client.post(variant, {"password1": "x"})
    text, lines = request_log.text.getvalue(), request_log.json.getvalue().splitlines()
    assert len(lines) == 4 and text.count(MARKER) >= 4, text
    for value in values:
        assert value not in text and value not in request_log.json.getvalue(), (name, text)
    for line in lines:
        entry = json.loads(line)
        assert MARKER in entry["path"] and entry["path"] in entry["message"]


def test_it_logs_other_paths_as_they_are(client, request_log, roadmap):
    client.get(roadmap.get_absolute_url())
    assert json.loads(request_log.json.getvalue())["path"] == roadmap.get_absolute_url()


# --- Django's error line for a token URL that fails ----------------------------------


def _boom(request, token):
    raise RuntimeError("kaboom")


urlpatterns = [*project_urlpatterns, path("test-only/boom/<str:token>/", _boom)]


@pytest.mark.urls("tests.test_ops_log_redaction")
def test_it_keeps_tokens_out_of_djangos_error_line(settings):
    settings.DEBUG = False
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(TextFormatter())
    handler.addFilter(RedactRequestPath())  # as config.logging configures stdout
    errors = logging.getLogger("django.request")
    errors.addHandler(handler)
    token = secrets.token_urlsafe(24)
    try:
        response = Client(raise_request_exception=False).get(f"/test-only/boom/{token}/")
    finally:
        errors.removeHandler(handler)
    assert response.status_code == 500
    log = stream.getvalue()
    assert "Internal Server Error: /test-only/boom/<token>/" in log
    assert token not in log


# --- gunicorn's access log, in-process -----------------------------------------------

# Ours (gunicorn.conf.py) plus every atom that could carry the path or query.
FORMATS = [
    '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"',
    '"%(r)s" q=%(q)s f=%(f)s raw=%({raw_uri}e)s pi=%({path_info}e)s qs=%({query_string}e)s ref=%({referer}i)s',
]


def _access_line(url_path: str, *, log_format: str, query: str = "next=/x/", referer: str = "") -> str:
    from gunicorn.config import Config

    from config.access_log import AccessLogger

    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", log_format)
    access_logger = AccessLogger(config)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    access_logger.access_log.addHandler(handler)
    raw = quote(url_path, safe="/:@!$&'()*+,;=-._~")
    environ = {
        "REQUEST_METHOD": "GET", "SERVER_PROTOCOL": "HTTP/1.1", "SCRIPT_NAME": "", "REMOTE_ADDR": "127.0.0.1",
        "RAW_URI": f"{raw}?{query}", "QUERY_STRING": query,
        "PATH_INFO": url_path.encode("utf-8").decode("latin-1"),  # a WSGI string, as gunicorn passes it
        "HTTP_USER_AGENT": "test", "HTTP_REFERER": referer,
    }  # fmt: skip
    request = SimpleNamespace(headers=[("REFERER", referer)] if referer else [])
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    try:
        access_logger.access(response, request, environ, timedelta(milliseconds=5))
    finally:
        access_logger.access_log.removeHandler(handler)
    return stream.getvalue()


@pytest.mark.parametrize(("name", "url_path", "values"), token_urls(), ids=lambda v: v if isinstance(v, str) else "")
def test_it_keeps_tokens_out_of_gunicorns_access_log(name, url_path, values):
    for variant in _variants(url_path):
        for log_format in FORMATS:
            line = _access_line(variant, log_format=log_format, referer=f"https://waymark.example.com{url_path}")
            assert MARKER in line, line
            for value in values:
                assert value not in line, (name, line)


def test_it_never_writes_the_query_string_to_the_access_log():
    line = _access_line("/accounts/login/", log_format=FORMATS[1], query="code=SECRET123")
    assert "SECRET123" not in line
    assert '"GET /accounts/login/ HTTP/1.1"' in line


# --- Control characters ---------------------------------------------------------------

FORGERIES = [
    "/x%0A2026-01-01 00:00:00,000 INFO waymark.request GET /admin/ 200 1ms",
    "/x%0D%0Aforged",
    "/x%1B[2Jcleared",
    "/x%E2%80%A8separator",
    "/x%E2%80%AEreversed",
]


@pytest.mark.parametrize("raw_path", FORGERIES)
def test_it_escapes_control_characters_in_the_request_log(client, request_log, raw_path):
    client.get(raw_path)
    text = request_log.text.getvalue()
    assert text.count("\n") == 1 and "\r" not in text and "\x1b" not in text, repr(text)
    assert "\u2028" not in text and "\u202e" not in text
    assert raw_path.split("%", 1)[1][:2] in text  # still readable: written as %XX


@pytest.mark.parametrize("raw_path", FORGERIES)
def test_it_escapes_control_characters_in_the_access_log(raw_path):
    from urllib.parse import unquote

    for log_format in FORMATS:
        line = _access_line(unquote(raw_path), log_format=log_format)
        assert line.count("\n") == 1 and "\r" not in line and "\x1b" not in line, repr(line)
        assert "\u2028" not in line and "\u202e" not in line


def test_it_keeps_tokens_out_of_gunicorns_error_line():
    """gunicorn logs the raw URI when an exception escapes Django."""
    from gunicorn.config import Config

    from config.access_log import AccessLogger

    access_logger = AccessLogger(Config())
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    access_logger.error_log.addHandler(handler)
    token = secrets.token_urlsafe(24)
    try:
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            access_logger.exception("Error handling request %s", f"/share/{token}/?next=/x/%0Aforged")
    finally:
        access_logger.error_log.removeHandler(handler)
    log = stream.getvalue()
    assert "Error handling request /share/<token>/" in log
    assert token not in log and "forged" not in log
