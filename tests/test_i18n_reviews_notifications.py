"""Spaced review and the weekly digest in Spanish: the review queue, the
plan's review settings, the unsubscribe pages, and the digest in the
learner's account language when the task queue sends it (the catalogue
itself: tests/test_i18n.py)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from notifications import digest, unsubscribe
from progress.items.services import item_progress_set_state
from progress.models import StudyEntry
from progress.sharing.services import enrolment_rotate_calendar_token
from reviews.models import ReviewCard
from roadmaps.models import ItemKind
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment, roadmap_items

pytestmark = pytest.mark.django_db

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
HTMX = {"HTTP_HX_REQUEST": "true"}
NOW = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)  # a Monday: the digest's default day
TODAY = date(2026, 3, 9)


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://waymark.example.com"
    return mail.outbox


def _with_reviews(user, *, due_days=(-1, 0, 3), today=None, title="Rust básico"):
    """An enrolment whose first topics (2 h each: 12-minute reviews) are
    done, their reviews due `due_days` days from `today` (negative: overdue);
    one more is still to do, so the roadmap is not finished."""
    today = today or date.today()
    roadmap = make_roadmap(steps=len(due_days) + 1, items_per_step=1, title=title)
    enrolment = make_enrolment(user, roadmap, start_date=today - timedelta(weeks=2))
    topics = [item for item in roadmap_items(roadmap) if item.kind == ItemKind.TOPIC]
    for topic, days in zip(topics[: len(due_days)], due_days, strict=True):
        item_progress_set_state(enrolment=enrolment, item=topic, state="done")
        ReviewCard.objects.filter(enrolment=enrolment, item=topic).update(due_on=today + timedelta(days=days))
    return enrolment


# --- The weekly digest, sent later by the task queue --------------------------------


def test_it_sends_the_weekly_digest_in_the_learners_language(outbox):
    spanish_learner = make_user("es@example.com", display_name="Ana", language="es")
    english_learner = make_user("en@example.com", display_name="Lea", language="")
    for user in (spanish_learner, english_learner):
        enrolment = _with_reviews(user, today=TODAY)
        StudyEntry.objects.create(user=user, enrolment=enrolment, date=date(2026, 3, 3), minutes=90)
    # Whatever language was active when the queue ran the task.
    assert digest.digests_enqueue(now=NOW) == 2
    sent = {message.to[0]: message for message in outbox}

    es = sent["es@example.com"]
    text, html = es.body, es.alternatives[0][0]
    assert es.subject == "Tu semana en Waymark: 2 mar–8 mar"
    assert text.startswith("Hola, Ana:\n\nAsí ha ido tu semana en Waymark.")
    assert "LA SEMANA PASADA (del 2 de marzo al 8 de marzo)" in text  # Django's month names
    assert "1,5 de tus 10,0 horas." in text  # and its number format
    assert "Racha diaria: 0 días. Racha semanal: 0 semanas cumpliendo tu objetivo." in text
    assert "LO QUE VIENE" in text and "REPASOS" in text
    assert "Rust básico: 2 pendientes ahora (unos 24 min), y luego 1 en la próxima semana (unos 12 min)." in text
    assert "Recibes este resumen cada lunes" in text and "Deja de recibirlo con un clic: https://" in text
    assert '<html lang="es">' in html and "<h2>Repasos</h2>" in html
    assert "<h2>La semana pasada, del 2 de marzo al 8 de marzo</h2>" in html
    assert ">Dejar de recibir el resumen semanal</a>" in html
    for english in ("Hello", "Your week on Waymark", "LAST WEEK", "due now", "March", "Stop it"):
        assert english not in text, english
    assert "Stop the weekly summary" not in html

    en = sent["en@example.com"]
    assert en.subject == "Your week on Waymark: 2 Mar–8 Mar"
    assert en.body.startswith("Hello Lea,\n\nHere is your week on Waymark.")
    assert "LAST WEEK (2 March to 8 March)" in en.body and "1.5 of your 10.0 hours." in en.body
    assert "Rust básico: 2 due now (about 24 min), then 1 in the coming week (about 12 min)." in en.body
    assert '<html lang="en">' in en.alternatives[0][0]


def test_it_writes_a_singular_in_spanish_with_one_review(outbox):
    user = make_user("es@example.com", language="es")
    _with_reviews(user, due_days=(0,), today=TODAY)
    digest.digests_enqueue(now=NOW)
    assert "Rust básico: 1 pendiente ahora (unos 12 min)." in outbox[0].body


# --- Pages -------------------------------------------------------------------------


def test_it_shows_the_review_queue_in_spanish(client):
    user = make_user("ana@example.com")
    _with_reviews(user, due_days=(-1, 0))
    client.force_login(user)
    page = client.get(reverse("dashboard"), **SPANISH).content.decode()
    assert ">Toca repasar</h2>" in page
    assert "2 pendientes · unos 24 min" in page
    assert ">Atrasado</span>" in page
    assert re.search(r'aria-label="¿Qué tal recordabas «[^»]+»\?"', page)
    for answer in (">Otra vez<", ">Difícil<", ">Bien<", ">Fácil<", ">No necesito repasar esto<"):
        assert answer in page, answer
    for english in ("Due for review", "How well did you remember", "I don't need to review this"):
        assert english not in page, english


def test_it_answers_in_spanish_with_djangos_day_names(client):
    user = make_user("ana@example.com")
    enrolment = _with_reviews(user, due_days=(0,))
    card = ReviewCard.objects.get(enrolment=enrolment)
    client.force_login(user)
    response = client.post(reverse("reviews:answer", args=[card.pk]), {"rating": "good"}, **SPANISH, **HTMX)
    page = response.content.decode()
    card.refresh_from_db()
    assert f"Has repasado «{card.item.title}»: el próximo repaso es el " in page
    assert "próximo repaso el <time" in page
    assert "todo hecho por hoy" in page
    assert not re.search(r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday", page)
    bad = client.post(reverse("reviews:answer", args=[card.pk]), {"rating": "maybe"}, **SPANISH, **HTMX)
    assert bad.status_code == 400 and bad.content.decode() == "Esa no es una respuesta posible para un repaso."


def test_it_shows_the_plans_review_settings_and_study_week_in_spanish(client):
    user = make_user("ana@example.com")
    enrolment = _with_reviews(user, due_days=(3,))
    client.force_login(user)
    page = client.get(reverse("progress:plan", args=[enrolment.pk]), **SPANISH).content.decode()
    assert ">Repasos</h2>" in page and ">Desactivar los repasos</button>" in page
    assert ">Tu semana de estudio</h2>" in page
    assert ("tu calendario muestra sesiones estos días: lunes, miércoles, viernes, a las 19:00, "
            "con un aviso 30 minutos antes.") in page
    assert ">Días de estudio</legend>" in page and ">Hora del día <span" in page and ">Aviso</label>" in page
    assert re.findall(r'name="days" value="\d" id="id_days_\d"[^>]*>\s*(\w+)</label>', page) == [
        "lun", "mar", "mié", "jue", "vie", "sáb", "dom"]  # Django's own abbreviations
    response = client.post(reverse("reviews:study_week", args=[enrolment.pk]), {"reminder_minutes": "30"},
                           **SPANISH)
    assert response.status_code == 400
    assert "Elige al menos un día." in response.content.decode()
    response = client.post(reverse("reviews:roadmap_reviews", args=[enrolment.pk]), {"on": "0"}, follow=True,
                           **SPANISH)
    assert "Los repasos están desactivados en Rust básico: tus tarjetas se conservan." in response.content.decode()


def test_it_keeps_english_for_an_english_reader(client):
    user = make_user("lea@example.com")
    enrolment = _with_reviews(user, due_days=(0,))
    client.force_login(user)
    page = client.get(reverse("dashboard"), **ENGLISH).content.decode()
    assert ">Due for review</h2>" in page and "1 due · about 12 min" in page
    plan = client.get(reverse("progress:plan", args=[enrolment.pk]), **ENGLISH).content.decode()
    assert "Until you choose, your calendar shows sessions on Monday, Wednesday, Friday at 19:00" in plan


def test_it_shows_the_unsubscribe_pages_in_spanish(client):
    user = make_user("ana@example.com")
    url = unsubscribe.url(user).removeprefix(settings.SITE_URL)
    page = client.get(url, **SPANISH).content.decode()
    assert "<h1>¿Dejar de recibir el resumen semanal?</h1>" in page
    assert "Dejarás de recibir «Tu semana en Waymark» por correo." in page
    done = client.post(url, **SPANISH).content.decode()
    assert "<h1>Resumen semanal desactivado</h1>" in done
    invalid = client.get(reverse("notifications:unsubscribe") + "?token=nope", **SPANISH)
    assert invalid.status_code == 400 and "<h1>Este enlace no es válido</h1>" in invalid.content.decode()


def test_it_writes_the_feeds_review_days_in_the_learners_language(client):
    user = make_user("ana@example.com", language="es")
    enrolment = _with_reviews(user, due_days=(0, 0))
    enrolment_rotate_calendar_token(enrolment=enrolment, revoke=False)
    response = client.get(reverse("calendar_feed", args=[enrolment.calendar_token]), **ENGLISH)
    events = Calendar.from_ical(response.content).walk("VEVENT")
    reviews = [event for event in events if str(event["uid"]).split("@")[0].endswith(
        f"reviews-{date.today():%Y%m%d}")]
    assert [str(event["summary"]) for event in reviews] == ["Repasar 2 temas (unos 24 min): Rust básico"]
    assert str(reviews[0]["description"]) == "Respóndelos en tu panel de Waymark."


