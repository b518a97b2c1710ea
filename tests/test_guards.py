"""Guard tests: migrations match the models; argument-less URLs answer 200."""

import re
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db


def test_it_has_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


def _argless_public_paths(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("admin/"):
                continue
            # allauth's flow steps (2fa/authenticate, login/code/confirm…)
            # redirect away when no flow is pending; tests/test_accounts_*.py
            # walk those flows end to end instead.
            if getattr(pattern.urlconf_module, "__name__", "") == "allauth.urls":
                continue
            yield from _argless_public_paths(pattern, route)
        elif isinstance(pattern, URLPattern) and "<" not in route and "(" not in route and "^" not in route:
            yield "/" + route


PUBLIC_PATHS = sorted(set(_argless_public_paths()))


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_it_serves_every_argumentless_url(client, learner, roadmap, path):
    """Every URL without arguments answers 200, or redirects to sign-in when
    it is private; it must never fail with an error."""
    response = client.get(path)
    if response.status_code == 302:
        client.force_login(learner)
        response = client.get(path)
    assert response.status_code in (200, 405), f"{path} answered {response.status_code}"


def test_it_puts_only_page_classes_on_the_body():
    """`page--narrow` is for an element inside the page; on <body> it shrinks
    the whole layout, header and footer too, to a reading width at the left
    (the study log form looked like that). <body> takes `page-narrow`."""
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if re.search(r"{% block body_class %}[^{]*\bpage--narrow\b", path.read_text())
    ]
    assert offenders == []


def _learner_rows_fingerprint() -> dict:
    from django.apps import apps

    models = [apps.get_model("accounts", "User")]
    for label in ("progress", "retrospectives"):
        models += [model for model in apps.get_app_config(label).get_models() if not model._meta.proxy]
    return {model._meta.label: list(model.objects.order_by("pk").values_list()) for model in models}


def test_it_never_writes_learner_data_on_a_get(client, learner, roadmap):
    """Every learner write is a POST (behind CSRF and `@require_POST`): a GET
    that wrote learner data could be triggered by a link or a prefetch, and
    would be repeated by every reload."""
    from progress.models import StudyEntry
    from tests.progress_helpers import make_enrolment

    enrolment = make_enrolment(learner, roadmap, start_date=date.today() - timedelta(weeks=5))
    StudyEntry.objects.create(user=learner, enrolment=enrolment, date=date.today(), minutes=30)
    client.force_login(learner)
    paths = PUBLIC_PATHS + [
        f"/progress/{enrolment.pk}/", f"/progress/{enrolment.pk}/sharing/", f"/progress/{enrolment.pk}/metrics/",
        f"/retrospectives/{enrolment.pk}/", f"/retrospectives/{enrolment.pk}/1/", f"/retrospectives/{enrolment.pk}/2/",
        roadmap.get_absolute_url(),
    ]
    before = _learner_rows_fingerprint()
    for path in paths:
        client.get(path)
    assert _learner_rows_fingerprint() == before
