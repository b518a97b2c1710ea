"""The dashboard's charts are cached on a digest of what they are drawn from
(progress.charts.study_charts): never stale, never drawn twice for the same data."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache

from accounts.services import data_version_bump
from progress import charts
from progress.models import PlannedBreak, StudyEntry
from progress.schedule import local_today, week_start

DASHBOARD = "/dashboard/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _charts_html(client) -> str:
    html = client.get(DASHBOARD).content.decode()
    return html[html.index('<div class="dashboard__charts">'):html.index("</section>", html.index("dashboard__charts"))]


def test_it_draws_the_same_charts_once(learner_client, learner):
    StudyEntry.objects.create(user=learner, date=local_today(learner.time_zone), minutes=45)
    first = _charts_html(learner_client)
    with mock.patch("progress.charts._draw", wraps=charts._draw) as draw:
        again = _charts_html(learner_client)
    assert again == first and not draw.called
    assert "45 min" in again


@pytest.mark.parametrize("change", ["entry", "goal", "break"])
def test_it_draws_again_when_what_they_show_changes(learner_client, learner, change):
    today = local_today(learner.time_zone)
    StudyEntry.objects.create(user=learner, date=today, minutes=45)
    before = _charts_html(learner_client)
    if change == "entry":
        StudyEntry.objects.create(user=learner, date=today - timedelta(days=1), minutes=90)
    elif change == "goal":
        learner.weekly_hours_goal = 17
        learner.save(update_fields=["weekly_hours_goal"])
    else:
        PlannedBreak.objects.create(user=learner, week_start=week_start(today) - timedelta(weeks=1))
    data_version_bump(user_id=learner.pk)  # as the learner's own POST would
    after = _charts_html(learner_client)
    assert after != before
    expected = {"entry": "1 h 30 min", "goal": "Weekly goal: 17 h", "break": "(planned break)"}[change]
    assert expected in after and expected not in before


def test_it_keeps_the_key_when_only_older_data_changes(learner, learner_client):
    from progress.dashboard import load_dashboard

    today = local_today(learner.time_zone)
    StudyEntry.objects.create(user=learner, date=today, minutes=30)
    key = load_dashboard(learner).chart_key
    StudyEntry.objects.create(user=learner, date=today - timedelta(weeks=60), minutes=30)
    assert load_dashboard(learner).chart_key == key
    StudyEntry.objects.create(user=learner, date=today - timedelta(weeks=20), minutes=30)
    assert load_dashboard(learner).chart_key != key


def test_it_draws_the_charts_when_the_cache_is_down(learner_client, learner):
    StudyEntry.objects.create(user=learner, date=local_today(learner.time_zone), minutes=45)
    with mock.patch("config.caching.cache.get", side_effect=ConnectionError("redis down")):
        assert "45 min" in _charts_html(learner_client)
