"""The dashboard: where a learner lands and what it shows (its query bound: tests/test_query_bounds.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from progress.models import Enrolment, ItemProgress, MetricEntry, PlannedBreak, StudyEntry
from progress.schedule import local_today, week_start
from roadmaps.models import ItemKind
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment, roadmap_items

DASHBOARD = "/dashboard/"


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_refuses_post(learner_client):
    assert learner_client.post(DASHBOARD).status_code == 405


def test_it_is_where_sign_in_lands(settings):
    assert settings.LOGIN_REDIRECT_URL == DASHBOARD
    assert not hasattr(settings, "ACCOUNT_LOGIN_REDIRECT_URL")


def test_it_welcomes_a_new_learner_towards_the_catalogue(learner_client):
    response = learner_client.get(DASHBOARD)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Welcome to Waymark" in body
    assert f'href="{reverse("roadmaps:catalogue")}"' in body


def test_it_shows_an_enrolment_with_its_bar_plan_and_hours(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap, hours_per_week=4)
    items = roadmap_items(roadmap)
    ItemProgress.objects.create(enrolment=enrolment, item=items[0], state="done", completed_at=timezone.now())
    ItemProgress.objects.create(enrolment=enrolment, item=items[1], state="in_progress")
    StudyEntry.objects.create(user=learner, enrolment=enrolment, date=local_today(learner.time_zone), minutes=90)

    response = learner_client.get(DASHBOARD)
    body = response.content.decode()
    card = response.context["dash"].cards[0]
    assert card.learner.progress.done_count == 1
    assert card.learner.progress.percent == 17  # 2 of 12 hours
    assert 'value="17"' in body
    assert card.items[0] == items[1]  # what is in progress comes first
    assert response.context["dash"].study.week_minutes == 90
    assert "1.5 <span class=\"muted\">of 10 h" in body
    assert card.forecast.has_data
    assert roadmap.title in body
    assert f'{reverse("progress:log_add")}?item={items[1].pk}' in body
    assert "Item 0.0" in body  # recent activity: the done item
    assert "90 min" in body


def test_it_lists_project_links_and_no_revisit_list(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    items = roadmap_items(roadmap)
    project = next(item for item in items if item.kind == ItemKind.PROJECT)
    topic = next(item for item in items if item.kind == ItemKind.TOPIC)
    ItemProgress.objects.create(enrolment=enrolment, item=topic, state="done", confidence=2)
    ItemProgress.objects.create(
        enrolment=enrolment, item=project, state="in_progress", repo_url="https://git.example.org/me/app"
    )
    body = learner_client.get(DASHBOARD).content.decode()
    # Low confidence is the first answer of the topic's review card now
    # (tests/test_reviews_*.py): the revisit list became the review queue.
    assert "Worth revisiting" not in body
    assert "https://git.example.org/me/app" in body


def test_it_shows_metric_totals_against_targets(learner_client, learner):
    roadmap = make_roadmap()
    metric = roadmap.metrics.get()
    metric.target = 30
    metric.save()
    enrolment = make_enrolment(learner, roadmap)
    MetricEntry.objects.create(enrolment=enrolment, metric=metric, date=date.today(), amount=7)
    MetricEntry.objects.create(enrolment=enrolment, metric=metric, date=date.today(), amount=5)
    other = make_enrolment(make_user(), roadmap)
    MetricEntry.objects.create(enrolment=other, metric=metric, date=date.today(), amount=100)
    body = learner_client.get(DASHBOARD).content.decode()
    assert "Challenges solved: <strong>12</strong> of 30" in body


def test_it_never_shows_another_learners_enrolments(learner_client, other_learner, roadmap):
    make_enrolment(other_learner, roadmap)
    StudyEntry.objects.create(user=other_learner, date=date.today(), minutes=300)
    response = learner_client.get(DASHBOARD)
    assert response.context["dash"].cards == []
    assert response.context["dash"].study.total_minutes == 0


def test_it_leaves_out_enrolments_the_learner_left(learner_client, learner, roadmap):
    make_enrolment(learner, roadmap, status="left", left_at=timezone.now())
    response = learner_client.get(DASHBOARD)
    assert response.context["dash"].cards == []


def test_it_has_a_slot_for_retrospective_cards_that_renders_nothing_yet(learner_client, learner, roadmap):
    make_enrolment(learner, roadmap)
    response = learner_client.get(DASHBOARD)
    assert response.context["retrospective_cards"] in ("", "retrospectives/includes/dashboard_cards.html")


def test_it_marks_this_week_as_a_planned_break_from_the_dashboard(learner_client, learner, roadmap):
    make_enrolment(learner, roadmap)
    today = local_today(learner.time_zone)
    response = learner_client.post(reverse("progress:planned_break"), {"week": today.isoformat(), "action": "mark"})
    assert response.status_code == 302
    assert list(PlannedBreak.objects.filter(user=learner).values_list("week_start", flat=True)) == [week_start(today)]
    body = learner_client.get(DASHBOARD).content.decode()
    assert "Planned break" in body


def test_it_includes_paused_enrolments_marked_as_paused(learner_client, learner, roadmap):
    Enrolment.objects.create(
        user=learner, roadmap=roadmap, hours_per_week=Decimal(5), start_date=date.today(), status="paused",
        paused_on=date.today(),
    )
    body = learner_client.get(DASHBOARD).content.decode()
    assert "Paused" in body
