"""Query counts are bounds, shown not to grow with the data.

Each page or write is measured for two learners: one with one item and one
progress row, and one on three roadmaps of 2,000 items each with 1,500
progress rows, 500 study entries and metric entries. The count must stay
under the bound for both and be the same for both: nothing walks the items.

Both learners' step summaries are built first (`summaries.rebuild`), as the
app's write paths keep them; a stale summary is recomputed from the raw rows
(see tests/test_summaries.py), which is correct but not the steady state.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from progress import summaries
from progress.models import Enrolment, ItemProgress, MetricEntry, PlannedBreak, StudyEntry
from progress.schedule import week_start
from roadmaps.management.commands.bench_roadmap_page import Command as BenchRoadmap
from roadmaps.models import Item, ItemKind
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment, roadmap_items

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"
DASHBOARD_BOUND = 12
# 8 for the change itself; a topic marked done also writes its review card and
# first answer (the reviews app, in the same transaction): 2 more. Plus, for
# the htmx answer's bars, the loader's summaries and the hours due reviews take.
STATE_CHANGE_BOUND = 10
BIG_ROADMAPS, BIG_ITEMS, BIG_STEPS, BIG_ROWS, BIG_ENTRIES = 3, 2000, 50, 1500, 500
# Both learners started this long ago, so both have a retrospective due: its
# cards cost two queries (the period's retrospectives, the prompts) that a
# learner with none due does not pay. Same shape, different size.
STARTED_DAYS_AGO = 120


def one_item_learner() -> tuple[Client, Enrolment, Item]:
    """One roadmap with one item, one progress row (in progress: a tick moves it)."""
    user = make_user()
    roadmap = make_roadmap(steps=1, items_per_step=1)
    enrolment = make_enrolment(user, roadmap, start_date=date.today() - timedelta(days=STARTED_DAYS_AGO))
    item = roadmap_items(roadmap)[0]
    ItemProgress.objects.create(enrolment=enrolment, item=item, state="in_progress")
    StudyEntry.objects.create(user=user, enrolment=enrolment, date=date.today(), minutes=30)
    summaries.rebuild(enrolments=[enrolment])
    return signed_in(user), enrolment, item


def big_learner() -> tuple[Client, Enrolment, Item]:
    """Three 2,000-item roadmaps in 50 steps, 1,500 rows in every state, 500
    study entries over the last year, metric entries and a planned break.
    Returns the first enrolment and an item of it in progress."""
    rng = random.Random(7)
    today = date.today()
    user = make_user()
    enrolments = []
    for n in range(BIG_ROADMAPS):
        roadmap = BenchRoadmap.create_roadmap(slug=f"bench-bounds-{n}", steps=BIG_STEPS, items=BIG_ITEMS)
        enrolments.append(make_enrolment(user, roadmap, start_date=today - timedelta(days=STARTED_DAYS_AGO)))
    rows = []
    per_enrolment = BIG_ROWS // BIG_ROADMAPS
    for enrolment in enrolments:
        items = list(Item.objects.filter(roadmap=enrolment.roadmap).order_by("pk")[:per_enrolment])
        for i, item in enumerate(items):
            state = ["done", "in_progress", "skipped", "done", "not_started"][i % 5]
            rows.append(
                ItemProgress(
                    enrolment=enrolment, item=item, state=state,
                    confidence=(i % 2) + 1 if state == "done" else None,  # all low: worth revisiting
                    repo_url="https://git.example.org/me/p" if item.kind == ItemKind.PROJECT else "",
                )
            )
    ItemProgress.objects.bulk_create(rows, batch_size=500)
    StudyEntry.objects.bulk_create(
        StudyEntry(
            user=user, enrolment=rng.choice([*enrolments, None]), date=today - timedelta(days=rng.randrange(365)),
            minutes=rng.randrange(10, 120),
        )
        for _ in range(BIG_ENTRIES)
    )
    MetricEntry.objects.bulk_create(
        MetricEntry(enrolment=e, metric=e.roadmap.metrics.get(), date=today, amount=3) for e in enrolments
    )
    PlannedBreak.objects.create(user=user, week_start=week_start(today) - timedelta(weeks=3))
    summaries.rebuild(enrolments=enrolments)
    first = enrolments[0]
    item = ItemProgress.objects.filter(enrolment=first, state="in_progress").order_by("pk").first().item
    return signed_in(user), first, item


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def statements(captured) -> list[str]:
    """The captured SQL less SAVEPOINT / RELEASE SAVEPOINT: the test's own
    transaction turns every `atomic()` of the app into a savepoint pair, which
    a request outside a test (autocommit, a real BEGIN/COMMIT) does not issue."""
    return [
        query["sql"] for query in captured.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def show(name: str, sql: list[str]) -> str:
    return f"{name}: {len(sql)} queries\n" + "\n".join(f"  {n}. {q[:300]}" for n, q in enumerate(sql, 1))


# --- Dashboard -------------------------------------------------------------------


def test_the_dashboard_issues_the_same_few_queries_for_a_one_item_and_a_big_learner(django_assert_max_num_queries):
    small_client, small, _ = one_item_learner()
    big_client, big, _ = big_learner()
    counts = {}
    for name, client in (("one-item learner", small_client), ("big learner", big_client)):
        with django_assert_max_num_queries(DASHBOARD_BOUND), CaptureQueriesContext(connection) as captured:
            response = client.get(DASHBOARD)
        assert response.status_code == 200
        counts[name] = [query["sql"] for query in captured.captured_queries]
        print(show(name, counts[name]))
    assert len(counts["one-item learner"]) == len(counts["big learner"]), "\n".join(
        show(name, sql) for name, sql in counts.items()
    )

    # And the big learner's page shows the big learner's figures.
    dash = response.context["dash"]
    assert len(dash.cards) == BIG_ROADMAPS
    assert dash.study.total_minutes == sum(StudyEntry.objects.filter(user=big.user).values_list("minutes", flat=True))
    card = next(card for card in dash.cards if card.enrolment.pk == big.pk)
    assert card.learner.progress.done_count == ItemProgress.objects.filter(enrolment=big, state="done").count()
    assert card.learner.progress.skipped_count == ItemProgress.objects.filter(enrolment=big, state="skipped").count()
    assert card.learner.progress.item_count == BIG_ITEMS - card.learner.progress.skipped_count


def test_a_new_learners_dashboard_stays_under_the_bound(learner_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(DASHBOARD_BOUND) as captured:
        response = learner_client.get(DASHBOARD)
    assert response.status_code == 200 and response.context["dash"].cards == []
    print(show("new learner", [query["sql"] for query in captured.captured_queries]))


# --- An item's state change -------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_an_item_state_change_issues_the_same_few_queries_for_a_one_item_and_a_big_learner(htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    bound = STATE_CHANGE_BOUND + (2 if htmx else 0)
    counts = {}
    for name, (client, enrolment, item) in (("one-item learner", one_item_learner()), ("big learner", big_learner())):
        url = reverse("progress:item_state", args=[enrolment.pk, item.pk])
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, {"state": "done"}, **headers)
        assert response.status_code == (200 if htmx else 302)
        assert ItemProgress.objects.get(enrolment=enrolment, item=item).state == "done"
        # The change was applied to the kept summary, not by a rebuild.
        assert summaries.is_fresh(Enrolment.objects.get(pk=enrolment.pk), enrolment.roadmap)
        counts[name] = statements(captured)
        print(f"{len(captured.captured_queries)} captured, savepoints included")
        print(show(name, counts[name]))
        assert len(counts[name]) <= bound, show(name, counts[name])
    assert len(counts["one-item learner"]) == len(counts["big learner"]), "\n".join(
        show(name, sql) for name, sql in counts.items()
    )


# --- The plan and the roadmap page ------------------------------------------------

PLAN_BOUND = 10
ROADMAP_PAGE_BOUND = 10


def _page_counts(path_of) -> dict[str, list[str]]:
    """Queries of a warm view (the shared content cache filled by a first
    view, as every reader after the first finds it) for both learners."""
    counts = {}
    for name, (client, enrolment, _) in (("one-item learner", one_item_learner()), ("big learner", big_learner())):
        path = path_of(enrolment)
        assert client.get(path).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        counts[name] = [query["sql"] for query in captured.captured_queries]
        print(show(name, counts[name]))
    return counts


def test_the_plan_issues_the_same_few_queries_for_a_one_item_and_a_big_learner():
    counts = _page_counts(lambda enrolment: reverse("progress:plan", args=[enrolment.pk]))
    assert all(len(sql) <= PLAN_BOUND for sql in counts.values())
    assert len(counts["one-item learner"]) == len(counts["big learner"])


def test_the_roadmap_page_issues_the_same_few_queries_for_a_one_item_and_a_big_learner():
    counts = _page_counts(lambda enrolment: enrolment.roadmap.get_absolute_url())
    assert all(len(sql) <= ROADMAP_PAGE_BOUND for sql in counts.values())
    assert len(counts["one-item learner"]) == len(counts["big learner"])
