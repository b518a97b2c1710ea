"""Roadmap health for editors (issue 15, point 8): per step the learners who
reached it, the median logged hours against the estimate, the share who
stalled there and the most-skipped items, in queries that do not grow with
the number of learners."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from progress.models import EnrolmentStatus, ItemProgress, StudyEntry
from roadmaps.admin.health import roadmap_health
from roadmaps.models import Item
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment

pytestmark = pytest.mark.django_db


def health_url(roadmap) -> str:
    return f"/admin/roadmaps/roadmap/{roadmap.pk}/health/"


def tick(enrolment, item, state="done", *, days_ago=0):
    return ItemProgress.objects.create(
        enrolment=enrolment, item=item, state=state, state_changed_at=timezone.now() - timedelta(days=days_ago)
    )


def log(enrolment, item, minutes, *, days_ago=0):
    when = timezone.now() - timedelta(days=days_ago)
    StudyEntry.objects.create(user=enrolment.user, enrolment=enrolment, item=item, date=when.date(),
                              minutes=minutes, created_at=when)


@pytest.fixture
def garden(db):
    roadmap = make_roadmap(steps=2, items_per_step=3)  # items of 2 h each: 6 h a step
    items = {item.key: item for item in Item.objects.filter(roadmap=roadmap)}
    fresh, stale, idle, left = (make_enrolment(make_user(), roadmap) for _ in range(4))
    tick(fresh, items["s0-i0"])
    tick(fresh, items["s1-i0"], "in_progress")
    tick(stale, items["s0-i0"], days_ago=40)
    tick(stale, items["s0-i1"], "skipped", days_ago=30)
    tick(fresh, items["s0-i1"], "skipped")
    tick(left, items["s0-i2"], "skipped", days_ago=60)
    left.status, left.left_at = EnrolmentStatus.LEFT, timezone.now()
    left.save(update_fields=["status", "left_at"])
    for enrolment, minutes, days_ago in ((fresh, 60, 0), (stale, 180, 35), (idle, 600, 0)):
        log(enrolment, items["s0-i0"], minutes, days_ago=days_ago)
    log(fresh, items["s0-i1"], 60)  # fresh: 120 min on step 0 in all
    return roadmap


def test_it_counts_reach_hours_stalls_and_skips_per_step(garden):
    health = roadmap_health(garden, stall_weeks=3)
    assert (health.learners, health.never_started) == (3, 1)  # the learner who left is not current
    first, second = health.steps
    assert (first.title, first.reached, first.estimate) == ("Step 0", 3, Decimal("6.0"))
    assert first.median_hours == pytest.approx(3.0)  # 2 h, 3 h, 10 h
    assert first.logged_by == 3 and first.ratio == pytest.approx(0.5)
    assert (first.stalled, first.stalled_share) == (1, pytest.approx(1 / 3))
    assert [(item.key, n) for item, n in first.skipped] == [("s0-i1", 2), ("s0-i2", 1)]
    assert (second.reached, second.median_hours, second.stalled, second.skipped) == (1, None, 0, [])


def test_it_counts_a_stall_only_after_the_weeks_chosen(garden):
    assert roadmap_health(garden, stall_weeks=5).steps[0].stalled == 0  # 30 days is not 5 weeks


def test_it_shows_the_health_page_to_editors_from_the_change_form(garden, editor_client):
    change = editor_client.get(f"/admin/roadmaps/roadmap/{garden.pk}/change/").content.decode()
    assert f'href="{health_url(garden)}"' in change
    page = " ".join(editor_client.get(health_url(garden)).content.decode().split())
    assert "3 current learners (active or paused); 1 of them has not started an item yet." in page
    assert "<th scope=\"row\">Step 0</th>" in page and "33% (1)" in page and "Item 0.1 (2), Item 0.2 (1)" in page
    assert "×0.5" in page


def test_it_reads_the_weeks_from_the_query_and_refuses_nonsense(garden, editor_client):
    assert "33% (1)" not in editor_client.get(health_url(garden) + "?weeks=5").content.decode()
    page = editor_client.get(health_url(garden) + "?weeks=0").content.decode()
    assert "Ensure this value is greater than or equal to 1." in page and "33% (1)" in page


def test_it_keeps_the_health_page_to_editors(garden, client, learner):
    assert client.get(health_url(garden))["Location"].startswith("/admin/login/")
    client.force_login(learner)
    assert client.get(health_url(garden))["Location"].startswith("/admin/login/")
    client.force_login(make_user("staff@example.com", is_staff=True))
    assert client.get(health_url(garden)).status_code == 403


def test_it_answers_404_for_an_unknown_roadmap_and_405_to_a_post(garden, editor_client):
    assert editor_client.get("/admin/roadmaps/roadmap/999999/health/").status_code == 404
    assert editor_client.post(health_url(garden)).status_code == 405


def test_it_reads_health_in_queries_that_do_not_grow_with_learners(garden, django_assert_max_num_queries):
    items = list(Item.objects.filter(roadmap=garden))
    with django_assert_max_num_queries(8) as few:
        roadmap_health(garden)
    for _ in range(30):
        enrolment = make_enrolment(make_user(), garden)
        for item in items[:4]:
            tick(enrolment, item, "skipped" if item.pk % 2 else "done", days_ago=25)
            log(enrolment, item, 45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        roadmap_health(garden)
