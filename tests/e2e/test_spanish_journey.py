"""A journey in Spanish, JavaScript off: a Spanish browser gets the sign-in
page in Spanish, signs in, starts a study group, and switches to English in
the footer, which the account then keeps. And axe finds nothing on the
Spanish pages of a learner whose account says Spanish."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, describe_violations, session_cookie
from tests.factories import make_user

pytestmark = pytest.mark.e2e

PASSWORD = "journey-password-2026"


def test_a_spanish_learner_signs_in_starts_a_group_and_switches_language(new_context, site_url):
    user = make_user("ana@example.com", password=PASSWORD, display_name="Ana")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page = new_context(locale="es-ES", java_script_enabled=False, bypass_csp=True).new_page()

    page.goto(f"{site_url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Iniciar sesión")
    page.get_by_label("Correo electrónico").fill(user.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.locator("form.form--login").get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_text("Has iniciado sesión como")).to_be_visible()

    page.goto(f"{site_url}/groups/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Crear un grupo de estudio")
    page.get_by_role("button", name="Crear el grupo").click()  # no name: refused, in Spanish
    expect(page.locator(".form-errors")).to_contain_text("Nombre: Este campo es obligatorio.")
    page.get_by_label("Nombre").fill("Club de Rust")
    page.get_by_role("button", name="Crear el grupo").click()
    expect(page.get_by_text("Club de Rust está listo.")).to_be_visible()
    expect(page.get_by_role("heading", name="Miembros")).to_be_visible()

    page.get_by_label("Idioma").select_option("en")
    page.get_by_role("button", name="Cambiar idioma").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Members")).to_be_visible()  # back on the same page
    user.refresh_from_db()
    assert user.language == "en"  # saved: English from now on, whatever the browser says


def test_the_spanish_pages_have_no_axe_violations(new_context, site_url):
    from groups import services
    from groups.models import Visibility

    user = make_user("ana@example.com", password=PASSWORD, display_name="Ana", language="es")
    group = services.group_create(user=user, name="Club de Rust", members_see=Visibility.EVERYONE)
    context = new_context(locale="en-GB", bypass_csp=True)  # the account's Spanish wins once signed in
    page = context.new_page()
    paths = ["/accounts/login/", "/accounts/settings/", f"/groups/{group.pk}/", "/groups/new/"]
    for path in paths:
        if path == "/accounts/settings/":
            context.add_cookies([session_cookie(user, site_url)])
        page.goto(site_url + path)
        expected = "en" if path == "/accounts/login/" else "es"
        expect(page.locator("html")).to_have_attribute("lang", expected)
        violations = axe_violations(page)
        assert violations == [], f"{path}:\n{describe_violations(violations)}"
