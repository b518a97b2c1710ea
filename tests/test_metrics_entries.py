"""The counters a roadmap tracks: entries per enrolment, totals against targets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from progress.models import MetricEntry
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment


@pytest.fixture
def enrolment(learner, roadmap):
    metric = roadmap.metrics.get()
    metric.target = 20
    metric.unit = "challenges"
    metric.save()
    return make_enrolment(learner, roadmap)


def _entry(enrolment, amount=3, **fields) -> MetricEntry:
    return MetricEntry.objects.create(
        enrolment=enrolment, metric=enrolment.roadmap.metrics.get(), date=fields.pop("date", date.today()),
        amount=amount, **fields,
    )


def _urls(enrolment, entry) -> list[str]:
    return [
        reverse("progress:metrics", args=[enrolment.pk]),
        reverse("progress:metric_edit", args=[enrolment.pk, entry.pk]),
        reverse("progress:metric_delete", args=[enrolment.pk, entry.pk]),
    ]


def test_it_sends_anonymous_visitors_to_sign_in(client, enrolment):
    for url in _urls(enrolment, _entry(enrolment)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_it_answers_404_for_another_learners_counters(learner_client, other_learner, roadmap, enrolment):
    theirs = make_enrolment(other_learner, roadmap)
    entry = _entry(theirs, amount=9)
    for url in _urls(theirs, entry):
        assert learner_client.get(url).status_code == 404
        data = {"metric": entry.metric_id, "date": "2026-01-05", "amount": 1}
        assert learner_client.post(url, data).status_code == 404
    # Their entry under my enrolment's URL is not mine either.
    assert learner_client.get(reverse("progress:metric_edit", args=[enrolment.pk, entry.pk])).status_code == 404
    assert MetricEntry.objects.get(pk=entry.pk).amount == 9
    assert MetricEntry.objects.count() == 1


def test_it_refuses_wrong_methods(learner_client, enrolment):
    for url in _urls(enrolment, _entry(enrolment)):
        assert learner_client.put(url).status_code == 405


def test_it_shows_totals_against_targets(learner_client, enrolment, other_learner, roadmap,
                                         django_assert_num_queries):
    _entry(enrolment, 12)
    _entry(enrolment, 9)
    _entry(make_enrolment(other_learner, roadmap), 100)
    with django_assert_num_queries(5):  # session, user, enrolment, metrics with totals (the menu too), entries
        response = learner_client.get(reverse("progress:metrics", args=[enrolment.pk]))
    totals = {metric.name: metric.total for metric in response.context["totals"]}
    assert totals == {"Challenges solved": 21}
    assert "Reached" in response.content.decode()


def test_it_adds_an_entry_once_even_when_submitted_twice(learner_client, enrolment):
    url = reverse("progress:metrics", args=[enrolment.pk])
    data = {"metric": enrolment.roadmap.metrics.get().pk, "date": date.today().isoformat(), "amount": 4, "note": "kata"}
    assert learner_client.post(url, data).status_code == 302
    assert learner_client.post(url, data).status_code == 302
    assert list(MetricEntry.objects.values_list("amount", "note")) == [(4, "kata")]


@pytest.mark.parametrize(
    "change",
    [{"amount": "0"}, {"amount": "-3"}, {"amount": "lots"}, {"amount": "100001"},
     {"date": (date.today() + timedelta(days=30)).isoformat()}, {"date": "1999-12-31"}, {"metric": "999999"},
     {"note": "x" * 301}],
)
def test_it_rejects_bad_input_and_changes_nothing(learner_client, enrolment, change):
    data = {"metric": enrolment.roadmap.metrics.get().pk, "date": date.today().isoformat(), "amount": 4, **change}
    response = learner_client.post(reverse("progress:metrics", args=[enrolment.pk]), data)
    assert response.status_code == 400
    assert set(change) <= set(response.context["form"].errors)
    assert not MetricEntry.objects.exists()


def test_it_refuses_a_metric_of_another_roadmap(learner_client, enrolment):
    foreign = make_roadmap().metrics.get()
    data = {"metric": foreign.pk, "date": date.today().isoformat(), "amount": 4}
    response = learner_client.post(reverse("progress:metrics", args=[enrolment.pk]), data)
    assert response.status_code == 400 and "metric" in response.context["form"].errors
    assert not MetricEntry.objects.exists()


def test_it_edits_an_entry(learner_client, enrolment):
    entry = _entry(enrolment, 3)
    url = reverse("progress:metric_edit", args=[enrolment.pk, entry.pk])
    assert learner_client.get(url).status_code == 200
    data = {"metric": entry.metric_id, "date": entry.date.isoformat(), "amount": 8, "note": "fixed"}
    assert learner_client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert (entry.amount, entry.note) == (8, "fixed")
    assert learner_client.post(url, {**data, "amount": -1}).status_code == 400
    entry.refresh_from_db()
    assert entry.amount == 8


def test_it_confirms_before_deleting_an_entry(learner_client, enrolment, django_assert_num_queries):
    entry = _entry(enrolment)
    url = reverse("progress:metric_delete", args=[enrolment.pk, entry.pk])
    with django_assert_num_queries(3):
        assert "Delete this entry?" in learner_client.get(url).content.decode()
    assert MetricEntry.objects.exists()
    assert learner_client.post(url).status_code == 302
    assert not MetricEntry.objects.exists()
    assert learner_client.post(url).status_code == 404
