"""The learner's pages in Spanish: the dashboard, the study log, the calendar
feed, counts in their plural forms (the catalogue itself: tests/test_i18n.py)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from progress.models import StudyEntry
from progress.schedule import local_today
from progress.sharing.services import enrolment_rotate_calendar_token
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment

pytestmark = pytest.mark.django_db

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def _enrolled(language: str = "", **fields):
    user = make_user("ana@example.com", display_name="Ana", language=language, **fields)
    roadmap = make_roadmap(title="Backend básico")
    return user, make_enrolment(user, roadmap, hours_per_week=6)


# --- Pages ---------------------------------------------------------------------------


def test_it_shows_the_dashboard_in_spanish(client):
    user, enrolment = _enrolled()
    StudyEntry.objects.create(user=user, enrolment=enrolment, date=local_today(user.time_zone), minutes=45)
    client.force_login(user)
    page = client.get(reverse("dashboard"), **SPANISH).content.decode()
    assert '<html lang="es">' in page
    for heading in ("<h1>Tu panel</h1>", ">Esta semana</h2>", ">Tus hojas de ruta</h2>", ">Actividad reciente</h2>",
                    ">Tus semanas de estudio</h2>", "Las últimas 12 semanas"):
        assert heading in page, heading
    assert "Progreso en Backend básico" in page  # the bar's name, built with blocktranslate asvar
    assert "Registrar tiempo de estudio" in page and "Horas de estudio por semana" in page
    for english in ("Your dashboard", "This week", "Recent activity", "Progress on", "Log study time"):
        assert english not in page, english


def test_it_counts_in_spanish_with_the_right_plural(client):
    user, enrolment = _enrolled()
    today = local_today(user.time_zone)
    StudyEntry.objects.create(user=user, enrolment=enrolment, date=today, minutes=30)
    client.force_login(user)
    page = client.get(reverse("dashboard"), **SPANISH).content.decode()
    assert "día seguido con estudio" in page and "días seguidos" not in page  # 1 day
    assert "semanas seguidas cumpliendo tu objetivo" in page  # 0 weeks
    StudyEntry.objects.create(user=user, enrolment=enrolment, date=today - timedelta(days=1), minutes=30)
    assert "días seguidos con estudio" in client.get(reverse("dashboard"), **SPANISH).content.decode()


def test_it_shows_the_study_log_in_spanish_with_djangos_day_and_month_names(client):
    user, enrolment = _enrolled()
    client.force_login(user)
    page = client.get(reverse("progress:log_list"), **SPANISH).content.decode()
    assert "<h1>Registro de estudio</h1>" in page and ">Descansos previstos</h2>" in page
    assert "Aún no has registrado tiempo de estudio." in page
    # The heatmap's weekday labels are Django's own abbreviations, in Spanish.
    labels = re.findall(r'dominant-baseline="central"[^>]*>([^<]+)</text>', page)
    assert labels == ["lun", "mié", "vie"]
    form = client.get(reverse("progress:log_add"), **SPANISH).content.decode()
    for label in (">Fecha</label>", ">Minutos</label>", ">Hoja de ruta <span", ">Nota <span"):
        assert label in form, label


def test_it_says_a_message_in_spanish_and_keeps_english_for_an_english_reader(client):
    user, enrolment = _enrolled()
    client.force_login(user)
    item = enrolment.roadmap.items.first()
    data = {"item": item.pk, "minutes": "1"}
    response = client.post(reverse("progress:dashboard_item_log"), data, follow=True, **SPANISH)
    assert f"Registrado 1 minuto en «{item.title}»." in response.content.decode()
    response = client.post(reverse("progress:dashboard_item_log"), data, follow=True, **ENGLISH)
    assert f"Logged 1 minute on “{item.title}”." in response.content.decode()


def test_it_says_what_editors_changed_with_one_count_only(client):
    # Only items added, none renamed: the sentence takes the one phrase it has.
    from django.utils import timezone

    from roadmaps.models import Item

    user, enrolment = _enrolled()
    enrolment.content_seen_at = timezone.now() - timedelta(days=1)
    enrolment.save(update_fields=["content_seen_at"])
    roadmap = enrolment.roadmap
    Item.objects.filter(roadmap=roadmap).update(created_at=timezone.now() - timedelta(days=2))
    Item.objects.create(roadmap=roadmap, step=roadmap.steps.first(), kind="topic", key="fresh", position=9,
                        title="Fresh", estimated_hours=1)
    roadmap.save()  # its updated_at: the dashboard counts changes only for roadmaps edited since
    client.force_login(user)
    english = client.get(reverse("dashboard"), **ENGLISH).content.decode()
    assert "The editors changed this roadmap: 1 item added." in english
    spanish_page = client.get(reverse("dashboard"), **SPANISH).content.decode()
    assert "Los editores han cambiado esta hoja de ruta: 1 elemento añadido." in spanish_page


# --- The calendar feed -------------------------------------------------------------


def _feed_summaries(client, enrolment, headers) -> tuple[list[str], object]:
    enrolment_rotate_calendar_token(enrolment=enrolment, revoke=False)
    response = client.get(reverse("calendar_feed", args=[enrolment.calendar_token]), **headers)
    assert response.status_code == 200
    return [str(event["summary"]) for event in Calendar.from_ical(response.content).walk("VEVENT")], response


def test_it_writes_the_calendar_feed_in_the_learners_language_not_the_apps(client):
    user, enrolment = _enrolled(language="es")
    summaries, response = _feed_summaries(client, enrolment, ENGLISH)
    assert "Estudio: Backend básico" in summaries and "Fin previsto: Backend básico" in summaries
    assert not any(summary.startswith(("Study:", "Target finish:")) for summary in summaries)
    assert response["Content-Language"] == "es"


def test_it_writes_the_feed_in_the_sites_language_while_the_learner_has_none(client):
    user, enrolment = _enrolled(language="")
    summaries, response = _feed_summaries(client, enrolment, SPANISH)
    assert "Study: Backend básico" in summaries and "Target finish: Backend básico" in summaries
    assert response["Content-Language"] == "en"


