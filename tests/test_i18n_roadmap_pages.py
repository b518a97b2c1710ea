"""The roadmap pages in Spanish: the home page, the catalogue, a roadmap's page
(for a visitor and for an enrolled learner) and the admin's YAML import, to a
Spanish browser. Each test checks a few real Spanish strings and that the
English labels they replace are gone (the catalogue itself: tests/test_i18n.py;
cached sections per language: tests/test_i18n_cache.py)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_full_roadmap, make_roadmap
from tests.progress_helpers import make_enrolment

pytestmark = pytest.mark.django_db

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}
IMPORT_URL = "/admin/roadmaps/roadmap/import/"


def _page(client, url: str, **data) -> str:
    response = client.get(url, data, **SPANISH)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="es"' in page
    return page


def _assert_all_in(page: str, texts) -> None:
    for text in texts:
        assert text in page, text


def _assert_none_in(page: str, texts) -> None:
    for text in texts:
        assert text not in page, text


def test_it_shows_the_home_page_in_spanish(client):
    make_roadmap(featured=True)
    page = _page(client, reverse("home"))
    _assert_all_in(page, (
        "<title>Hojas de ruta de aprendizaje que puedes seguir",
        ">Un camino claro para un largo viaje de autoaprendizaje.</h1>",
        ">Explora 1 hoja de ruta</a>",  # the count's singular
        "<h3>Elige una hoja de ruta</h3>", "<h3>Ajusta tu ritmo</h3>",
        ">Esta semana</text>", ">Semana 12</text>",  # the hero picture's labels
    ))
    _assert_none_in(page, ("A clear path", "Browse 1 roadmap", "Pick a roadmap", "How it works", ">This week<"))


def test_it_shows_the_catalogue_in_spanish_with_its_counts(client):
    make_roadmap(title="Rust en serio")
    make_roadmap(title="Go sin prisa")
    page = _page(client, reverse("roadmaps:catalogue"))
    _assert_all_in(page, (
        "<h1>Hojas de ruta</h1>",
        'aria-label="Filtrar hojas de ruta"',
        ">Ver hojas de ruta</button>",
        "<strong>2</strong> hojas de ruta</p>",
        "Primero las destacadas, luego de la A a la Z",
        ">2 etapas</span>",
    ))
    _assert_none_in(page, ("Show roadmaps", "Filter roadmaps", "Featured first", "Every roadmap is free", " steps<"))

    matched = _page(client, reverse("roadmaps:catalogue"), q="Rust")
    assert "<strong>1</strong> hoja de ruta coincide" in matched
    assert "roadmap matches" not in matched

    nothing = _page(client, reverse("roadmaps:catalogue"), q="Cobol")
    _assert_all_in(nothing, ("<h2>Ninguna hoja de ruta coincide</h2>", "Nada encaja con «Cobol».", "Quitar filtros"))
    _assert_none_in(nothing, ("No roadmap matches", "Nothing fits", ">Clear<"))


# The roadmap page's labels, as a visitor and a learner both see them (the
# content's own words, "Capstone project" and the like, stay English).
ROADMAP_SPANISH = (
    ">En esta página</summary>", ">Resumen</h2>", ">Para quién es</h3>", ">Antes de empezar</h3>",
    ">Cronograma</h2>", "Semanas 1–3", ">Etapa 1: </span>", ">Objetivos semanales</h3>",
    ">Puedes seguir cuando</h3>", "Qué vas a trabajar", "(se abre en una pestaña nueva)",
    ">Proyecto final</span>", 'aria-label="Habilidades que practicas"', ">Puntos de control por semana</h2>",
    ">En toda la hoja de ruta</h2>", ">Ritmo y horario</h2>", ">Recomendado</span>", ">Consejos</h2>",
    ">Qué contar</h2>", "Cada 3 semanas, dedica unos minutos a mirar atrás y responder:",
    "Hoja de ruta · ", ">Duración</dt>", ">8 semanas</dd>", "Por Test Editors", "Actualizada el <time",
    " de 20",  # Django's Spanish DATE_FORMAT: "3 de diciembre de 2026"
    "<h3>Temas</h3>", "<h3>Recursos</h3>", "<h3>Proyectos</h3>",  # each kind's list in a step
)
ROADMAP_ENGLISH = (
    "On this page", ">Overview<", "Who it is for", "Before you start", ">Timeline<", "Weeks 1–3", "Step 1:",
    "Weekly goals", "Ready to move on when", "What to work through", "(opens in a new tab)", ">Capstone<",
    "Skills practised", "Checkpoints by week", "Across the roadmap", "Pace and schedule", ">Recommended<",
    ">Guidance<", "What to count", "take a few minutes", ">Duration<", "8 weeks", "By Test Editors", "Updated",
    "Start reading", "<h3>Topics</h3>", "<h3>Resources</h3>", "<h3>Projects</h3>",
)


def test_it_shows_a_roadmap_to_a_spanish_visitor(client):
    roadmap = make_full_roadmap()
    page = _page(client, roadmap.get_absolute_url())
    _assert_all_in(page, (*ROADMAP_SPANISH, "Empieza a leer por la etapa 1 ↓"))
    _assert_none_in(page, ROADMAP_ENGLISH)


def test_it_shows_a_roadmap_to_an_enrolled_spanish_learner(learner_client, learner):
    roadmap = make_full_roadmap()
    make_enrolment(learner, roadmap)
    page = _page(learner_client, roadmap.get_absolute_url())
    assert '<form id="ls"' in page  # the learner's page, state buttons and all
    _assert_all_in(page, ROADMAP_SPANISH)
    _assert_none_in(page, ROADMAP_ENGLISH)


def test_it_shows_a_draft_preview_in_spanish_to_an_editor(editor_client):
    roadmap = make_roadmap(status="draft", title="Borrador de Rust")
    page = _page(editor_client, roadmap.get_absolute_url())
    _assert_all_in(page, ("<title>Borrador: Borrador de Rust", "<strong>Vista previa del borrador.</strong>"))
    _assert_none_in(page, ("Draft preview", "Draft:"))


def test_it_shows_the_admin_import_in_spanish(editor_client):
    page = _page(editor_client, IMPORT_URL)
    _assert_all_in(page, ("&rsaquo; Importar YAML", "<p>Sube un archivo de hoja de ruta", 'value="Importar"'))
    _assert_none_in(page, ("Import YAML", "Upload one roadmap file", 'value="Import"'))

    bad = SimpleUploadedFile("bad.yaml", b"title: [unclosed\n", content_type="text/yaml")
    response = editor_client.post(IMPORT_URL, {"file": bad}, **SPANISH)
    errors = response.content.decode()
    assert 'No se ha importado nada. <a href="#file-errors">Corrige el problema de abajo</a> (1).' in errors
    assert "Nothing was imported" not in errors


def test_it_gives_the_editor_script_its_words_in_spanish(editor_client):
    roadmap = make_roadmap()
    page = _page(editor_client, reverse("admin:roadmaps_roadmap_change", args=[roadmap.pk]))
    _assert_all_in(page, ('data-preview-label="Vista previa"',
                          'data-failed-label="No se ha podido generar la vista previa."',
                          'data-drag-label="Arrastra para reordenar (o escribe las posiciones)"', ">Salud</a>"))
    _assert_none_in(page, ('data-preview-label="Preview"', ">Health</a>"))
