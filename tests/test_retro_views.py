"""Retrospective pages: access, drafts, submit, skip, pace, timeline, search, XSS."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from progress import summaries
from progress.models import Enrolment
from progress.schedule import local_today
from retrospectives.models import Retrospective, RetrospectiveAnswer, RetrospectiveRevision
from roadmaps.models import PacePlan, RetrospectivePrompt
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # The shared users hash a password; the default hasher only makes that slow here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


XSS = '<script>alert("x")</script>\nline two <img src=x onerror=alert(1)>'


@pytest.fixture
def enrolment(learner, roadmap) -> Enrolment:
    """Started three weeks ago: period 1 (weeks 1–2) is due, period 2 is not."""
    RetrospectivePrompt.objects.create(roadmap=roadmap, position=0, text="What went well?")
    RetrospectivePrompt.objects.create(roadmap=roadmap, position=1, text="What will you change?")
    return make_enrolment(learner, roadmap, start_date=local_today(learner.time_zone) - timedelta(weeks=3))


def form_url(enrolment, number=1) -> str:
    return reverse("retrospectives:form", args=[enrolment.pk, number])


def urls(enrolment) -> dict[str, str]:
    return {
        "form": form_url(enrolment),
        "skip": reverse("retrospectives:skip", args=[enrolment.pk, 1]),
        "pace": reverse("retrospectives:pace", args=[enrolment.pk, 1]),
        "timeline": reverse("retrospectives:timeline", args=[enrolment.pk]),
    }


def submit(client, enrolment, *answers, action="submit", number=1):
    data = {f"answer_{i}": text for i, text in enumerate(answers)}
    return client.post(form_url(enrolment, number), {**data, "action": action})


# --- Access -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["form", "skip", "pace", "timeline", "search"])
def test_it_sends_anonymous_visitors_to_sign_in(client, enrolment, name):
    url = reverse("retrospectives:search") if name == "search" else urls(enrolment)[name]
    response = client.post(url) if name == "pace" else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["form", "skip", "pace", "timeline"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_404_on_another_learners_retrospective(client, other_learner, enrolment, name, method):
    if name == "pace" and method == "get" or name == "timeline" and method == "post":
        return  # wrong method: 405 comes first, tested below
    submit_text = {"answer_0": "mine", "action": "submit", "hours_per_week": "4"}
    client.force_login(other_learner)
    url = urls(enrolment)[name]
    response = client.post(url, submit_text) if method == "post" else client.get(url)
    assert response.status_code == 404
    assert not Retrospective.objects.exists()
    enrolment.refresh_from_db()
    assert enrolment.hours_per_week == Decimal(10)


@pytest.mark.parametrize(
    ("name", "method"),
    [("form", "put"), ("skip", "delete"), ("pace", "get"), ("timeline", "post"), ("search", "post")],
)
def test_it_refuses_wrong_methods(learner_client, enrolment, name, method):
    url = reverse("retrospectives:search") if name == "search" else urls(enrolment)[name]
    assert getattr(learner_client, method)(url).status_code == 405


@pytest.mark.parametrize("number", [0, 2, 99])
def test_it_answers_404_for_periods_not_yet_due(learner_client, enrolment, number):
    assert learner_client.get(form_url(enrolment, number)).status_code == 404
    assert submit(learner_client, enrolment, "x", number=number).status_code == 404
    assert not Retrospective.objects.exists()


# --- Writing -----------------------------------------------------------------------


def test_it_shows_the_prompts_and_the_facts(learner_client, learner, enrolment, django_assert_max_num_queries):
    # session, user, enrolment, pauses, retrospective, prompts,
    # facts: study days, breaks, the period's done/skipped rows, the plan
    # repairs, the learner-state loader (2 with kept summaries, whatever the
    # number of items or rows, and the hours due reviews take)
    summaries.rebuild(enrolments=[enrolment])
    with django_assert_max_num_queries(13):
        response = learner_client.get(form_url(enrolment))
    assert response.status_code == 200
    body = response.content.decode()
    assert "What went well?" in body and "What will you change?" in body
    assert "Weeks 1–2" in body
    assert "Hours logged" in body and "of 20.0 planned" in body
    assert 'name="action" value="draft"' in body and 'name="action" value="submit"' in body


def test_it_saves_a_draft_that_survives_and_can_be_finished_later(learner_client, enrolment):
    response = submit(learner_client, enrolment, "Shipped the CLI", "", action="draft")
    assert response.status_code == 302 and response["Location"] == form_url(enrolment)
    retro = Retrospective.objects.get()
    assert retro.status == "draft" and retro.submitted_at is None
    assert retro.facts["hours_planned"] == "20.0" and retro.facts["period"]["label"] == "Weeks 1–2"
    assert list(retro.answers.values_list("question", "text")) == [
        ("What went well?", "Shipped the CLI"), ("What will you change?", ""),
    ]
    body = learner_client.get(form_url(enrolment)).content.decode()
    assert "Shipped the CLI</textarea>" in body

    submit(learner_client, enrolment, "Shipped the CLI", "Sleep more")
    retro.refresh_from_db()
    assert retro.status == "submitted" and retro.submitted_at is not None
    assert RetrospectiveAnswer.objects.get(position=1).text == "Sleep more"
    assert not RetrospectiveRevision.objects.exists()  # finishing a draft is not an edit


def test_it_wants_an_answer_to_submit_and_changes_nothing_on_bad_input(learner_client, enrolment):
    response = submit(learner_client, enrolment, "", "  ")
    assert response.status_code == 200
    assert "Write at least one answer" in response.content.decode()
    response = learner_client.post(form_url(enrolment), {"answer_0": "x", "action": "publish"})
    assert response.status_code == 200
    response = submit(learner_client, enrolment, "x" * 10_001)
    assert response.status_code == 200 and "field-error" in response.content.decode()
    assert not Retrospective.objects.exists()


def test_it_neither_duplicates_nor_loses_text_on_a_double_submit(learner_client, enrolment):
    first = submit(learner_client, enrolment, "Went well", "Change this")
    second = submit(learner_client, enrolment, "Went well", "Change this")
    assert first.status_code == second.status_code == 302
    assert Retrospective.objects.count() == 1
    assert list(RetrospectiveAnswer.objects.values_list("text", flat=True)) == ["Went well", "Change this"]
    assert not RetrospectiveRevision.objects.exists()


def test_it_allows_one_retrospective_per_enrolment_and_period(enrolment):
    today = local_today("UTC")
    Retrospective.objects.create(
        enrolment=enrolment, cycle_start=enrolment.start_date, period_index=0, period_start=today, period_end=today
    )
    with pytest.raises(IntegrityError):
        Retrospective.objects.create(
            enrolment=enrolment, cycle_start=enrolment.start_date, period_index=0, period_start=today, period_end=today
        )


def test_it_keeps_the_history_of_edits_after_submitting(learner_client, enrolment):
    submit(learner_client, enrolment, "First take", "")
    retro = Retrospective.objects.get()
    facts = retro.facts
    submit(learner_client, enrolment, "Second take", "More")
    retro.refresh_from_db()
    assert retro.status == "submitted"
    assert retro.facts == facts  # frozen at submission
    revision = RetrospectiveRevision.objects.get()
    assert revision.answers == [
        {"position": 0, "question": "What went well?", "text": "First take"},
        {"position": 1, "question": "What will you change?", "text": ""},
    ]
    body = learner_client.get(form_url(enrolment)).content.decode()
    assert "Earlier versions" in body and "First take" in body and "Second take" in body


def test_it_keeps_the_question_an_answer_was_given_to(learner_client, enrolment, roadmap):
    submit(learner_client, enrolment, "Good", "Less", action="draft")
    RetrospectivePrompt.objects.filter(roadmap=roadmap, position=0).update(text="Reworded question?")
    RetrospectivePrompt.objects.filter(roadmap=roadmap, position=1).delete()
    body = learner_client.get(form_url(enrolment)).content.decode()
    assert "What went well?" in body and "What will you change?" in body
    assert "Reworded question?" not in body
    assert RetrospectiveAnswer.objects.get(position=1).prompt_id is None  # SET_NULL, text kept


def test_it_uses_the_global_prompts_when_the_roadmap_has_none(learner_client, learner):
    roadmap = make_roadmap()
    RetrospectivePrompt.objects.filter(roadmap__isnull=True).delete()
    RetrospectivePrompt.objects.create(roadmap=None, position=0, text="A global question?")
    enrolment = make_enrolment(learner, roadmap, start_date=local_today("UTC") - timedelta(weeks=2))
    body = learner_client.get(form_url(enrolment)).content.decode()
    assert "A global question?" in body


@pytest.mark.parametrize("where", ["form", "timeline", "search"])
def test_it_renders_answers_inert_with_line_breaks(learner_client, enrolment, where):
    submit(learner_client, enrolment, XSS, "")
    url = {
        "form": form_url(enrolment),
        "timeline": reverse("retrospectives:timeline", args=[enrolment.pk]),
        "search": reverse("retrospectives:search") + "?q=line+two",
    }[where]
    body = learner_client.get(url).content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>line two &lt;img src=x onerror=alert(1)&gt;" in body


# --- Skipping ----------------------------------------------------------------------------


def test_it_asks_before_skipping_and_then_stops_asking(learner_client, enrolment):
    response = learner_client.get(reverse("retrospectives:skip", args=[enrolment.pk, 1]))
    assert response.status_code == 200 and "Skip this retrospective?" in response.content.decode()
    assert not Retrospective.objects.exists()
    assert "Time to look back" in learner_client.get("/dashboard/").content.decode()

    response = learner_client.post(reverse("retrospectives:skip", args=[enrolment.pk, 1]))
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    retro = Retrospective.objects.get()
    assert retro.status == "skipped" and retro.skipped_at is not None
    learner_client.post(reverse("retrospectives:skip", args=[enrolment.pk, 1]))
    assert Retrospective.objects.count() == 1
    assert "Time to look back" not in learner_client.get("/dashboard/").content.decode()


def test_it_never_skips_a_written_retrospective(learner_client, enrolment):
    submit(learner_client, enrolment, "Kept", "")
    learner_client.post(reverse("retrospectives:skip", args=[enrolment.pk, 1]))
    retro = Retrospective.objects.get()
    assert retro.status == "submitted" and retro.answers.get(position=0).text == "Kept"


# --- Pace --------------------------------------------------------------------------------


def test_it_changes_the_weekly_pace_in_one_step_and_records_it(learner_client, enrolment):
    plan = PacePlan.objects.get(roadmap=enrolment.roadmap)
    Enrolment.objects.filter(pk=enrolment.pk).update(pace_plan=plan)
    response = learner_client.post(reverse("retrospectives:pace", args=[enrolment.pk, 1]), {"hours_per_week": "6.5"})
    assert response.status_code == 302 and response["Location"] == form_url(enrolment) + "#pace"
    enrolment.refresh_from_db()
    assert enrolment.hours_per_week == Decimal("6.5") and enrolment.pace_plan is None
    retro = Retrospective.objects.get()
    assert (retro.pace_old_hours, retro.pace_new_hours) == (Decimal(10), Decimal("6.5"))
    learner_client.post(reverse("retrospectives:pace", args=[enrolment.pk, 1]), {"hours_per_week": "8"})
    retro.refresh_from_db()
    assert (retro.pace_old_hours, retro.pace_new_hours) == (Decimal(10), Decimal(8))
    assert "10 → 8 hours a week" in learner_client.get(form_url(enrolment)).content.decode()


@pytest.mark.parametrize("value", ["", "0", "-3", "169", "abc"])
def test_it_refuses_a_bad_pace(learner_client, enrolment, value):
    response = learner_client.post(reverse("retrospectives:pace", args=[enrolment.pk, 1]), {"hours_per_week": value})
    assert response.status_code == 200 and "field-error" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.hours_per_week == Decimal(10)
    assert not Retrospective.objects.exists()


# --- Timeline and search -------------------------------------------------------------


def test_it_shows_a_timeline_with_facts_and_answers(learner_client, learner, roadmap, django_assert_num_queries):
    enrolment = make_enrolment(learner, roadmap, start_date=local_today("UTC") - timedelta(weeks=6, days=1))
    submit(learner_client, enrolment, "Period one answer", number=1)
    learner_client.post(reverse("retrospectives:skip", args=[enrolment.pk, 2]))
    # session, user, enrolment, pauses, retrospectives, answers
    with django_assert_num_queries(6):
        response = learner_client.get(reverse("retrospectives:timeline", args=[enrolment.pk]))
    body = response.content.decode()
    assert body.index("Weeks 5–6") < body.index("Weeks 3–4") < body.index("Weeks 1–2")
    assert "Period one answer" in body and "Skipped" in body and "Hours logged" in body
    assert [e["period"].index for e in response.context["entries"]] == [2, 1, 0]


def test_it_searches_only_the_learners_own_answers_page_by_page(
    client, learner, other_learner, enrolment, roadmap, django_assert_num_queries
):
    theirs = make_enrolment(other_learner, roadmap, start_date=local_today("UTC") - timedelta(weeks=3))
    client.force_login(other_learner)
    submit(client, theirs, "Kubernetes is hard for them")
    client.force_login(learner)
    retro = Retrospective.objects.create(
        enrolment=enrolment, cycle_start=enrolment.start_date, period_index=0, period_start=enrolment.start_date,
        period_end=enrolment.start_date + timedelta(days=13),
    )
    RetrospectiveAnswer.objects.bulk_create(
        RetrospectiveAnswer(retrospective=retro, position=i, question="Q?", text=f"Kubernetes note {i}")
        for i in range(25)
    )
    # session, user, count, page of answers, the learner's roadmaps
    with django_assert_num_queries(5):
        response = client.get(reverse("retrospectives:search"), {"q": "kubernetes"})
    page = response.context["page"]
    assert page.paginator.count == 25 and len(page.object_list) == 20
    assert "for them" not in response.content.decode()
    second = client.get(reverse("retrospectives:search"), {"q": "kubernetes", "page": 2})
    assert len(second.context["page"].object_list) == 5
    assert "q=kubernetes&amp;page=1" in second.content.decode()
    assert client.get(reverse("retrospectives:search")).context["page"] is None


def test_it_stores_line_ends_as_lf_so_a_resubmit_is_not_an_edit(learner_client, enrolment):
    submit(learner_client, enrolment, "one\r\ntwo", "")
    assert RetrospectiveAnswer.objects.get(position=0).text == "one\ntwo"
    submit(learner_client, enrolment, "one\r\ntwo", "")
    assert not RetrospectiveRevision.objects.exists()


def test_it_starts_fresh_periods_after_a_restart_and_keeps_the_old_ones_as_history(learner_client, enrolment):
    from progress.enrolments.services import enrolment_restart

    submit(learner_client, enrolment, "Old cycle: went well", "")
    today = local_today("UTC")
    enrolment_restart(enrolment=enrolment, start_date=today - timedelta(days=16), today=today)
    enrolment.refresh_from_db()

    # Period 1 of the new cycle is due and empty, not the old cycle's answers.
    form = learner_client.get(form_url(enrolment))
    assert form.status_code == 200
    assert "Old cycle: went well" not in form.content.decode()
    dashboard = learner_client.get(reverse("dashboard")).content.decode()
    assert form_url(enrolment) in dashboard

    submit(learner_client, enrolment, "New cycle: steadier", "")
    assert Retrospective.objects.filter(enrolment=enrolment).count() == 2
    timeline = learner_client.get(reverse("retrospectives:timeline", args=[enrolment.pk])).content.decode()
    assert "New cycle: steadier" in timeline
    assert "Before you restarted" in timeline and "Old cycle: went well" in timeline
