"""What was still English in a Spanish interface (issue 18): the admin's
model and field names, hours written with a decimal point, the "(copy)" of a
duplicated roadmap; and the active language never leaking from one test to
the next (tests/conftest.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from roadmaps.models import Item, Roadmap
from roadmaps.services import roadmap_duplicate
from tests.factories import make_roadmap

pytestmark = pytest.mark.django_db

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _roadmap_with_an_item_of_two_and_a_half_hours() -> Roadmap:
    roadmap = make_roadmap(steps=1, items_per_step=1)
    Item.objects.filter(roadmap=roadmap).update(estimated_hours=Decimal("2.5"))
    roadmap.pace_plans.update(hours_per_week=Decimal("7.5"))
    return roadmap


PROJECT_APPS = ("roadmaps", "progress", "accounts", "groups", "retrospectives", "reviews", "notifications")


# --- Model and field names ----------------------------------------------------


@pytest.mark.parametrize("label", PROJECT_APPS)
def test_every_model_and_field_has_a_translatable_name(label):
    """Without a verbose name of its own, a model or field is named in
    English from its Python name, whatever the admin's language."""
    untranslated = []
    for model in apps.get_app_config(label).get_models():
        for option in ("verbose_name", "verbose_name_plural"):
            if not isinstance(model._meta.original_attrs.get(option), Promise):
                untranslated.append(f"{model.__name__}.Meta.{option}")
        untranslated += [
            f"{model.__name__}.{field.name}" for field in model._meta.get_fields(include_parents=False)
            if field.concrete and not field.auto_created and not isinstance(field.verbose_name, Promise)
        ]
    assert untranslated == []


def test_the_spanish_admin_names_the_roadmap_and_its_fields_in_spanish(editor_client):
    roadmap = make_roadmap()
    url = reverse("admin:roadmaps_roadmap_change", args=[roadmap.pk])
    page = editor_client.get(url, **SPANISH).content.decode()
    assert "Modificar hoja de ruta" in page
    for label in ("Título", "Identificador", "Resumen", "Estado", "Nivel de experiencia"):
        assert f">{label}:</label>" in page, label
    assert ">Destacada</label>" in page  # a checkbox's label has no colon
    assert "Change roadmap" not in page and ">Title:</label>" not in page


def test_the_english_admin_is_unchanged(editor_client):
    roadmap = make_roadmap()
    url = reverse("admin:roadmaps_roadmap_change", args=[roadmap.pk])
    page = editor_client.get(url, **ENGLISH).content.decode()
    assert "Change roadmap" in page
    for label in ("Title", "Slug", "Summary", "Status", "Skill level"):
        assert f">{label}:</label>" in page, label
    assert ">Featured</label>" in page


# --- Hours follow the reader's language ---------------------------------------


def test_a_spanish_roadmap_page_writes_hours_with_a_decimal_comma(client):
    roadmap = _roadmap_with_an_item_of_two_and_a_half_hours()
    page = client.get(roadmap.get_absolute_url(), **SPANISH).content.decode()
    assert '<span class="item__hours">2,5 h</span>' in page
    assert "7,5 h" in page  # the pace plan's hours a week
    assert "2.5 h" not in page and "7.5 h" not in page


def test_an_english_roadmap_page_writes_hours_with_a_decimal_point(client):
    roadmap = _roadmap_with_an_item_of_two_and_a_half_hours()
    page = client.get(roadmap.get_absolute_url(), **ENGLISH).content.decode()
    assert '<span class="item__hours">2.5 h</span>' in page
    assert "7.5 h" in page
    assert "2,5 h" not in page


def test_the_same_roadmap_is_cached_once_per_language(client):
    """The sections are cached for everyone who reads a language: Spanish
    after English must not get the English figures from the cache."""
    roadmap = _roadmap_with_an_item_of_two_and_a_half_hours()
    assert "2.5 h" in client.get(roadmap.get_absolute_url(), **ENGLISH).content.decode()
    assert "2,5 h" in client.get(roadmap.get_absolute_url(), **SPANISH).content.decode()
    assert "2.5 h" in client.get(roadmap.get_absolute_url(), **ENGLISH).content.decode()


def test_the_roadmap_pages_svg_and_ids_stay_unlocalised(client):
    roadmap = _roadmap_with_an_item_of_two_and_a_half_hours()
    page = client.get(roadmap.get_absolute_url(), **SPANISH).content.decode()
    assert 'viewBox="0 0 2 1"' in page  # the timeline bar's geometry: plain numbers
    assert not any(f'{attribute}="{digit},' in page for attribute in ("x", "width") for digit in "0123456789")


# --- "(copy)" ---------------------------------------------------------------


def test_a_copy_of_a_spanish_roadmap_is_called_a_copia():
    roadmap = make_roadmap(title="Python en serio", language="es")
    assert roadmap_duplicate(roadmap=roadmap).title == "Python en serio (copia)"


def test_a_copy_of_an_english_roadmap_stays_a_copy_in_a_spanish_admin():
    """The title is content, in the language the roadmap is written in."""
    roadmap = make_roadmap(title="Serious Python")
    with translation.override("es"):
        copy = roadmap_duplicate(roadmap=roadmap)
    assert copy.title == "Serious Python (copy)"


# --- The language never leaks into the next test -------------------------------


def test_a_spanish_request_leaves_the_thread_in_spanish(client):
    client.get("/", **SPANISH)
    assert translation.get_language() == "es"  # what the next test must not inherit


def test_the_next_test_starts_in_english():
    assert translation.get_language() == "en"
