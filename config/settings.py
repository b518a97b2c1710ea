"""Waymark settings: one file, driven by environment variables.

Local development needs no variables at all (SQLite, console email, local
memory cache). With WAYMARK_ENV=production the variables that must not fall
back to a development default are required, and a missing or malformed one
stops start-up with a message naming it. `.env.example` lists every variable.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config import browser_policies
from config.env import check_url, env_bool, env_int, env_list, env_str
from config.logging import logging_config
from config.release import git_commit

BASE_DIR = Path(__file__).resolve().parent.parent

WAYMARK_ENV = env_str("WAYMARK_ENV", "development")
if WAYMARK_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"The environment variable WAYMARK_ENV must be 'development' or 'production', got {WAYMARK_ENV!r}."
    )
PRODUCTION = WAYMARK_ENV == "production"

# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DEBUG", default=not PRODUCTION)

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "The environment variable SECRET_KEY must be at least 50 random characters."
        )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", required=True)
else:
    SECRET_KEY = env_str("SECRET_KEY", "django-insecure-local-development-key-never-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
for _origin in CSRF_TRUSTED_ORIGINS:
    # Without a scheme Django would only say so in `manage.py check`, and every
    # form post from that origin would fail with a 403 instead.
    check_url("CSRF_TRUSTED_ORIGINS", _origin, schemes={"http", "https"}, example="https://waymark.example.com")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's own widget templates, found through TEMPLATES (FORM_RENDERER).
    "django.forms",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # A row per signed-in session (created at sign-in), so that deleting an
    # account can end all of that user's sessions without scanning the
    # session table. Without USERSESSIONS_TRACK_ACTIVITY (off: it would write
    # on every request) its middleware is not needed.
    "allauth.usersessions",
    "allauth.socialaccount",
    "django_htmx",
    "accounts",
    "roadmaps",
    "progress",
    "retrospectives",
    "groups",
    "reviews",
    # Background work: every email goes through the task queue (notifications.outbox).
    "django_tasks",
    "django_tasks_db",
    "notifications",
]

MIDDLEWARE = [
    "config.middleware.RequestLogMiddleware",  # first: times everything, logs the final status
    # /healthz and /readyz, before anything reads the Host (ALLOWED_HOSTS).
    "config.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (a learner's roadmap page: 167 kB -> ~20 kB); below
    # whitenoise, which serves its own pre-compressed static files. Django's
    # gzip pads each response randomly (Heal The Breach) and CSRF tokens are
    # masked per response, the BREACH mitigations.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before common (Django's order): Accept-Language and the
    # footer's cookie.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in learner's saved language, over LocaleMiddleware's choice.
    "accounts.middleware.UserLanguageMiddleware",
    "config.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.StaffMFAMiddleware",
    # Inside sessions and auth: keeps a signed-out POST's text for after sign-in.
    "config.form_rescue.PendingPostMiddleware",
    # A page, not the browser's error screen, for a GET of a POST-only address.
    "config.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "config.urls"
# "Form expired" gives the learner's text back, with a fresh token.
CSRF_FAILURE_VIEW = "config.form_rescue.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.ui.theme",
                "config.form_rescue.pending_post",
            ],
        },
    },
]

# Widgets render through TEMPLATES, so that a widget may use a template of
# templates/forms/ (the time zone select's, see accounts/forms.py).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database ---------------------------------------------------------------
# SQLite when DATABASE_URL is unset; PostgreSQL (psycopg 3) when it points there.

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL,
                conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
                conn_health_checks=True,
            )
        }
    except ValueError as error:
        raise ImproperlyConfigured(f"The environment variable DATABASE_URL is malformed: {error}") from None
    if DATABASES["default"]["ENGINE"] not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        # Not "Error loading MySQLdb module" at the first query: Waymark runs on these two only.
        raise ImproperlyConfigured(
            "The environment variable DATABASE_URL must be a postgres://user:password@host:5432/name URL "
            f"(or sqlite:///path), got one for {DATABASES['default']['ENGINE']!r}."
        )
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Fail fast when PostgreSQL is down (readiness checks, requests) instead
        # of hanging a worker thread for the OS's TCP timeout.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5, minimum=1)
        )
else:
    if PRODUCTION and not env_bool("ALLOW_SQLITE_IN_PRODUCTION", False):
        # A forgotten DATABASE_URL must not quietly start a fresh, empty SQLite
        # database next to the code.
        raise ImproperlyConfigured(
            "The environment variable DATABASE_URL must be set in production (postgres://…); "
            "to run on SQLite on purpose, set ALLOW_SQLITE_IN_PRODUCTION=true."
        )
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
# Local memory by default; Redis when REDIS_URL is set, so that several app
# servers share sessions, rate limits and cached roadmap content.
#
# Every key is prefixed with a salt of this deployment and release, so two
# deployments sharing one Redis (staging and production, two tenants), or a
# database restored next to cache entries of the state it replaced, never
# read each other's entries. CACHE_KEY_SALT defaults to a digest of
# SECRET_KEY and the database's identity, which differ between deployments;
# WAYMARK_RELEASE (default: the checkout's commit) starts every release on
# fresh keys, so a new release never unpickles an old one's entries. A new
# release therefore also starts with empty rate-limit counters and re-reads
# sessions from the database (cached_db keeps them there).

_DATABASE_IDENTITY = DATABASE_URL or DATABASES["default"]["NAME"]
CACHE_KEY_SALT = env_str(
    "CACHE_KEY_SALT",
    hashlib.sha256(f"{SECRET_KEY}\0{_DATABASE_IDENTITY}".encode()).hexdigest()[:12],
)
WAYMARK_RELEASE = env_str("WAYMARK_RELEASE") or git_commit(BASE_DIR) or "dev"
_CACHE_KEY_PREFIX = f"waymark:{CACHE_KEY_SALT}:{WAYMARK_RELEASE}"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # redis-py would accept "notaurl" here and fail at the first cache use.
    check_url("REDIS_URL", REDIS_URL, schemes={"redis", "rediss", "unix"}, example="redis://host:6379/0")
    CACHES = {
        "default": {
            # RedisCache that answers as an empty cache while Redis is away:
            # an outage costs speed, never a page (config/caching.py).
            "BACKEND": "config.caching.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _CACHE_KEY_PREFIX,
            # A stalled Redis must not stall every worker thread with it.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": _CACHE_KEY_PREFIX}
    }

# --- Auth -------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
# Where sign-in lands: the learner's dashboard.
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# django-allauth: email is the login, verified before first sign-in.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Same forms, worded in Waymark's sentence case ("Keep me signed in", "New password").
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    # Hashes the password for a known address too (no timing tells accounts apart).
    "signup": "accounts.forms.SignupForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirming signs the new learner in, but only in the browser that signed up
# (allauth checks the pending sign-in in the session); elsewhere the link goes
# to sign-in and keeps `next` (accounts.adapter.get_email_confirmation_url).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# Security notices (password or email changed, two-factor on/off) by email.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = LOGOUT_REDIRECT_URL
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Waymark] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Failed sign-ins allowed per email address within the window; the next one
# answers 429 (see accounts.adapter). Limits are kept in the cache, so they
# hold across app servers once REDIS_URL is set.
ACCOUNT_FAILED_LOGIN_LIMIT = env_int("ACCOUNT_FAILED_LOGIN_LIMIT", 5, minimum=1)
ACCOUNT_FAILED_LOGIN_WINDOW_SECONDS = env_int("ACCOUNT_FAILED_LOGIN_WINDOW_SECONDS", 300, minimum=1)
# Reverse proxies in front of the app servers that append the client's
# address to X-Forwarded-For (deploy/nginx.conf: one). allauth reads the
# client's address from that entry for the per-IP limits below; with 0 the
# header is ignored (a client could forge it) and every client behind a proxy
# counts as the proxy, so one client's failed sign-ins would lock out all.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": f"20/m/ip,{ACCOUNT_FAILED_LOGIN_LIMIT}/{ACCOUNT_FAILED_LOGIN_WINDOW_SECONDS}s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "confirm_email": "1/3m/key",
}

MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Waymark"
# Staff (editors) must set up two-factor authentication before they may use
# the admin. On in production; off locally so the demo editor works at once.
WAYMARK_REQUIRE_STAFF_MFA = env_bool("WAYMARK_REQUIRE_STAFF_MFA", PRODUCTION)

# GitHub sign-in appears only when both credentials are configured.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
GITHUB_CLIENT_ID = env_str("GITHUB_CLIENT_ID")
GITHUB_CLIENT_SECRET = env_str("GITHUB_CLIENT_SECRET")
SOCIALACCOUNT_PROVIDERS: dict = {}
if GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET:
    # Installed only when configured: its URLs would fail without credentials.
    INSTALLED_APPS.insert(INSTALLED_APPS.index("allauth.socialaccount") + 1, "allauth.socialaccount.providers.github")
    SOCIALACCOUNT_PROVIDERS["github"] = {
        "APPS": [{"client_id": GITHUB_CLIENT_ID, "secret": GITHUB_CLIENT_SECRET, "key": ""}],
        "SCOPE": ["user:email"],
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Email ------------------------------------------------------------------
# The console backend prints messages in the `make run` output; setting
# EMAIL_URL (smtp://user:password@host:587, smtps://… for implicit TLS) or
# EMAIL_HOST switches to SMTP.

EMAIL_URL = env_str("EMAIL_URL")
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_URL:
    _email = urlsplit(EMAIL_URL)
    if _email.scheme not in {"smtp", "smtps"} or not _email.hostname:
        raise ImproperlyConfigured(
            "The environment variable EMAIL_URL must look like smtp://user:password@host:587 or smtps://…"
        )
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 587)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = not EMAIL_USE_SSL and env_bool("EMAIL_USE_TLS", True)
elif EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    if PRODUCTION and not env_bool("ALLOW_CONSOLE_EMAIL_IN_PRODUCTION", False):
        # The console backend would print password-reset links and sign-in
        # codes into the production log, and deliver nothing.
        raise ImproperlyConfigured(
            "The environment variable EMAIL_URL (or EMAIL_HOST) must be set in production; "
            "to print emails to the log on purpose, set ALLOW_CONSOLE_EMAIL_IN_PRODUCTION=true."
        )
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Waymark <noreply@waymark.local>")
# The site's public base URL, for links in emails sent outside a request
# (retrospective reminders from cron).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
check_url("SITE_URL", SITE_URL, schemes={"http", "https"}, example="https://waymark.example.com")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds to wait for the SMTP server: a stalled one fails the attempt (and
# the queue retries it later) instead of holding a worker indefinitely.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)

# --- Background tasks -------------------------------------------------------
# Every email is sent by a worker (`manage.py db_worker`; `make run` starts
# one beside gunicorn) from the task table in the same database: no broker
# to run, and on PostgreSQL any number of workers on any number of machines
# share the queue (each task is claimed with SELECT … FOR UPDATE SKIP LOCKED).
# TASK_BACKEND=immediate runs tasks inside the request instead (no worker
# needed; a slow SMTP server slows the page again): `make dev` uses it.

TASK_BACKEND = env_str("TASK_BACKEND", "database")
if TASK_BACKEND not in {"database", "immediate"}:
    raise ImproperlyConfigured(
        f"The environment variable TASK_BACKEND must be 'database' or 'immediate', got {TASK_BACKEND!r}."
    )
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASK_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}

# --- Gunicorn's variables ----------------------------------------------------
# Read by config/gunicorn.conf.py, checked here too: gunicorn itself reads
# WEB_CONCURRENCY before its config file runs and stops on a bad value with a
# bare traceback, so `manage.py check` and `make release` (run before the app
# servers start) name the variable first.
for _name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_GRACEFUL_TIMEOUT", "PORT"):
    env_int(_name, 1, minimum=1)

# --- Internationalisation ---------------------------------------------------

# English is the source; Spanish ships complete (locale/es). A visitor gets
# the language of their browser's Accept-Language, or the one they chose in
# the footer (a cookie); a signed-in learner's account language wins over
# both once set (accounts.middleware.UserLanguageMiddleware).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
# Each language's way of writing a day: see config/formats/.
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# The footer's choice (django.views.i18n.set_language), kept for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files -----------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Waymark ----------------------------------------------------------------

# The largest roadmap file the importer reads (bytes).
ROADMAP_IMPORT_MAX_BYTES = env_int("ROADMAP_IMPORT_MAX_BYTES", 1_000_000, minimum=1_000)
# Catalogue page size.
CATALOGUE_PAGE_SIZE = 12

# --- Logging ----------------------------------------------------------------

# Everything to stdout (the process manager or container runtime collects it);
# LOG_FORMAT=json writes one JSON object per line. See config/logging.py.

LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"The environment variable LOG_FORMAT must be 'text' or 'json', got {LOG_FORMAT!r}.")
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"The environment variable LOG_LEVEL must be a logging level name, got {LOG_LEVEL!r}.")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)

# --- Production: HTTPS behind a proxy, security headers, sessions (issue 6) --
# Secure by default when WAYMARK_ENV=production; every switch can be overridden.

# TLS ends at the reverse proxy, which says so in a header, e.g.
# "X-Forwarded-Proto: https". Only set it when the proxy always sets (and
# overwrites) that header, or clients could claim HTTPS themselves.
_proxy_ssl_header = env_str("SECURE_PROXY_SSL_HEADER")
if _proxy_ssl_header:
    _name, _sep, _value = _proxy_ssl_header.partition(":")
    if not _sep or not _name.strip() or not _value.strip():
        raise ImproperlyConfigured(
            "The environment variable SECURE_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https', "
            f"got {_proxy_ssl_header!r}."
        )
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _name.strip().upper().replace("-", "_"), _value.strip())
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
# Load balancers probe over plain HTTP; a redirect would read as "unhealthy".
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Permissions-Policy and Content-Security-Policy: config/browser_policies.py.
PERMISSIONS_POLICY = browser_policies.PERMISSIONS_POLICY
CONTENT_SECURITY_POLICY = browser_policies.CONTENT_SECURITY_POLICY

# Sessions live in the database; with Redis they are read through the shared
# cache (cached_db, made outage-proof in config/sessions.py) so every app
# server sees them and a Redis flush or outage loses none.
# Not with the per-process local-memory cache: workers would read stale copies.
if REDIS_URL:
    SESSION_ENGINE = "config.sessions"
