"""Days are written the reader's way: "2 Dec 2026" in English, "2 dic 2026"
in Spanish (Django's "M" would capitalise it: "2 Dic 2026"); named formats
in config/formats, used by templates and Python alike."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from progress.models import StudyEntry
from progress.wording import day

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize(("language", "short", "month_day", "long"), [
    ("en", "2 Dec 2026", "2 Dec", "2 December 2026"),
    ("es", "2 dic 2026", "2 dic", "2 de diciembre de 2026"),
])
def test_each_language_writes_a_day_its_own_way(language, short, month_day, long):
    with translation.override(language):
        assert day(DAY) == short
        assert date_format(DAY, "SHORT_DATE_FORMAT") == short
        assert date_format(DAY, "MONTH_DAY_FORMAT") == month_day
        assert date_format(DAY, "DATE_FORMAT") == long


def written(value, language, format="SHORT_DATE_FORMAT"):
    with translation.override(language):
        return date_format(value, format)


def test_the_study_log_writes_spanish_days_in_lower_case(learner_client, learner):
    today = date.today()
    StudyEntry.objects.create(user=learner, date=today, minutes=30)
    spanish = f"{written(today, 'es', 'D')} {written(today, 'es')}"  # "mié 2 dic 2026"
    assert spanish == spanish.lower()
    page = learner_client.get(reverse("progress:log_list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert spanish in page
    page = learner_client.get(reverse("progress:log_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"{today:%a} {written(today, 'en')}" in page  # "Wed 2 Dec 2026"


def test_a_message_after_logging_writes_the_day_in_the_readers_language(learner_client):
    today = date.today()
    response = learner_client.post(reverse("progress:log_add"), {"date": today.isoformat(), "minutes": 30},
                                   HTTP_ACCEPT_LANGUAGE="es", follow=True)
    assert response.status_code == 200
    assert written(today, "es") in response.content.decode()


WAYMARK_FORMATS = ("DAY_MONTH_FORMAT", "WEEKDAY_DAY_MONTH_FORMAT", "WEEKDAY_DATE_FORMAT", "WEEKDAY_SHORT_DAY_FORMAT")


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ("2 December", "Wednesday 2 December", "Wednesday 2 December 2026", "Wednesday 2 Dec")),
    ("es", ("2 de diciembre", "miércoles 2 de diciembre", "miércoles 2 de diciembre de 2026", "miércoles 2 dic")),
])
def test_waymarks_own_named_formats_put_each_languages_words_between_the_parts(language, expected):
    assert tuple(written(DAY, language, name) for name in WAYMARK_FORMATS) == expected


def test_every_language_defines_every_waymark_format(settings):
    """Django writes an unknown format name out letter by letter ("WEdnesday…")."""
    import importlib

    for code, _name in settings.LANGUAGES:
        module = importlib.import_module(f"config.formats.{code}.formats")
        assert all(hasattr(module, name) for name in WAYMARK_FORMATS), code
