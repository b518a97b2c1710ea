"""The pages' shared frame in Spanish (header, footer, skip link, pagination,
the kept-form notice, the theme), the plan page, the admin's learner
statistics, and Django's own form errors in Waymark's voice: "tú", where
Django's Spanish says "usted" (config/django_strings.py)."""

from __future__ import annotations

import pytest
from django import forms
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from config.form_rescue import RescuedForm
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment

pytestmark = pytest.mark.django_db

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9,en;q=0.5"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}

FRAME_ES = (
    '<a class="skip-link" href="#main">Saltar al contenido</a>',
    '<nav class="site-nav" aria-label="Principal">',
    ">Hojas de ruta</a>",
    ">Iniciar sesión</a>",
    ">Crear cuenta</a>",
    ">Tema oscuro</button>",
    ">Tema claro</button>",
    "<p>Waymark: planifica el camino, marca tus pasos.</p>",
    ">Todas las hojas de ruta</a>",
    '<a href="#main">Volver arriba</a>',
)
FRAME_EN = (
    '<a class="skip-link" href="#main">Skip to content</a>',
    '<nav class="site-nav" aria-label="Main">',
    ">Roadmaps</a>",
    ">Sign in</a>",
    ">Sign up</a>",
    ">Dark theme</button>",
    ">Light theme</button>",
    "<p>Waymark — plan the journey, mark the way.</p>",
    ">All roadmaps</a>",
    '<a href="#main">Back to top</a>',
)


# --- The frame every page shares ------------------------------------------------------


def test_it_shows_a_visitor_the_frame_in_spanish(client):
    page = client.get(reverse("roadmaps:catalogue"), **SPANISH).content.decode()
    for text in FRAME_ES:
        assert text in page, text
    for text in FRAME_EN:
        assert text not in page, text


def test_it_keeps_the_frame_in_english_for_an_english_browser(client):
    page = client.get(reverse("roadmaps:catalogue"), **ENGLISH).content.decode()
    for text in FRAME_EN:
        assert text in page, text
    for text in FRAME_ES:
        assert text not in page, text


def test_it_shows_the_signed_in_header_in_spanish(client):
    client.force_login(make_user("ana@example.com", language="es"))
    client.cookies["theme"] = "dark"
    page = client.get(reverse("roadmaps:catalogue")).content.decode()
    for text in (">Panel</a>", ">Grupos de estudio</a>", ">Cuenta</a>", ">Cerrar sesión</button>",
                 ">Tema del sistema</button>"):
        assert text in page, text
    assert "Sign out" not in page and "System theme" not in page


def test_it_paginates_in_spanish_and_in_english():
    page = Paginator(range(30), 10).page(2)
    with translation.override("es"):
        html = render_to_string("includes/pagination.html", {"page": page, "querystring": ""})
    assert 'aria-label="Páginas"' in html
    assert "← Anterior</a>" in html and "Página 2 de 3" in html and "Siguiente →</a>" in html
    with translation.override("en"):
        html = render_to_string("includes/pagination.html", {"page": page, "querystring": ""})
    assert "← Previous</a>" in html and "Page 2 of 3" in html and "Next →</a>" in html


def test_it_gives_back_a_kept_form_in_spanish():
    request = RequestFactory().get("/")
    kept = [RescuedForm("/progress/log/add/", [("note", "Capítulo 3 leído")])]
    with translation.override("es"):
        html = render_to_string("includes/pending_post.html", {"pending_posts": kept}, request=request)
    assert "Se cerró tu sesión antes de enviar esto" in html
    assert ">Enviarlo ahora</button>" in html and ">Descartar</button>" in html
    assert "Capítulo 3 leído" in html and "Send it now" not in html


def test_it_refuses_an_unknown_theme_in_the_visitors_language(client):
    response = client.post(reverse("set_theme"), {"theme": "purple", "next": "/"}, **SPANISH)
    assert response.status_code == 400
    assert response.content.decode() == "Tema desconocido."
    assert "theme" not in response.cookies
    response = client.post(reverse("set_theme"), {"theme": "purple", "next": "/"}, **ENGLISH)
    assert response.content.decode() == "Unknown theme."


# --- The plan page and the admin's learner statistics ----------------------------------


def test_it_shows_the_plan_page_in_spanish(client):
    user = make_user("ana@example.com", language="es")
    enrolment = make_enrolment(user, make_roadmap(title="Backend básico"), hours_per_week=6)
    client.force_login(user)
    page = client.get(reverse("progress:plan", args=[enrolment.pk])).content.decode()
    for text in (
        "<title>Tu plan: Backend básico · Waymark</title>", "Dónde estás", "Etapas", "Semanas previstas",
        "Las próximas semanas", "Tus hitos", "Ritmo e inscripción", ">Pausar</button>",
        "Cambiar la fecha de inicio…", "Empezar de nuevo…",
        '<span id="roadmap-progress-label">Progreso en Backend básico</span>',
        "en los últimos 7 días, así que aún no hay previsión",
        # base.html's own description: the plan page sets none.
        '<meta name="description" content="Planifica y sigue un largo camino de autoaprendizaje con hojas de ruta.">',
    ):
        assert text in page, text
    for text in ("Where you stand", "The weeks ahead", "Pace and enrolment", "Planned weeks", "Start again…"):
        assert text not in page, text


def test_it_shows_editors_the_learner_statistics_in_spanish(editor_client, learner, roadmap):
    make_enrolment(learner, roadmap)
    page = editor_client.get(
        reverse("admin:progress_roadmaplearnerstats_change", args=[roadmap.pk]), **SPANISH
    ).content.decode()
    assert "Inscripciones: 1 activa." in page
    assert "<th scope=\"col\">Estudiantes que registraron tiempo</th>" in page
    assert f">Estadísticas de estudiantes</a> › {roadmap.title}</div>" in page  # the breadcrumb
    assert "Median hours" not in page and "1 active" not in page


# --- Django's own form errors in "tú" ----------------------------------------------------


def test_it_says_a_date_is_wrong_in_tu_not_usted(client):
    user = make_user("ana@example.com")
    enrolment = make_enrolment(user, make_roadmap())
    client.force_login(user)
    url = reverse("progress:change_start", args=[enrolment.pk])
    page = client.post(url, {"start_date": "el martes"}, **SPANISH).content.decode()
    assert "Escribe una fecha válida." in page
    assert "Introduzca" not in page
    page = client.post(url, {"start_date": "el martes"}, **ENGLISH).content.decode()
    assert "Enter a valid date." in page


def test_it_counts_in_djangos_plural_messages_with_our_catalogue():
    # Django's Spanish has three plural forms, ours two: each catalogue keeps
    # its own rule, and ours answers first.
    class Short(forms.Form):
        one = forms.CharField(max_length=1)
        three = forms.CharField(max_length=3)
        hours = forms.DecimalField(decimal_places=1)

    with translation.override("es"):
        form = Short({"one": "ab", "three": "abcdef", "hours": "1.25"})
        assert not form.is_valid()
        assert form.errors["one"] == ["Escribe como máximo 1 carácter (ahora hay 2)."]
        assert form.errors["three"] == ["Escribe como máximo 3 caracteres (ahora hay 6)."]
        assert form.errors["hours"] == ["Usa como máximo 1 decimal."]


# --- The two-factor security notices ---------------------------------------------------


def test_it_sends_the_two_factor_notices_in_the_language_of_the_page(settings):
    from allauth.account.adapter import get_adapter
    from allauth.account.models import EmailAddress
    from allauth.core.context import request_context
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = make_user("ana@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5", HTTP_USER_AGENT="Firefox")
    for language in ("es", "en"):
        with request_context(request), translation.override(language):
            get_adapter(request).send_notification_mail("mfa/email/totp_activated", user)
    spanish, english = mail.outbox
    assert spanish.subject.endswith("La verificación en dos pasos está activada")
    assert "se te pedirá un código de esa app" in spanish.body and "From now on" not in spanish.body
    assert english.subject.endswith("Two-factor authentication is on")
    assert "From now on, signing in asks for a code from that app." in english.body


# --- What the time-zone script writes -------------------------------------------------


def test_it_gives_the_time_zone_script_its_line_in_the_pages_language(client):
    spanish = client.get(reverse("account_signup"), **SPANISH).content.decode()
    assert 'data-browser-time-zone="Tomada de tu navegador: {zone}."' in spanish
    english = client.get(reverse("account_signup"), **ENGLISH).content.decode()
    assert 'data-browser-time-zone="Filled in from your browser: {zone}."' in english


def test_it_states_the_password_rules_in_tu_not_usted(client):
    page = client.get(reverse("account_signup"), **SPANISH).content.decode()
    assert "Tu contraseña debe tener al menos 8 caracteres." in page
    assert "Tu contraseña no puede tener solo números." in page
    assert "Su contraseña" not in page
