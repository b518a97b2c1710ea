"""`manage.py bench_dashboard` (part of `make bench`): builds its bench learners
and roadmaps, prints the dashboard's figures, and touches nothing else."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from progress.models import Enrolment, ItemProgress, ItemState, PlannedBreak, StudyEntry
from roadmaps.models import Roadmap
from tests.progress_helpers import make_enrolment

SMALL = ["--items", "12", "--steps", "3", "--rows", "30", "--study", "20", "--runs", "2"]
BENCH_EMAILS = ["bench-learner@bench.invalid", "bench-learner-one@bench.invalid"]


def _bench(*args: str) -> str:
    out = StringIO()
    call_command("bench_dashboard", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_builds_the_bench_learner_and_prints_first_repeat_and_after_write_figures():
    output = _bench(*SMALL)

    learner = User.objects.get(email="bench-learner@bench.invalid")
    slugs = set(Roadmap.objects.filter(enrolments__user=learner).values_list("slug", flat=True))
    assert slugs == {"bench-dash-1", "bench-dash-2", "bench-dash-3"}
    assert all(r.items.count() == 12 for r in Roadmap.objects.filter(slug__in=slugs))
    rows = ItemProgress.objects.filter(enrolment__user=learner)
    assert rows.count() == 30
    assert {ItemState.DONE, ItemState.IN_PROGRESS} <= set(rows.values_list("state", flat=True))
    assert StudyEntry.objects.filter(user=learner).count() == 20
    assert PlannedBreak.objects.filter(user=learner).exists()

    big = output.split("bench-learner@bench.invalid (3 × 12 items)")[1].split("bench-learner-one")[0]
    first = re.search(r"first view\s+: (\d+) queries · ([\d.]+) ms", big)
    repeat = re.search(r"repeat views\s*: (\d+) queries · mean ([\d.]+) ms · median ([\d.]+) ms", big)
    after = re.search(r"after write\s+: (\d+) queries · mean ([\d.]+) ms · median ([\d.]+) ms", big)
    assert first and repeat and after, output
    # Nothing is cached: a view after a write costs what any other view costs.
    assert int(after.group(1)) == int(repeat.group(1)) <= int(first.group(1))
    assert "cold" not in output and "warm" not in output and "cache" not in output
    assert "bench-learner-one@bench.invalid (one item)" in output


@pytest.mark.django_db
def test_it_writes_through_a_real_post_and_leaves_the_item_as_it_found_it(monkeypatch):
    from django.test import Client

    posts = []
    real_post = Client.post

    def counting_post(self, path, *args, **kwargs):
        posts.append(path)
        return real_post(self, path, *args, **kwargs)

    monkeypatch.setattr(Client, "post", counting_post)
    _bench(*SMALL)  # --runs 2: two writes per learner, done then back to in progress
    assert len(posts) == 4 and all("/items/" in path and path.endswith("/state/") for path in posts)
    learner = User.objects.get(email="bench-learner@bench.invalid")
    assert ItemProgress.objects.filter(enrolment__user=learner, state=ItemState.IN_PROGRESS).exists()


@pytest.mark.django_db
def test_it_replaces_its_own_data_and_delete_removes_only_bench_rows(learner, roadmap):
    make_enrolment(learner, roadmap)
    _bench(*SMALL)
    first_pk = User.objects.get(email="bench-learner@bench.invalid").pk

    _bench(*SMALL)  # again: the old bench data is replaced, not added to
    assert User.objects.filter(email__in=BENCH_EMAILS).count() == 2
    assert User.objects.get(email="bench-learner@bench.invalid").pk != first_pk
    assert Roadmap.objects.filter(slug__startswith="bench-dash-").count() == 4
    assert ItemProgress.objects.filter(enrolment__user__email="bench-learner@bench.invalid").count() == 30

    output = _bench("--delete")
    assert "Removed" in output
    assert not User.objects.filter(email__in=BENCH_EMAILS).exists()
    assert not Roadmap.objects.filter(slug__startswith="bench-dash-").exists()
    # Everything else is untouched.
    assert User.objects.filter(pk=learner.pk).exists()
    assert Enrolment.objects.filter(user=learner, roadmap=roadmap).exists()


@pytest.mark.django_db
def test_it_refuses_nonsense_sizes():
    with pytest.raises(CommandError):
        _bench("--runs", "0")


@pytest.mark.django_db
def test_it_stops_rather_than_delete_another_learners_enrolment_on_a_bench_roadmap(learner):
    _bench(*SMALL)
    make_enrolment(learner, Roadmap.objects.get(slug="bench-dash-2"))

    with pytest.raises(CommandError, match="1 enrolments of other learners"):
        _bench("--delete")
    assert Enrolment.objects.filter(user=learner).exists()
    assert User.objects.filter(email__in=BENCH_EMAILS).count() == 2
