"""Enrolment, item state, details and milestone views."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from progress import summaries
from progress.models import Enrolment, EnrolmentPause, ItemProgress, Milestone
from progress.schedule import local_today
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment(learner, roadmap):
    return make_enrolment(learner, roadmap)


@pytest.fixture
def item(roadmap):
    return roadmap_items(roadmap)[0]


@pytest.fixture
def milestone(enrolment):
    return Milestone.objects.create(enrolment=enrolment, title="Ship the API", position=1)


def private_urls(enrolment, item, milestone):
    """(method, url, data) of every private view that takes an id."""
    pk = enrolment.pk
    return [
        ("get", reverse("progress:plan", args=[pk]), None),
        ("post", reverse("progress:change_pace", args=[pk]), {"pace": "own", "hours_per_week": "3"}),
        ("post", reverse("progress:pause", args=[pk]), {}),
        ("post", reverse("progress:resume", args=[pk]), {}),
        ("get", reverse("progress:leave", args=[pk]), None),
        ("post", reverse("progress:leave", args=[pk]), {}),
        ("get", reverse("progress:restart", args=[pk]), None),
        ("post", reverse("progress:restart", args=[pk]), {"start_date": date.today().isoformat()}),
        ("post", reverse("progress:item_state", args=[pk, item.pk]), {"state": "done"}),
        ("get", reverse("progress:item_details", args=[pk, item.pk]), None),
        ("post", reverse("progress:item_details", args=[pk, item.pk]), {"note": "mine"}),
        ("get", reverse("progress:milestone_add", args=[pk]), None),
        ("post", reverse("progress:milestone_add", args=[pk]), {"title": "Theirs"}),
        ("get", reverse("progress:milestone_edit", args=[pk, milestone.pk]), None),
        ("post", reverse("progress:milestone_edit", args=[pk, milestone.pk]), {"title": "Theirs"}),
        ("post", reverse("progress:milestone_done", args=[pk, milestone.pk]), {"done": "1"}),
        ("get", reverse("progress:milestone_delete", args=[pk, milestone.pk]), None),
        ("post", reverse("progress:milestone_delete", args=[pk, milestone.pk]), {}),
    ]


def test_it_sends_anonymous_visitors_to_sign_in(client, enrolment, item, milestone, roadmap):
    urls = [*private_urls(enrolment, item, milestone), ("get", reverse("progress:enrol", args=[roadmap.slug]), None)]
    for method, url, data in urls:
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_it_answers_404_for_another_learners_things(client, other_learner, enrolment, item, milestone):
    client.force_login(other_learner)
    for method, url, data in private_urls(enrolment, item, milestone):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 404, url
    enrolment.refresh_from_db()
    assert enrolment.is_active and not ItemProgress.objects.exists()
    assert Milestone.objects.get().title == "Ship the API"


def test_it_answers_405_to_the_wrong_method(learner_client, enrolment, item, milestone):
    pk = enrolment.pk
    for url in [
        reverse("progress:change_pace", args=[pk]),
        reverse("progress:pause", args=[pk]),
        reverse("progress:resume", args=[pk]),
        reverse("progress:item_state", args=[pk, item.pk]),
        reverse("progress:milestone_done", args=[pk, milestone.pk]),
    ]:
        assert learner_client.get(url).status_code == 405, url
    assert learner_client.post(reverse("progress:plan", args=[pk])).status_code == 405
    assert learner_client.put(reverse("progress:leave", args=[pk])).status_code == 405


def test_it_answers_404_for_an_item_of_another_roadmap(learner_client, enrolment):
    from tests.factories import make_roadmap

    elsewhere = roadmap_items(make_roadmap())[0]
    url = reverse("progress:item_state", args=[enrolment.pk, elsewhere.pk])
    assert learner_client.post(url, {"state": "done"}).status_code == 404


# --- Enrolment -----------------------------------------------------------------


def test_it_enrols_with_a_pace_plan(learner_client, learner, roadmap):
    plan = roadmap.pace_plans.get()
    response = learner_client.post(
        reverse("progress:enrol", args=[roadmap.slug]), {"pace": plan.pk, "start_date": date.today().isoformat()}
    )
    enrolment = Enrolment.objects.get(user=learner)
    assert response.status_code == 302 and response["Location"] == reverse("progress:plan", args=[enrolment.pk])
    assert enrolment.pace_plan == plan and enrolment.hours_per_week == plan.hours_per_week


def test_it_enrols_at_an_own_pace_and_in_several_roadmaps(learner_client, learner, roadmap):
    from tests.factories import make_roadmap

    second = make_roadmap()
    for slug in (roadmap.slug, second.slug):
        response = learner_client.post(
            reverse("progress:enrol", args=[slug]),
            {"pace": "own", "hours_per_week": "7.5", "start_date": date.today().isoformat()},
        )
        assert response.status_code == 302
    assert [str(e.hours_per_week) for e in learner.enrolments.order_by("pk")] == ["7.5", "7.5"]
    assert all(e.pace_plan is None for e in learner.enrolments.all())


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"pace": "own", "hours_per_week": "0"}, "hours_per_week"),
        ({"pace": "own", "hours_per_week": "-3"}, "hours_per_week"),
        ({"pace": "own", "hours_per_week": "200"}, "hours_per_week"),
        ({"pace": "own", "hours_per_week": ""}, "hours_per_week"),
        ({"pace": "own", "hours_per_week": "5", "start_date": "2999-01-01"}, "start_date"),
        ({"pace": "own", "hours_per_week": "5", "start_date": "2001-01-01"}, "start_date"),
        ({"pace": "own", "hours_per_week": "5", "start_date": "not a date"}, "start_date"),
        ({"pace": "99999"}, "pace"),
    ],
)
def test_it_rejects_bad_enrolment_input(learner_client, roadmap, data, field):
    data = {"start_date": date.today().isoformat(), **data}
    response = learner_client.post(reverse("progress:enrol", args=[roadmap.slug]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert b"field-error" in response.content
    assert not Enrolment.objects.exists()


def test_it_does_not_duplicate_a_double_submitted_enrolment(learner_client, learner, roadmap):
    data = {"pace": "own", "hours_per_week": "5", "start_date": date.today().isoformat()}
    url = reverse("progress:enrol", args=[roadmap.slug])
    first = learner_client.post(url, data)
    second = learner_client.post(url, {**data, "hours_per_week": "9"})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert learner.enrolments.get().hours_per_week == 5


def test_it_survives_the_enrolment_race(learner, roadmap, monkeypatch):
    """Two tabs: the other tab's enrolment appears between our check and our
    insert. The unique constraint catches it and we answer with theirs."""
    from progress.enrolments import services

    theirs = make_enrolment(learner, roadmap)
    real = Enrolment.objects.select_for_update

    def stale_lookup(*args, **kwargs):
        return real(*args, **kwargs).filter(pk=-1)  # as if we looked before the other tab

    monkeypatch.setattr(Enrolment.objects, "select_for_update", stale_lookup)
    enrolment, created = services.enrolment_start(
        user=learner, roadmap=roadmap, hours_per_week=5, start_date=date.today()
    )
    assert enrolment == theirs and not created
    assert Enrolment.objects.count() == 1


def test_it_shows_the_enrol_form_and_404s_on_drafts(learner_client, roadmap):
    from tests.factories import make_roadmap

    assert learner_client.get(reverse("progress:enrol", args=[roadmap.slug])).status_code == 200
    draft = make_roadmap(status="draft")
    assert learner_client.get(reverse("progress:enrol", args=[draft.slug])).status_code == 404


def test_it_pauses_and_resumes(learner_client, enrolment):
    assert learner_client.post(reverse("progress:pause", args=[enrolment.pk])).status_code == 302
    learner_client.post(reverse("progress:pause", args=[enrolment.pk]))  # double click
    enrolment.refresh_from_db()
    assert enrolment.is_paused and EnrolmentPause.objects.filter(ended_on=None).count() == 1
    assert learner_client.post(reverse("progress:resume", args=[enrolment.pk])).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.is_active and enrolment.paused_on is None
    assert EnrolmentPause.objects.get().ended_on is not None


def test_it_leaves_after_confirmation_and_keeps_history(learner_client, learner, enrolment, item, roadmap):
    ItemProgress.objects.create(enrolment=enrolment, item=item, state="done", note="keep me")
    page = learner_client.get(reverse("progress:leave", args=[enrolment.pk]))
    assert page.status_code == 200 and b"Leave the roadmap" in page.content
    enrolment.refresh_from_db()
    assert enrolment.is_active  # the GET only asks
    learner_client.post(reverse("progress:leave", args=[enrolment.pk]))
    enrolment.refresh_from_db()
    assert enrolment.status == "left" and enrolment.left_at is not None
    assert ItemProgress.objects.get().note == "keep me"
    # Enrolling again reactivates the same enrolment with its progress.
    learner_client.post(
        reverse("progress:enrol", args=[roadmap.slug]),
        {"pace": "own", "hours_per_week": "4", "start_date": date.today().isoformat()},
    )
    enrolment.refresh_from_db()
    assert enrolment.is_active and enrolment.left_at is None and enrolment.hours_per_week == 4
    assert learner.enrolments.count() == 1 and ItemProgress.objects.get().state == "done"


def test_it_restarts_after_confirmation_keeping_notes(learner_client, enrolment, item, milestone):
    ItemProgress.objects.create(enrolment=enrolment, item=item, state="done", note="keep me", confidence=2)
    milestone.done_at = milestone.created_at
    milestone.save()
    assert learner_client.get(reverse("progress:restart", args=[enrolment.pk])).status_code == 200
    new_start = local_today("UTC") + timedelta(days=3)
    response = learner_client.post(reverse("progress:restart", args=[enrolment.pk]), {"start_date": new_start})
    assert response.status_code == 302
    row = ItemProgress.objects.get()
    assert (row.state, row.note, row.confidence, row.completed_at) == ("not_started", "keep me", None, None)
    milestone.refresh_from_db()
    enrolment.refresh_from_db()
    assert milestone.done_at is None and enrolment.start_date == new_start


def test_it_rejects_a_restart_far_in_the_future(learner_client, enrolment):
    start = enrolment.start_date
    response = learner_client.post(reverse("progress:restart", args=[enrolment.pk]), {"start_date": "2999-01-01"})
    assert response.status_code == 400 and "start_date" in response.context["form"].errors
    enrolment.refresh_from_db()
    assert enrolment.start_date == start


def test_it_changes_the_pace_and_rejects_a_bad_one(learner_client, enrolment):
    url = reverse("progress:change_pace", args=[enrolment.pk])
    assert learner_client.post(url, {"pace": "own", "hours_per_week": "0"}).status_code == 400
    enrolment.refresh_from_db()
    assert enrolment.hours_per_week == 10
    assert learner_client.post(url, {"pace": "own", "hours_per_week": "3"}).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.hours_per_week == 3


def test_it_shows_the_plan(learner_client, enrolment, item, django_assert_max_num_queries):
    ItemProgress.objects.create(enrolment=enrolment, item=item, state="skipped")
    summaries.rebuild(enrolments=[enrolment])
    learner_client.get(reverse("progress:plan", args=[enrolment.pk]))  # the content cache, warm
    # session, user, enrolment, step summaries, front items, milestones,
    # skipped and removed rows, study minutes (tests/test_query_bounds.py: flat)
    with django_assert_max_num_queries(10):
        response = learner_client.get(reverse("progress:plan", args=[enrolment.pk]))
    assert response.status_code == 200
    assert b"Skipped" in response.content and item.title.encode() in response.content
    assert b"no forecast from your actual pace yet" in response.content


def test_the_plan_names_a_steps_weeks_as_weeks(learner_client, learner):
    """A step's planned weeks are Mondays: "7 Dec – 14 Dec" alone read as a
    step that ends on 14 Dec while it runs through that week."""
    roadmap = make_roadmap(steps=1, items_per_step=8)
    today = local_today(learner.time_zone)
    monday = today + timedelta(days=7 - today.weekday() + 7)
    enrolment = make_enrolment(learner, roadmap, hours_per_week=2, start_date=monday)
    body = learner_client.get(reverse("progress:plan", args=[enrolment.pk])).content.decode()
    first = f"{monday.day} {monday:%b}"
    assert re.search(rf'data-label="Planned weeks">Week of {first} – week of \d+ \w+ \d{{4}}</td>', body), body


# --- Item state ------------------------------------------------------------------


def test_it_changes_an_item_state_and_returns_to_the_item(learner_client, enrolment, item, roadmap):
    url = reverse("progress:item_state", args=[enrolment.pk, item.pk])
    # Its query bound: tests/test_query_bounds.py.
    response = learner_client.post(url, {"state": "in_progress"})
    assert response.status_code == 302
    assert response["Location"] == f"/roadmaps/{roadmap.slug}/#item-{item.pk}"
    row = ItemProgress.objects.get()
    assert row.state == "in_progress" and row.started_at and row.completed_at is None
    learner_client.post(url, {"state": "done"})
    row.refresh_from_db()
    assert row.state == "done" and row.completed_at is not None
    first_done = row.state_changed_at
    learner_client.post(url, {"state": "done"})  # double click: nothing moves
    row.refresh_from_db()
    assert row.state_changed_at == first_done and ItemProgress.objects.count() == 1


def test_it_updates_item_and_bars_in_place_with_htmx(learner_client, enrolment, item):
    url = reverse("progress:item_state", args=[enrolment.pk, item.pk])
    response = learner_client.post(url, {"state": "done"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="learner-item-{item.pk}"' in html
    assert f'id="step-progress-{item.step_id}" data-hx-swap-oob="true"' in html
    assert 'id="roadmap-progress" data-hx-swap-oob="true"' in html
    assert "1 of 3 done" in html and "1 of 6 done" in html


def test_it_confirms_a_plain_state_change_once_on_the_roadmap_page(learner_client, enrolment, item):
    url = reverse("progress:item_state", args=[enrolment.pk, item.pk])
    response = learner_client.post(url, {"state": "done"}, follow=True)
    assert response.redirect_chain == [(f"/roadmaps/{enrolment.roadmap.slug}/#item-{item.pk}", 302)]
    html = response.content.decode()
    assert html.count(f"Marked “{item.title}” as done.") == 1
    assert 'class="message message--success"' in html
    learner_client.post(url, {"state": "in_progress"})
    html = learner_client.get(enrolment.roadmap.get_absolute_url()).content.decode()
    assert f"Marked “{item.title}” as in progress." in html and "as done." not in html
    again = learner_client.get(enrolment.roadmap.get_absolute_url()).content.decode()
    assert "Marked “" not in again  # shown once, then gone


def test_it_queues_no_message_for_an_htmx_state_change(learner_client, enrolment, item):
    url = reverse("progress:item_state", args=[enrolment.pk, item.pk])
    response = learner_client.post(url, {"state": "done"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    # Said once, in the live region the answer fills in; never queued for later.
    assert response.status_code == 200 and body.count("Marked “") == 1
    assert '<p id="live-status" data-hx-swap-oob="innerHTML">Marked “' in body
    assert "messages" not in response.cookies
    assert ItemProgress.objects.get().state == "done"
    html = learner_client.get(enrolment.roadmap.get_absolute_url()).content.decode()
    assert "Marked “" not in html and 'class="messages"' not in html


def test_an_htmx_tick_carries_the_plans_figures(learner_client, enrolment, item):
    url = reverse("progress:item_state", args=[enrolment.pk, item.pk])
    body = learner_client.post(url, {"state": "done"}, HTTP_HX_REQUEST="true").content.decode()
    page = learner_client.get(enrolment.roadmap.get_absolute_url()).content.decode()
    # The pace line (on track / behind, finish date) swapped out of band is the
    # one the page now draws.
    swapped = body[body.index('<div class="pace-line" id="pace-line" data-hx-swap-oob="true">'):]
    swapped = swapped[swapped.index(">") + 1:swapped.index("</div>")]
    drawn = page[page.index('<div class="pace-line" id="pace-line">'):]
    drawn = drawn[drawn.index(">") + 1:drawn.index("</div>")]
    assert swapped == drawn and "Target finish" in drawn


def test_it_ignores_a_foreign_next_url(learner_client, enrolment, item, roadmap):
    url = reverse("progress:item_state", args=[enrolment.pk, item.pk])
    response = learner_client.post(url, {"state": "done", "next": "https://evil.example/"})
    assert response["Location"] == f"/roadmaps/{roadmap.slug}/#item-{item.pk}"


def test_it_rejects_an_unknown_state(learner_client, enrolment, item):
    url = reverse("progress:item_state", args=[enrolment.pk, item.pk])
    assert learner_client.post(url, {"state": "finished"}).status_code == 302
    assert learner_client.post(url, {"state": "finished"}, HTTP_HX_REQUEST="true").status_code == 400
    assert not ItemProgress.objects.exists()


def test_it_saves_notes_evidence_and_project_links(learner_client, enrolment, roadmap):
    project = next(i for i in roadmap_items(roadmap) if i.kind == "project")
    url = reverse("progress:item_details", args=[enrolment.pk, project.pk])
    page = learner_client.get(url)
    assert page.status_code == 200 and b"Repository URL" in page.content
    response = learner_client.post(url, {
        "note": "tricky", "evidence_url": "https://example.com/proof", "confidence": "2",
        "repo_url": "https://github.com/me/api", "live_url": "https://api.example.com",
    })
    assert response.status_code == 302
    row = ItemProgress.objects.get()
    assert (row.note, row.confidence, row.repo_url, row.state) == ("tricky", 2, "https://github.com/me/api",
                                                                  "not_started")


@pytest.mark.parametrize(
    "data",
    [
        {"confidence": "6"},
        {"confidence": "0"},
        {"evidence_url": "not a url"},
        {"repo_url": "javascript:alert(1)"},
        {"live_url": "http://"},
    ],
)
def test_it_rejects_bad_item_details(learner_client, enrolment, roadmap, data):
    project = next(i for i in roadmap_items(roadmap) if i.kind == "project")
    response = learner_client.post(
        reverse("progress:item_details", args=[enrolment.pk, project.pk]), {"note": "x", **data}
    )
    assert response.status_code == 400 and b"field-error" in response.content
    assert not ItemProgress.objects.exists()


def test_it_offers_no_project_links_on_a_topic(learner_client, enrolment, roadmap):
    topic = next(i for i in roadmap_items(roadmap) if i.kind == "topic")
    page = learner_client.get(reverse("progress:item_details", args=[enrolment.pk, topic.pk]))
    assert b"Repository URL" not in page.content


def test_it_lists_low_confidence_items_to_revisit(learner, enrolment, roadmap):
    first, second, third = roadmap_items(roadmap)[:3]
    ItemProgress.objects.create(enrolment=enrolment, item=first, state="done", confidence=2)
    ItemProgress.objects.create(enrolment=enrolment, item=second, state="done", confidence=4)
    ItemProgress.objects.create(enrolment=enrolment, item=third, state="in_progress", confidence=1)
    assert [row.item for row in ItemProgress.objects.revisit_for(learner)] == [first]


# --- Milestones --------------------------------------------------------------------


def test_it_adds_edits_ticks_and_deletes_milestones(learner_client, enrolment, roadmap):
    step = roadmap.steps.first()
    add = reverse("progress:milestone_add", args=[enrolment.pk])
    assert learner_client.get(add, {"step": step.pk}).status_code == 200
    assert learner_client.post(add, {"title": "Deploy", "step": step.pk, "due_date": "2030-01-01"}).status_code == 302
    milestone = Milestone.objects.get()
    assert milestone.step == step
    edit = reverse("progress:milestone_edit", args=[enrolment.pk, milestone.pk])
    assert learner_client.post(edit, {"title": "Deploy it"}).status_code == 302
    done = reverse("progress:milestone_done", args=[enrolment.pk, milestone.pk])
    learner_client.post(done, {"done": "1"})
    milestone.refresh_from_db()
    assert milestone.title == "Deploy it" and milestone.done_at is not None and milestone.step is None
    delete = reverse("progress:milestone_delete", args=[enrolment.pk, milestone.pk])
    assert learner_client.get(delete).status_code == 200 and Milestone.objects.exists()
    learner_client.post(delete)
    assert not Milestone.objects.exists()
    assert not roadmap.steps.filter(title="Deploy it").exists()  # the roadmap is untouched


@pytest.mark.parametrize("data", [{"title": ""}, {"title": "x" * 201}, {"title": "Far", "due_date": "2999-01-01"}])
def test_it_rejects_bad_milestones(learner_client, enrolment, data):
    response = learner_client.post(reverse("progress:milestone_add", args=[enrolment.pk]), data)
    assert response.status_code == 400 and not Milestone.objects.exists()


def test_it_rejects_a_step_of_another_roadmap(learner_client, enrolment):
    from tests.factories import make_roadmap

    foreign = make_roadmap().steps.first()
    response = learner_client.post(
        reverse("progress:milestone_add", args=[enrolment.pk]), {"title": "x", "step": foreign.pk}
    )
    assert response.status_code == 400 and not Milestone.objects.exists()


def test_it_asks_only_for_hours_on_a_roadmap_without_pace_plans(learner_client, learner):
    from tests.factories import make_roadmap

    roadmap = make_roadmap(weekly_hours=7)
    roadmap.pace_plans.all().delete()
    for url in (reverse("progress:enrol", args=[roadmap.slug]), roadmap.get_absolute_url()):
        html = learner_client.get(url).content.decode()
        assert 'type="radio"' not in html  # one pace, the learner's own: nothing to choose
        assert '<input type="hidden" name="pace" value="own">' in html
        assert "Hours a week" in html and "(optional)" not in html
        assert 'name="hours_per_week" value="7"' in html  # the roadmap's own suggestion to start from
    response = learner_client.post(
        reverse("progress:enrol", args=[roadmap.slug]),
        {"pace": "own", "hours_per_week": "", "start_date": date.today().isoformat()},
    )
    assert response.status_code == 400 and not Enrolment.objects.exists()
    assert "Enter how many hours a week" in response.content.decode()
    learner_client.post(
        reverse("progress:enrol", args=[roadmap.slug]),
        {"pace": "own", "hours_per_week": "7", "start_date": date.today().isoformat()},
    )
    assert Enrolment.objects.get(user=learner).hours_per_week == 7


def test_it_suggests_the_learners_goal_when_the_roadmap_names_no_hours(learner_client, learner):
    from tests.factories import make_roadmap

    roadmap = make_roadmap(weekly_hours=None)
    roadmap.pace_plans.all().delete()
    html = learner_client.get(reverse("progress:enrol", args=[roadmap.slug])).content.decode()
    assert f'name="hours_per_week" value="{learner.weekly_hours_goal}"' in html
