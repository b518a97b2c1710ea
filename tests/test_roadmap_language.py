"""A roadmap declares the language its content is written in (issue 18,
point 4): the field and its default, the YAML key, the admin, the
catalogue's filter, and the page's `lang` where it differs from the interface."""

from __future__ import annotations

import re

import pytest
import yaml
from django.conf import global_settings, settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from roadmaps.forms import CatalogueFilterForm
from roadmaps.models import Roadmap
from roadmaps.yaml_io import RoadmapImportError, export_roadmap
from roadmaps.yaml_io.importer import import_roadmap_text, parse_roadmap
from tests.factories import make_full_roadmap, make_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items
from tests.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db

CATALOGUE = "/roadmaps/"
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}

FILE = """\
slug: huerto
{language}title: El huerto en casa
summary: Cultiva tus propias verduras.
steps:
  - title: La tierra
    topics:
      - {{title: Compost, hours: 2}}
"""


@pytest.fixture(autouse=True)
def _interface_language_back_to_english():
    # A request in Spanish leaves Spanish active in this thread (LocaleMiddleware
    # activates, nothing deactivates): later tests must not inherit it.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def yaml_file(language_line: str = "") -> str:
    return FILE.format(language=language_line)


# --- The field --------------------------------------------------------------------


def test_a_new_roadmap_is_in_english_unless_told():
    assert Roadmap.objects.create(slug="r", title="R", summary="s").language == "en"


def test_its_choices_are_every_language_django_knows_sorted_by_name():
    choices = Roadmap._meta.get_field("language").choices
    codes = [code for code, _ in choices]
    assert {"en", "es", "pt-br", "zh-hans", "eu"} <= set(codes)  # beyond the interface's two
    assert len(codes) == len(global_settings.LANGUAGES)
    names = [name for _, name in choices]
    assert names == sorted(names, key=str.casefold)


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_roadmaps_english():
    before, after = [("roadmaps", "0004_item_structure")], [("roadmaps", "0005_roadmap_language")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        roadmap = old.get_model("roadmaps", "Roadmap").objects.create(slug="old", title="Old", summary="s")
        MigrationExecutor(connection).migrate(after)
        assert Roadmap.objects.get(pk=roadmap.pk).language == "en"
        # db_default: the previous release, which does not know the column, can still insert.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO roadmaps_roadmap (slug, title, summary, description, audience, skill_level, "
                "prerequisites, outcomes, duration_note, author_name, featured, status, "
                "retrospective_interval_weeks, created_at, updated_at) "
                "VALUES ('older', 'Older', 's', '', '', 'beginner', '', '', '', '', %s, 'draft', 2, %s, %s)",
                [False, "2026-01-01 00:00:00+00:00", "2026-01-01 00:00:00+00:00"],
            )
        assert Roadmap.objects.get(slug="older").language == "en"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


# --- YAML ---------------------------------------------------------------------------


def test_a_file_without_language_imports_as_english():
    assert import_roadmap_text(yaml_file(), source="huerto.yaml").language == "en"


def test_a_file_declares_its_language():
    assert import_roadmap_text(yaml_file("language: es\n"), source="huerto.yaml").language == "es"


@pytest.mark.parametrize("written, stored", [("pt-BR", "pt-br"), ("ES", "es"), ("zh_Hans", "zh-hans")])
def test_bcp47_case_variants_are_read_as_django_spells_them(written, stored):
    assert parse_roadmap(yaml_file(f"language: {written}\n"), source="x.yaml").language == stored


def test_an_unknown_language_is_reported_with_the_files_other_errors():
    text = yaml_file("language: klingon\n").replace("hours: 2", "hours: -1")
    with pytest.raises(RoadmapImportError) as raised:
        parse_roadmap(text, source="x.yaml")
    messages = str(raised.value)
    assert "language:" in messages and "“klingon” is not a language code" in messages
    assert "steps[0].topics[0].hours" in messages
    assert raised.value.problems[0].path == "language"  # in the order of the file


def test_a_language_that_is_not_text_is_an_error():
    with pytest.raises(RoadmapImportError, match="language: should be text"):
        parse_roadmap(yaml_file("language: 12\n"), source="x.yaml")


def test_export_omits_english_so_existing_exports_stay_the_same():
    roadmap = import_roadmap_text(yaml_file(), source="huerto.yaml")
    assert "language" not in yaml.safe_load(export_roadmap(roadmap))


def test_export_writes_any_other_language_near_the_top():
    roadmap = import_roadmap_text(yaml_file("language: pt-BR\n"), source="huerto.yaml")
    text = export_roadmap(roadmap)
    assert "\nlanguage: pt-br\n" in text
    assert list(yaml.safe_load(text))[:3] == ["format", "slug", "language"]


def test_a_roadmap_in_another_language_round_trips():
    first = export_roadmap(import_roadmap_text(yaml_file("language: es\n"), source="huerto.yaml"))
    again = import_roadmap_text(first, source="again.yaml")
    assert again.language == "es"
    assert export_roadmap(again) == first


def test_reimporting_without_language_puts_it_back_to_english():
    import_roadmap_text(yaml_file("language: es\n"), source="huerto.yaml")
    assert import_roadmap_text(yaml_file(), source="huerto.yaml").language == "en"


def test_front_matter_accepts_language():
    text = "---\ntitle: Huerto\nlanguage: es-MX\nsteps:\n  - title: Tierra\n---\nTexto.\n"
    assert import_roadmap_text(text, source="huerto.md").language == "es-mx"


def test_front_matter_refuses_an_unknown_language():
    text = "---\ntitle: Huerto\nlanguage: xx\n---\n"
    with pytest.raises(RoadmapImportError, match="“xx” is not a language code"):
        parse_roadmap(text, source="huerto.md")


# --- Admin --------------------------------------------------------------------------


def test_the_admin_form_saves_the_language(editor_client):
    roadmap = make_roadmap()
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    assert data["language"] == "en"
    data["language"] = "es"
    response = editor_client.post(change_url(roadmap), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Roadmap.objects.get(pk=roadmap.pk).language == "es"


def test_the_admin_refuses_an_unknown_language_clearly(editor_client):
    roadmap = make_roadmap()
    data = {**form_data(editor_client.get(change_url(roadmap)), "roadmap_form"), "language": "klingon"}
    response = editor_client.post(change_url(roadmap), data)
    assert response.status_code == 200
    assert "“klingon” is not a language code Django knows" in response.content.decode()
    assert Roadmap.objects.get(pk=roadmap.pk).language == "en"


def test_the_admin_list_filters_by_language(editor_client):
    make_roadmap(title="English one")
    make_roadmap(title="Uno en español", language="es")
    html = editor_client.get("/admin/roadmaps/roadmap/", {"language": "es"}, **ENGLISH).content.decode()
    assert "Uno en español" in html and "English one" not in html
    # The filter offers the languages in use, by name, not every language Django knows.
    assert "?language=es" in html and "Spanish" in html and "?language=fr" not in html


# --- Catalogue ------------------------------------------------------------------------


def test_the_filter_is_not_offered_while_every_roadmap_is_in_one_language(client):
    make_roadmap(title="One")
    make_roadmap(title="Two")
    make_roadmap(title="Draft in Spanish", language="es", status="draft")  # drafts do not count
    html = client.get(CATALOGUE).content.decode()
    assert 'id="id_language"' not in html
    # A language in the address is then no filter at all, and no error.
    response = client.get(CATALOGUE, {"language": "es"})
    assert response.status_code == 200
    assert "One" in response.content.decode() and "field-error" not in response.content.decode()


def test_the_filter_offers_the_languages_of_published_roadmaps(client):
    make_roadmap(title="Gardening")
    make_roadmap(title="Huerto", language="es")
    form = CatalogueFilterForm()
    assert [code for code, _ in form.fields["language"].choices] == ["", "en", "es"]
    html = client.get(CATALOGUE, ENGLISH).content.decode()
    assert '<select name="language" id="id_language"' in html
    assert '<option value="es">Spanish</option>' in html


def test_the_filter_shows_only_roadmaps_in_that_language(client):
    make_roadmap(title="Gardening")
    make_roadmap(title="Huerto", language="es")
    html = client.get(CATALOGUE, {"language": "es"}).content.decode()
    assert "Huerto" in html and "Gardening" not in html
    assert '<option value="es" selected>' in html


def test_the_filter_is_kept_on_page_two(client):
    size = settings.CATALOGUE_PAGE_SIZE
    for n in range(size + 2):
        make_roadmap(title=f"Ruta {n:02d}", language="es")
    make_roadmap(title="English only")
    first = client.get(CATALOGUE, {"language": "es"}).content.decode()
    second = client.get(CATALOGUE, {"language": "es", "page": 2}).content.decode()
    assert 'href="?language=es&amp;page=2"' in first
    assert second.count('<article class="card') == 2
    assert "English only" not in first + second


def test_an_unknown_language_in_the_address_is_a_clear_no_op(client):
    make_roadmap(title="Gardening")
    make_roadmap(title="Huerto", language="es")
    response = client.get(CATALOGUE, {"language": "<fr>"}, **ENGLISH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gardening" in html and "Huerto" in html
    assert "No published roadmap is written in “&lt;fr&gt;”; showing every language." in html


# --- The page and the cards ----------------------------------------------------------


def article(html: str) -> str:
    return re.search(r'<article class="roadmap".*?</article>', html, re.DOTALL).group(0)


def card(html: str, title: str) -> str:
    cards = re.findall(r'<article class="card[^"]*"[^>]*>.*?</article>', html, re.DOTALL)
    return next(card for card in cards if title in card)


def test_what_editors_wrote_in_spanish_is_marked_lang_es_in_an_english_interface(client):
    roadmap = make_full_roadmap(language="es")
    page = article(client.get(roadmap.get_absolute_url(), **ENGLISH).content.decode())
    assert page.startswith('<article class="roadmap" aria-labelledby="roadmap-title">')  # the labels are English
    assert '<h1 id="roadmap-title" lang="es">' in page and '<p class="lead" lang="es">' in page
    item = roadmap_items(roadmap)[0]
    assert f'<span class="item__title" id="item-{item.pk}-title" lang="es">' in page
    step = roadmap.steps.order_by("position").first()
    assert f'<span lang="es">{step.title}</span></h2>' in page
    assert "<h3>Topics</h3>" in page  # the interface's heading, unmarked
    # A label inside the content says which language it is in.
    assert '<span class="visually-hidden" lang="en"> (opens in a new tab)</span>' in page


def test_a_spanish_roadmap_carries_no_lang_in_a_spanish_interface(client):
    roadmap = make_full_roadmap(language="es")
    assert 'lang="' not in article(client.get(roadmap.get_absolute_url(), **SPANISH).content.decode())


def test_an_english_roadmap_is_marked_lang_en_in_a_spanish_interface(client):
    roadmap = make_full_roadmap()
    page = article(client.get(roadmap.get_absolute_url(), **SPANISH).content.decode())
    assert '<h1 id="roadmap-title" lang="en">' in page and "<h3>Temas</h3>" in page
    assert 'lang="' not in article(client.get(roadmap.get_absolute_url(), **ENGLISH).content.decode())


def test_an_enrolled_learners_page_marks_the_content_too(learner_client, learner):
    roadmap = make_full_roadmap(language="es")
    make_enrolment(learner, roadmap)
    page = article(learner_client.get(roadmap.get_absolute_url(), **ENGLISH).content.decode())
    assert '<form id="ls"' in page and '<h1 id="roadmap-title" lang="es">' in page


@pytest.mark.parametrize("url", ["/", CATALOGUE])
def test_cards_mark_the_title_and_summary_where_the_language_differs(client, url):
    make_roadmap(title="Gardening")
    make_roadmap(title="Huerto", language="es")
    english = client.get(url, **ENGLISH).content.decode()
    assert '<h3 class="card__title" lang="es">' in card(english, "Huerto")
    assert 'lang="' not in card(english, "Gardening")
    spanish = client.get(url, **SPANISH).content.decode()
    assert 'lang="' not in card(spanish, "Huerto")
    gardening = card(spanish, "Gardening")
    assert '<h3 class="card__title" lang="en">' in gardening and '<p lang="en">' in gardening
    assert gardening.startswith('<article class="card">')  # its badges and counts are the interface's


def test_the_dashboard_marks_a_roadmaps_title_and_items_in_its_language(learner_client, learner):
    roadmap = make_roadmap(title="Huerto", language="es")
    make_enrolment(learner, roadmap)
    page = learner_client.get("/dashboard/", **ENGLISH).content.decode()
    assert 'lang="es">Huerto</a>' in page
    item = roadmap_items(roadmap)[0]
    assert f'#item-{item.pk}" lang="es">{item.title}</a>' in page
    main = learner_client.get("/dashboard/", **SPANISH).content.decode().split("<main", 1)[1].split("</main>")[0]
    assert 'lang="' not in main
