"""Who owns a learner's row is not editable in the admin.

Staff could change Enrolment.user and so move a learner's private notes,
study log and retrospectives to another account; the same held for allauth's
email addresses, authenticators, GitHub links and sessions. The guard test
walks every registered admin; the others post a change form naming another
user, as a crafted request would, and check that nothing moved.
"""

from __future__ import annotations

from datetime import date

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from progress.models import ItemProgress
from retrospectives.models import Retrospective
from tests.factories import make_user
from tests.progress_helpers import make_enrolment, roadmap_items
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db

# Foreign keys to a user that record who wrote shared content, not whose
# private row it is: editors author roadmaps.
AUTHORSHIP = {("roadmaps.Roadmap", "created_by")}


def _user_fks(model) -> list[models.ForeignKey]:
    return [
        field
        for field in model._meta.concrete_model._meta.fields
        if field.many_to_one or field.one_to_one
        if field.related_model is not None
        if (field.model._meta.concrete_model._meta.label, field.name) not in AUTHORSHIP
    ]


def _learner_owned_models() -> set[type[models.Model]]:
    """Models with a foreign key to a user, and, transitively, models with a
    foreign key to one of those (an item's progress belongs to the
    enrolment's learner)."""
    user_model = settings.AUTH_USER_MODEL.lower()
    owned: set = set()
    changed = True
    while changed:
        changed = False
        for model in admin.site._registry:
            concrete = model._meta.concrete_model
            if concrete in owned:
                continue
            for field in _user_fks(concrete):
                target = field.related_model._meta.concrete_model
                if target._meta.label_lower == user_model or target in owned:
                    owned.add(concrete)
                    changed = True
                    break
    return owned


def owner_fields(model) -> list[str]:
    owned = _learner_owned_models()
    user_model = settings.AUTH_USER_MODEL.lower()
    return [
        field.name
        for field in _user_fks(model)
        if field.related_model._meta.label_lower == user_model
        or field.related_model._meta.concrete_model in owned
    ]


@pytest.fixture
def superuser(db):
    return make_user("root@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def root_client(client, superuser):
    client.force_login(superuser)
    return client


def test_it_knows_the_learner_owned_models():
    """The guard below only guards what it finds: these must be among them."""
    owned = {model._meta.label for model in _learner_owned_models()}
    assert {"progress.Enrolment", "progress.ItemProgress", "retrospectives.Retrospective"} <= owned
    assert {"account.EmailAddress", "mfa.Authenticator", "socialaccount.SocialAccount"} <= owned
    assert "roadmaps.Roadmap" not in owned


def test_it_never_lets_the_admin_change_an_owner(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    editable = []
    for model, model_admin in admin.site._registry.items():
        fields = owner_fields(model)
        if not fields:
            continue
        obj = model()  # a change form: any existing row
        if model_admin.has_change_permission(request, obj):
            form_fields = model_admin.get_form(request, obj, change=True).base_fields
            editable += [f"{model._meta.label}.{name}" for name in fields if name in form_fields]
        for inline in model_admin.get_inline_instances(request, obj):
            if not inline.has_change_permission(request, obj):
                continue
            inline_fields = inline.get_formset(request, obj).form.base_fields
            editable += [
                f"{model._meta.label} inline {inline.model._meta.label}.{name}"
                for name in owner_fields(inline.model)
                if name in inline_fields
            ]
    assert editable == []


def test_it_still_lets_staff_choose_the_owner_when_adding_an_email_address(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry[EmailAddress]
    assert model_admin.has_add_permission(request)
    assert "user" in model_admin.get_form(request, None, change=False).base_fields


def _post_change(client, model, obj, **changes):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    data = form_data(client.get(url), f"{model._meta.model_name}_form")
    data.update({name: str(value) for name, value in changes.items()})
    return client.post(url, data)


def test_it_does_not_move_an_enrolment_to_another_learner(root_client, learner, other_learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    response = _post_change(root_client, type(enrolment), enrolment, user=other_learner.pk, hours_per_week=7)
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.user == learner
    assert enrolment.hours_per_week == 7  # the rest of the form still saves


def test_it_does_not_move_an_items_progress_to_another_enrolment(root_client, learner, other_learner, roadmap):
    mine, theirs = make_enrolment(learner, roadmap), make_enrolment(other_learner, roadmap)
    first, second = roadmap_items(roadmap)[:2]
    row = ItemProgress.objects.create(enrolment=mine, item=first, state="done", note="private")
    response = _post_change(root_client, ItemProgress, row, enrolment=theirs.pk, item=second.pk)
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.enrolment, row.item, row.note) == (mine, first, "private")


def test_it_does_not_move_a_retrospective(root_client, learner, other_learner, roadmap):
    mine, theirs = make_enrolment(learner, roadmap), make_enrolment(other_learner, roadmap)
    retro = Retrospective.objects.create(
        enrolment=mine, cycle_start=mine.start_date, period_index=0,
        period_start=date(2026, 1, 1), period_end=date(2026, 1, 14),
    )  # fmt: skip
    url = reverse("admin:retrospectives_retrospective_change", args=[retro.pk])
    response = root_client.post(url, {"enrolment": theirs.pk, "period_index": 0})
    assert response.status_code == 403
    retro.refresh_from_db()
    assert retro.enrolment == mine


@pytest.mark.parametrize("kind", ["email", "authenticator", "social", "session"])
def test_it_does_not_move_a_sign_in_to_another_account(root_client, learner, other_learner, kind):
    if kind == "email":
        row = EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    elif kind == "authenticator":
        row = Authenticator.objects.create(user=learner, type=Authenticator.Type.TOTP, data={"secret": "s3cret"})
    elif kind == "social":
        row = SocialAccount.objects.create(user=learner, provider="github", uid="1234")
    else:
        row = UserSession.objects.create(user=learner, ip="127.0.0.1", session_key="k" * 32, user_agent="test")
    response = _post_change(root_client, type(row), row, user=other_learner.pk)
    # An email address stays editable (verified, primary); the others are view
    # and delete only.
    assert response.status_code == (302 if kind == "email" else 403)
    row.refresh_from_db()
    assert row.user == learner


def test_it_shows_no_totp_secret_or_session_key(root_client, learner):
    authenticator = Authenticator.objects.create(
        user=learner, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    session = UserSession.objects.create(user=learner, ip="127.0.0.1", session_key="s" * 32, user_agent="test")
    page = root_client.get(reverse("admin:mfa_authenticator_change", args=[authenticator.pk]))
    assert page.status_code == 200 and b"JBSWY3DPEHPK3PXP" not in page.content
    page = root_client.get(reverse("admin:usersessions_usersession_change", args=[session.pk]))
    assert page.status_code == 200 and b"s" * 32 not in page.content
