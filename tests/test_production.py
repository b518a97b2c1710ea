"""Production settings: deploy checks, start-up errors, security headers,
error pages, request logs and static file caching."""

from __future__ import annotations

import io
import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, path, reverse

from config.logging import JsonFormatter
from config.urls import urlpatterns as project_urlpatterns

BASE_DIR = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


# --- Test-only URLs (used through @pytest.mark.urls) ---------------------------


def _boom(request):
    raise RuntimeError("kaboom: secret detail that must not reach the browser")


def _forbidden(request):
    raise PermissionDenied


def _bad(request):
    raise SuspiciousOperation("tampered")


urlpatterns = [
    *project_urlpatterns,
    path("test-only/boom/", _boom),
    path("test-only/forbidden/", _forbidden),
    path("test-only/bad/", _bad),
]


# --- Settings in a fresh process -------------------------------------------------


def _env_example() -> dict[str, str]:
    """The uncommented KEY=VALUE lines of .env.example."""
    values = {}
    for line in (BASE_DIR / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip('"')
    return values


def _production_env(**overrides: str | None) -> dict[str, str]:
    # DJANGO_ALLOW_ASYNC_UNSAFE belongs to the browser tests' process (see
    # tests/e2e/conftest.py); a real deployment never has it, and Django's
    # deploy check rightly refuses it.
    leave_out = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in leave_out}
    env.update(_env_example())
    env["SECRET_KEY"] = secrets.token_urlsafe(64)  # "filled in"
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_it_lists_every_production_essential_in_env_example():
    example = (BASE_DIR / ".env.example").read_text()
    for name in ("WAYMARK_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "LOG_FORMAT"):
        assert f"\n{name}=" in example or f"\n# {name}=" in example, name


def test_it_passes_the_deploy_checks_with_the_production_environment():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "too-short"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DATABASE_URL": "not-a-database-url"}, "DATABASE_URL"),
        ({"SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"}, "SECURE_PROXY_SSL_HEADER"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS"),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS"),
        ({"REDIS_URL": "notaurl"}, "REDIS_URL"),
        ({"REDIS_URL": "redis://:6379/0"}, "REDIS_URL"),
        ({"SITE_URL": "not a url"}, "SITE_URL"),
        ({"SITE_URL": "waymark.example.com"}, "SITE_URL"),
        ({"CSRF_TRUSTED_ORIGINS": "waymark.example.com"}, "CSRF_TRUSTED_ORIGINS"),
        ({"CSRF_TRUSTED_ORIGINS": "https://waymark.example.com,other.example.com"}, "CSRF_TRUSTED_ORIGINS"),
        ({"DATABASE_URL": "mysql://user:password@127.0.0.1:3306/waymark"}, "DATABASE_URL"),
        # Unset in production: no silent SQLite, no reset links printed to the log.
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"EMAIL_URL": None}, "EMAIL_URL"),
        # gunicorn reads WEB_CONCURRENCY itself before its config file and
        # fails with a bare traceback; `manage.py check` / `make release` say it.
        ({"WEB_CONCURRENCY": "abc"}, "WEB_CONCURRENCY"),
        ({"GUNICORN_THREADS": "0"}, "GUNICORN_THREADS"),
        ({"TRUSTED_PROXY_COUNT": "nginx"}, "TRUSTED_PROXY_COUNT"),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT"),
    ],
)
def test_it_refuses_to_start_with_a_missing_or_malformed_variable(overrides, variable):
    result = _run(["-c", "import django; django.setup()"], _production_env(**overrides))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"environment variable {variable}" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"DATABASE_URL": None, "ALLOW_SQLITE_IN_PRODUCTION": "true"}, "django.db.backends.sqlite3"),
        ({"EMAIL_URL": None, "ALLOW_CONSOLE_EMAIL_IN_PRODUCTION": "true"}, "console.EmailBackend"),
    ],
)
def test_it_runs_on_sqlite_or_console_email_in_production_only_when_told_to(overrides, expected):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.EMAIL_BACKEND)"
    )
    result = _run(["-c", code], _production_env(**overrides))
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout


def test_it_trusts_as_many_proxies_as_configured():
    code = "import django; django.setup(); from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    assert _run(["-c", code], _production_env(TRUSTED_PROXY_COUNT=None)).stdout.split() == ["0"]
    assert _run(["-c", code], _production_env(TRUSTED_PROXY_COUNT="1")).stdout.split() == ["1"]


def test_it_names_the_way_out_when_sqlite_is_not_allowed():
    result = _run(["-c", "import django; django.setup()"], _production_env(DATABASE_URL=None))
    assert "ALLOW_SQLITE_IN_PRODUCTION" in result.stderr


def test_it_names_a_malformed_gunicorn_setting_when_gunicorn_starts():
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    env = _production_env(GUNICORN_THREADS="abc")
    result = subprocess.run(
        [gunicorn, "-c", "config/gunicorn.conf.py", "--check-config", "config.wsgi"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "The environment variable GUNICORN_THREADS must be a whole number" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_turns_on_https_settings_in_production():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.SESSION_ENGINE, "
        "s.DATABASES['default']['CONN_HEALTH_CHECKS'], s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = _run(["-c", code], _production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False", "True", "True", "True", "31536000",
        "('HTTP_X_FORWARDED_PROTO',", "'https')",
        "config.sessions", "True",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]  # fmt: skip


# --- Security headers --------------------------------------------------------------


def _main_pages(roadmap) -> list[str]:
    pages = ["/", reverse("roadmaps:catalogue"), roadmap.get_absolute_url()]
    for name in ("account_login", "account_signup"):  # once accounts are wired
        try:
            pages.append(reverse(name))
        except NoReverseMatch:
            pass
    return pages


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()}


def test_it_sends_the_security_headers_on_the_main_pages(client, roadmap):
    for page in _main_pages(roadmap):
        response = client.get(page)
        assert response.status_code == 200, page
        csp = _csp(response)
        assert csp["default-src"] == "'self'"
        assert csp["script-src"] == "'self'"
        assert csp["style-src"] == "'self'"
        assert csp["img-src"] == "'self' data:"
        assert csp["object-src"] == "'none'"
        assert csp["base-uri"] == "'none'"
        assert csp["frame-ancestors"] == "'none'"
        assert csp["form-action"].startswith("'self'")
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert response["Referrer-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"


def test_it_has_no_inline_scripts_or_styles_on_the_main_pages(client, roadmap):
    for page in _main_pages(roadmap):
        html = client.get(page).content.decode()
        assert "<script>" not in html and "style=" not in html and " onclick=" not in html, page


# --- Error pages --------------------------------------------------------------------


def test_it_shows_404_in_waymarks_layout(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert 'class="site-header"' in html
    assert "Content-Security-Policy" in response


def test_a_visit_to_a_form_address_gets_a_page_not_the_browsers_error(client, django_user_model):
    """Every write is POST-only: opening one's address (a bookmark, the
    history) answered an empty 405, which browsers show as their own error."""
    response = client.get("/theme/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    html = response.content.decode()
    assert "Nothing to see at this address" in html and 'class="site-header"' in html
    assert "Nothing was changed." in html and "Browse the roadmaps" in html

    client.force_login(django_user_model.objects.create_user(email="ada@example.com", password="x" * 20))
    assert "Go to your dashboard" in client.get("/progress/dashboard/state/").content.decode()

    # Only a GET is given the page: other methods keep Django's empty answer.
    for method in (client.put, client.delete, client.head):
        response = method("/theme/")
        assert response.status_code == 405 and response.content == b""


@pytest.mark.urls("tests.test_production")
def test_it_shows_500_without_the_traceback_and_logs_the_error(settings, caplog):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    errors = logging.getLogger("django.request")
    errors.addHandler(caplog.handler)
    try:
        response = client.get("/test-only/boom/")
    finally:
        errors.removeHandler(caplog.handler)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert 'class="site-header"' in html
    assert "kaboom" not in html and "Traceback" not in html
    logged = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    assert logged and "kaboom" in str(logged[0].exc_info[1])


def test_it_renders_the_500_page_with_the_database_down(django_assert_num_queries):
    from django.views.defaults import server_error

    with (
        mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError),
        django_assert_num_queries(0),
    ):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.urls("tests.test_production")
def test_it_shows_403_and_400_in_waymarks_layout(client, settings):
    settings.DEBUG = False
    forbidden = client.get("/test-only/forbidden/")
    assert forbidden.status_code == 403
    assert "You may not open this page" in forbidden.content.decode()
    bad = client.get("/test-only/bad/")
    assert bad.status_code == 400
    assert "Something about that request was wrong" in bad.content.decode()


def test_it_shows_the_csrf_failure_in_waymarks_layout(settings, roadmap):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("roadmaps:catalogue"))
    assert response.status_code == 403
    assert "That form could not be sent" in response.content.decode()


# --- Request log -------------------------------------------------------------------


@pytest.fixture
def request_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("waymark.request")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def test_it_logs_one_json_line_per_request_without_secrets(learner_client, request_log):
    learner_client.get("/roadmaps/?token=s3cr3t-t0ken&page=1")
    lines = request_log.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["logger"] == "waymark.request"
    assert entry["level"] == "INFO"
    assert entry["method"] == "GET"
    assert entry["path"] == "/roadmaps/"
    assert entry["status"] == 200
    assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] >= 0
    assert entry["message"].startswith("GET /roadmaps/ 200 ")
    session_id = learner_client.cookies["sessionid"].value
    assert "s3cr3t" not in lines[0] and session_id not in lines[0] and "sessionid" not in lines[0]


def test_it_logs_errors_at_error_level(client, request_log):
    with mock.patch("config.health.connection.cursor", side_effect=OperationalError):
        client.get("/readyz")
    entry = json.loads(request_log.getvalue())
    assert (entry["status"], entry["level"]) == (503, "ERROR")


def test_it_formats_exceptions_as_json():
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed %s", ("here",), sys.exc_info()
        )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "failed here"
    assert "ValueError: broken" in entry["exc_info"]


# --- Static files ------------------------------------------------------------------


def test_it_serves_hashed_static_files_with_far_future_cache_headers(settings, tmp_path):
    from whitenoise.middleware import WhiteNoiseMiddleware

    source = tmp_path / "src"
    (source / "css").mkdir(parents=True)
    (source / "css" / "site.css").write_text("body { color: black; }\n" * 50)
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    from django.templatetags.static import static

    url = static("css/site.css")
    assert url != "/static/css/site.css" and url.endswith(".css")  # hashed name
    middleware = WhiteNoiseMiddleware(lambda request: None)
    response = middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip"))
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"] and "immutable" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"
