"""Staff must turn on two-factor authentication before any admin page, also
when the request carries a SCRIPT_NAME (gunicorn takes it from a header from
127.0.0.1 by default) and when Waymark is deployed under a sub-path.

With SCRIPT_NAME "/x" gunicorn strips the prefix: PATH_INFO is "/admin/",
request.path "/x/admin/", and the URL resolver routes on PATH_INFO. A check on
request.path let staff without MFA into the admin.
"""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import get_script_prefix, set_script_prefix

from tests.factories import make_roadmap

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/roadmaps/roadmap/import/"


@pytest.fixture(autouse=True)
def _production_mfa(settings):
    settings.WAYMARK_REQUIRE_STAFF_MFA = True


@pytest.fixture
def script_prefix():
    """What Django's WSGIHandler does per request (the test client does not):
    the script prefix follows SCRIPT_NAME, so reverse() and redirect() build
    "/x/..." URLs. Restored afterwards: it is per thread, not per test."""
    before = get_script_prefix()
    set_script_prefix("/x/")
    yield "/x"
    set_script_prefix(before)


def _admin_pages(roadmap) -> list[str]:
    return ["/admin/", f"/admin/roadmaps/roadmap/{roadmap.pk}/change/", IMPORT_URL]


def test_it_sends_staff_without_mfa_to_the_mfa_page_with_a_script_name(editor_client, script_prefix):
    roadmap = make_roadmap()
    for path in _admin_pages(roadmap):
        response = editor_client.get(path, SCRIPT_NAME=script_prefix)
        assert response.wsgi_request.path == f"{script_prefix}{path}"  # the request gunicorn hands over
        assert response.wsgi_request.path_info == path
        assert response.status_code == 302, path
        assert response["Location"] == f"{script_prefix}/accounts/2fa/", path


def test_it_sends_staff_without_mfa_to_the_mfa_page_under_a_sub_path(editor_client, settings, script_prefix):
    settings.FORCE_SCRIPT_NAME = script_prefix  # a deployment at https://host/x/
    roadmap = make_roadmap()
    for path in _admin_pages(roadmap):
        response = editor_client.get(path)
        assert response.wsgi_request.path == f"{script_prefix}{path}"
        assert response.status_code == 302, path
        assert response["Location"] == f"{script_prefix}/accounts/2fa/", path


def test_it_refuses_a_post_to_the_import_page_from_staff_without_mfa(editor_client, script_prefix):
    response = editor_client.post(IMPORT_URL, {}, SCRIPT_NAME=script_prefix)
    assert response.status_code == 302
    assert response["Location"] == f"{script_prefix}/accounts/2fa/"


def test_it_lets_staff_with_mfa_into_the_admin_with_a_script_name(editor_client, editor, script_prefix):
    Authenticator.objects.create(user=editor, type=Authenticator.Type.TOTP, data={"secret": "x"})
    roadmap = make_roadmap()
    for path in _admin_pages(roadmap):
        assert editor_client.get(path, SCRIPT_NAME=script_prefix).status_code == 200, path


def test_it_leaves_the_rest_of_the_site_open_to_staff_without_mfa(editor_client, script_prefix):
    response = editor_client.get("/", SCRIPT_NAME=script_prefix)
    assert response.status_code == 200
    assert editor_client.get("/dashboard/", SCRIPT_NAME=script_prefix).status_code == 200


def test_it_does_not_redirect_a_learner_to_the_mfa_page(learner_client, script_prefix):
    response = learner_client.get("/admin/", SCRIPT_NAME=script_prefix)
    assert response.status_code == 302
    assert "/2fa/" not in response["Location"]
