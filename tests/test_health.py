"""/healthz answers without the database; /readyz checks database and cache.

A cache outage makes /readyz say "degraded" with 200: the app serves without
the cache (config/caching.py), and a 503 would take every app server out of
the load balancer at once for it. Both answer whatever Host the probe sends.
"""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_it_answers_healthz_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_healthz_even_when_the_database_is_down(client):
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError):
        response = client.get("/healthz")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_it_refuses_writes_to_health_checks(client, path):
    assert client.post(path).status_code == 405


def test_it_is_ready_when_database_and_cache_answer(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_it_names_the_database_when_it_is_down(client):
    with mock.patch("config.health.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"unavailable: database\n"


def test_it_stays_ready_but_degraded_when_the_cache_is_down(client):
    with mock.patch("config.health.cache.set", side_effect=ConnectionError("redis down")):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"degraded: cache\n"


def test_it_stays_ready_but_degraded_when_the_cache_loses_what_it_was_given(client):
    # What the production backend does while Redis is away: stores nothing.
    with mock.patch("config.health.cache.get", return_value=None):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"degraded: cache\n"


def test_it_stays_ready_but_degraded_with_redis_unreachable(client, settings):
    settings.CACHES = {"default": {"BACKEND": "config.caching.FailSoftRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    response = client.get("/readyz")
    assert (response.status_code, response.content) == (200, b"degraded: cache\n")


def test_it_names_both_when_both_are_down(client):
    with (
        mock.patch("config.health.connection.cursor", side_effect=OperationalError),
        mock.patch("config.health.cache.set", side_effect=ConnectionError),
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"unavailable: database; degraded: cache\n"


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_it_answers_probes_sent_to_the_servers_address(client, settings, path):
    """A load balancer probes each server by its IP; ALLOWED_HOSTS names the site."""
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["waymark.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(path, HTTP_HOST="10.0.0.11:8000")
    assert response.status_code == 200
    assert client.post(path, HTTP_HOST="10.0.0.11:8000").status_code == 405
    # Every other page still refuses a Host it does not know.
    assert client.get("/", HTTP_HOST="10.0.0.11:8000").status_code == 400
    assert client.get(path + "/", HTTP_HOST="10.0.0.11:8000").status_code == 400


def test_it_keeps_health_checks_on_plain_http_when_https_is_forced(client, settings):
    """Load balancers probe over HTTP; a redirect to HTTPS would read as down."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/").status_code == 301
