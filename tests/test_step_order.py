"""A learner's own order of a roadmap's steps: the pure ordering rule, the
services that change it, the views, and every plan that follows it."""

from __future__ import annotations

import json
import re
import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse

from progress import summaries
from progress.enrolments import services
from progress.learner import apply_step_order, build_learner_state, learner_step_order
from progress.schedule import local_today
from roadmaps.models import Step
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment, roadmap_items

pytestmark = pytest.mark.django_db


def _item(pk, step_id):
    return SimpleNamespace(pk=pk, step_id=step_id)


def _steps(roadmap) -> list[Step]:
    return list(roadmap.steps.order_by("position"))


def _next_monday():
    today = local_today("UTC")
    return today + timedelta(days=7 - today.weekday())


@pytest.fixture
def roadmap(db):
    # Four steps of three 2-hour items (topic, resource, project): 6 h a step.
    return make_roadmap(steps=4, items_per_step=3)


@pytest.fixture
def steps(roadmap):
    return _steps(roadmap)


@pytest.fixture
def enrolment(learner, roadmap):
    return make_enrolment(learner, roadmap)


def _order(enrolment) -> list[int]:
    enrolment.refresh_from_db()
    return learner_step_order(Step.objects.filter(roadmap_id=enrolment.roadmap_id).order_by("position")
                              .values_list("pk", flat=True), enrolment.step_order)


def _move(client, enrolment, step, direction, *, follow=False, **extra):
    url = reverse("progress:step_move", args=[enrolment.pk, step.pk])
    return client.post(url, {"direction": direction, **extra}, follow=follow)


# --- The ordering rule (pure) -------------------------------------------------------


def test_it_keeps_the_roadmaps_order_without_a_custom_one():
    items = [_item(1, 10), _item(2, 20), _item(3, None)]
    assert apply_step_order(items, []) is items
    assert learner_step_order([10, 20, 30], []) == [10, 20, 30]


def test_it_puts_the_listed_steps_first_in_the_learners_order():
    items = [_item(1, 10), _item(2, 10), _item(3, 20), _item(4, 30), _item(5, None)]
    ordered = apply_step_order(items, [30, 10, 20])
    assert [item.pk for item in ordered] == [4, 1, 2, 3, 5]  # inside a step, reading order is kept
    assert learner_step_order([10, 20, 30], [30, 10, 20]) == [30, 10, 20]


def test_it_puts_steps_the_order_does_not_list_after_it_in_the_roadmaps_order():
    # 40 and 50 were added by an editor after the learner chose their order.
    items = [_item(1, 10), _item(2, 20), _item(3, 40), _item(4, 30), _item(5, 50), _item(6, None)]
    ordered = apply_step_order(items, [30, 10, 20])
    assert [item.pk for item in ordered] == [4, 1, 2, 3, 5, 6]
    assert learner_step_order([10, 20, 40, 30, 50], [30, 10, 20]) == [30, 10, 20, 40, 50]


def test_it_ignores_removed_steps_duplicates_and_junk_in_the_order():
    items = [_item(1, 10), _item(2, 20), _item(3, None), _item(4, 30)]
    ordered = apply_step_order(items, [99, 20, "x", 20, 10])
    assert [item.pk for item in ordered] == [2, 1, 4, 3]  # roadmap-wide items stay last
    assert learner_step_order([10, 20, 30], [99, 20, "x", 20, 10]) == [20, 10, 30]


def test_it_schedules_the_moved_step_first_and_keeps_the_finish_date(roadmap, steps, learner):
    start = _next_monday()  # a whole first week: 6 h a week is exactly one step a week
    enrolment = make_enrolment(learner, roadmap, hours_per_week=6, start_date=start)
    items = roadmap_items(roadmap)
    before = build_learner_state(enrolment=enrolment, items=items, rows=[], today=local_today("UTC"))
    enrolment.step_order = [steps[2].pk]
    after = build_learner_state(enrolment=enrolment, items=items, rows=[], today=local_today("UTC"))

    third = [item.pk for item in items if item.step_id == steps[2].pk]
    assert [p.item_id for p in after.schedule.weeks[0].items] == third
    assert after.steps[steps[2].pk].planned == (start, start)
    assert after.steps[steps[0].pk].planned == (start + timedelta(weeks=1),) * 2
    assert [item.pk for item in after.items][:3] == third
    assert after.schedule.finish_date == before.schedule.finish_date  # the same hours, in another order
    assert after.progress == before.progress


# --- Services ---------------------------------------------------------------------


def test_it_moves_a_step_up_and_down(enrolment, steps):
    a, b, c, d = (step.pk for step in steps)
    _, moved = services.enrolment_move_step(enrolment=enrolment, step=steps[2], direction="up")
    assert moved and _order(enrolment) == [a, c, b, d]
    assert enrolment.step_order == [a, c, b, d]  # the full order is saved
    services.enrolment_move_step(enrolment=enrolment, step=steps[2], direction="up")
    assert _order(enrolment) == [c, a, b, d]
    services.enrolment_move_step(enrolment=enrolment, step=steps[0], direction="down")
    assert _order(enrolment) == [c, b, a, d]


def test_it_moves_nothing_past_either_end(enrolment, steps):
    for step, direction in ((steps[0], "up"), (steps[-1], "down")):
        _, moved = services.enrolment_move_step(enrolment=enrolment, step=step, direction=direction)
        assert not moved
    enrolment.refresh_from_db()
    assert enrolment.step_order == []


def test_it_forgets_an_order_that_comes_back_to_the_roadmaps(enrolment, steps):
    services.enrolment_move_step(enrolment=enrolment, step=steps[1], direction="down")
    services.enrolment_move_step(enrolment=enrolment, step=steps[1], direction="up")
    enrolment.refresh_from_db()
    # Stored as "no custom order": the learner follows the editors' later changes again.
    assert enrolment.step_order == []


def test_it_resets_to_the_roadmaps_order(enrolment, steps):
    services.enrolment_move_step(enrolment=enrolment, step=steps[3], direction="up")
    services.enrolment_reset_step_order(enrolment=enrolment)
    services.enrolment_reset_step_order(enrolment=enrolment)  # twice: still the roadmap's order
    enrolment.refresh_from_db()
    assert enrolment.step_order == []


def test_it_moves_once_on_a_double_submit(enrolment, steps):
    a, b, c, d = (step.pk for step in steps)
    for _ in range(2):  # both submits saw "c" third on the page
        services.enrolment_move_step(enrolment=enrolment, step=steps[2], direction="up", expected_index=2)
    assert _order(enrolment) == [a, c, b, d]


def test_it_places_steps_an_editor_adds_later_after_the_learners_order(enrolment, roadmap, steps):
    services.enrolment_move_step(enrolment=enrolment, step=steps[1], direction="up")
    new = Step.objects.create(roadmap=roadmap, key="new", position=9, title="New step")
    a, b, c, d = (step.pk for step in steps)
    assert _order(enrolment) == [b, a, c, d, new.pk]
    Step.objects.filter(pk=d).delete()  # an editor removes a step (and its items): its pk is ignored
    services.enrolment_move_step(enrolment=enrolment, step=new, direction="up")
    assert _order(enrolment) == [b, a, new.pk, c]
    enrolment.refresh_from_db()
    assert enrolment.step_order == [b, a, new.pk, c]


def test_it_refuses_a_bad_direction_or_another_roadmaps_step(enrolment, steps):
    with pytest.raises(ValueError):
        services.enrolment_move_step(enrolment=enrolment, step=steps[1], direction="sideways")
    elsewhere = _steps(make_roadmap())[1]
    with pytest.raises(ValueError):
        services.enrolment_move_step(enrolment=enrolment, step=elsewhere, direction="up")
    enrolment.refresh_from_db()
    assert enrolment.step_order == []


def test_it_keeps_both_moves_when_two_tabs_move_at_once(transactional_db):
    roadmap = make_roadmap(steps=4, items_per_step=1)
    enrolment = make_enrolment(make_user(), roadmap)
    steps = _steps(roadmap)
    a, b, c, d = (step.pk for step in steps)
    moves = [(steps[0], "down", 0), (steps[3], "up", 3)]  # two tabs, each from the roadmap's order
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)
        errors = []

        def worker(step, direction, index):
            try:
                barrier.wait()
                services.enrolment_move_step(
                    enrolment=enrolment, step=step, direction=direction, expected_index=index
                )
            except Exception as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=move) for move in moves]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
    else:  # SQLite serialises writers: the second move arrives after the first
        for step, direction, index in moves:
            services.enrolment_move_step(enrolment=enrolment, step=step, direction=direction, expected_index=index)
    # Without the row lock the later save would overwrite the earlier move.
    assert _order(enrolment) == [b, a, d, c]


# --- Views ---------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(client, enrolment, steps):
    for url in (reverse("progress:step_move", args=[enrolment.pk, steps[1].pk]),
                reverse("progress:step_order_reset", args=[enrolment.pk])):
        response = client.post(url, {"direction": "up"})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_it_answers_404_for_another_learners_plan(client, other_learner, enrolment, steps):
    client.force_login(other_learner)
    assert _move(client, enrolment, steps[1], "up").status_code == 404
    assert client.post(reverse("progress:step_order_reset", args=[enrolment.pk])).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.step_order == []


def test_it_answers_404_for_a_step_of_another_roadmap(learner_client, enrolment):
    elsewhere = _steps(make_roadmap())[1]
    assert _move(learner_client, enrolment, elsewhere, "up").status_code == 404


def test_it_answers_405_to_a_get(learner_client, enrolment, steps):
    assert learner_client.get(reverse("progress:step_move", args=[enrolment.pk, steps[1].pk])).status_code == 405
    assert learner_client.get(reverse("progress:step_order_reset", args=[enrolment.pk])).status_code == 405


@pytest.mark.parametrize("data", [{}, {"direction": "sideways"}, {"direction": ""}])
def test_it_rejects_a_bad_direction_and_changes_nothing(learner_client, enrolment, steps, data):
    url = reverse("progress:step_move", args=[enrolment.pk, steps[1].pk])
    response = learner_client.post(url, data, follow=True)
    assert "A step can only move up or down: nothing was changed." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.step_order == []


def test_it_moves_a_step_and_says_so(learner_client, enrolment, steps):
    response = _move(learner_client, enrolment, steps[2], "up", index="2")
    assert response.status_code == 302
    assert response["Location"] == reverse("progress:plan", args=[enrolment.pk]) + "#steps"
    assert _order(enrolment)[:2] == [steps[0].pk, steps[2].pk]
    page = learner_client.get(response["Location"]).content.decode()
    assert "Moved “Step 2” earlier in your plan." in page
    _move(learner_client, enrolment, steps[2], "down", index="1")
    assert "Moved “Step 2” later in your plan." in learner_client.get(response["Location"]).content.decode()
    assert _order(enrolment) == [step.pk for step in steps]


def test_it_moves_without_the_check_when_the_index_is_missing_or_junk(learner_client, enrolment, steps):
    _move(learner_client, enrolment, steps[2], "up", index="two")
    _move(learner_client, enrolment, steps[2], "up")
    assert _order(enrolment)[0] == steps[2].pk


def test_it_tells_when_a_repeated_click_moves_nothing(learner_client, enrolment, steps):
    _move(learner_client, enrolment, steps[2], "up", index="2")
    response = _move(learner_client, enrolment, steps[2], "up", index="2", follow=True)
    assert "“Step 2” did not move" in response.content.decode()
    assert _order(enrolment)[:3] == [steps[0].pk, steps[2].pk, steps[1].pk]


def test_it_resets_the_order_from_the_plan(learner_client, enrolment, steps):
    _move(learner_client, enrolment, steps[3], "up")
    response = learner_client.post(reverse("progress:step_order_reset", args=[enrolment.pk]), follow=True)
    assert "Your plan follows the roadmap&#x27;s order of steps again." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.step_order == []


def test_it_keeps_the_order_of_a_plan_the_learner_left(learner_client, enrolment, steps):
    services.enrolment_move_step(enrolment=enrolment, step=steps[3], direction="up")
    saved = _order(enrolment)
    services.enrolment_leave(enrolment=enrolment, today=local_today("UTC"))
    response = _move(learner_client, enrolment, steps[1], "up", follow=True)
    html = response.content.decode()
    assert "You no longer follow this roadmap" in html
    assert "Your own order." in html  # still shown, but without buttons to change it
    assert "Move up" not in html and "Back to the roadmap's order" not in html
    response = learner_client.post(reverse("progress:step_order_reset", args=[enrolment.pk]), follow=True)
    assert "You no longer follow this roadmap" in response.content.decode()
    assert _order(enrolment) == saved


# --- The plan page ------------------------------------------------------------------------


def _step_titles(html: str) -> list[str]:
    section = html[html.index('id="steps"'):html.index('id="weeks-heading"')]
    return re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a>', section)


def test_it_lists_the_steps_in_the_learners_order_with_buttons(learner_client, enrolment, steps,
                                                               django_assert_num_queries):
    url = reverse("progress:plan", args=[enrolment.pk])
    html = learner_client.get(url).content.decode()
    assert "Your own order." not in html and "Move a step up or down to study in your own order." in html
    assert html.count(">Move up<") == 3 and html.count(">Move down<") == 3

    services.enrolment_move_step(enrolment=enrolment, step=steps[3], direction="up")
    summaries.rebuild(enrolments=[enrolment])  # kept by the write services in the app
    # The same queries as the plan without an order of its own (test_progress_views),
    # the hours due reviews take included.
    with django_assert_num_queries(9):
        html = learner_client.get(url).content.decode()
    assert _step_titles(html) == ["Step 0", "Step 1", "Step 3", "Step 2"]
    assert "Your own order." in html and "Back to the roadmap's order" in html
    assert "It changes only your plan: the roadmap keeps its editors' order." in html
    rows = html[html.index("<tbody>"):html.index("</tbody>")].split("<tr>")[1:]
    assert "Move up" not in rows[0] and "Move down" in rows[0]
    assert "Move down" not in rows[-1] and '<span class="visually-hidden">: Step 2</span>' in rows[-1]
    assert 'name="index" value="2"' in rows[2] and "csrfmiddlewaretoken" in rows[2]


def test_it_plans_the_weeks_ahead_in_the_learners_order(learner_client, learner, roadmap, steps):
    enrolment = make_enrolment(learner, roadmap, hours_per_week=6, start_date=_next_monday())
    finish = learner_client.get(reverse("progress:plan", args=[enrolment.pk])).context["learner"].schedule.finish_date
    for _ in range(2):
        _move(learner_client, enrolment, steps[2], "up")
    response = learner_client.get(reverse("progress:plan", args=[enrolment.pk]))
    first_week = response.context["weeks"][0][1]
    assert {item.step_id for item in first_week} == {steps[2].pk} and len(first_week) == 3
    assert response.context["learner"].schedule.finish_date == finish


def test_it_keeps_the_editors_order_on_the_roadmap_page(learner_client, enrolment, roadmap, steps):
    services.enrolment_move_step(enrolment=enrolment, step=steps[1], direction="up")
    html = learner_client.get(roadmap.get_absolute_url()).content.decode()
    assert html.index('id="step-step-0"') < html.index('id="step-step-1"')


# --- The dashboard and the exports ---------------------------------------------------------


def _up_next(html: str) -> list[str]:
    section = html[html.index('class="dashboard__items"'):]
    section = section[:section.index("</ul>")]
    return re.findall(r'#item-\d+">([^<]+)</a>', section)


def test_it_shows_the_moved_step_up_next_on_the_dashboard(learner_client, enrolment, steps):
    assert _up_next(learner_client.get("/dashboard/").content.decode())[0] == "Item 0.0"
    for _ in range(2):
        assert _move(learner_client, enrolment, steps[2], "up").status_code == 302
    # Through the real views: the next dashboard follows the new order.
    assert _up_next(learner_client.get("/dashboard/").content.decode())[:3] == ["Item 2.0", "Item 2.1", "Item 2.2"]


def test_it_exports_the_learners_order_of_steps(learner_client, enrolment, steps):
    export = reverse("progress:export_one", args=[enrolment.pk, "json"])
    assert json.loads(learner_client.get(export).content)["enrolments"][0]["step_order"] == []
    _move(learner_client, enrolment, steps[3], "up")
    data = json.loads(learner_client.get(export).content)["enrolments"][0]
    assert data["step_order"] == ["Step 0", "Step 1", "Step 3", "Step 2"]

    from progress.sharing.exports import export_enrolments

    assert export_enrolments(enrolment.user)[0]["step_order"] == ["Step 0", "Step 1", "Step 3", "Step 2"]

