"""The study log: list, add, edit, delete; planned-break weeks."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from progress.models import PlannedBreak, StudyEntry
from progress.schedule import local_today, week_start
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items

LIST = reverse("progress:log_list")
ADD = reverse("progress:log_add")
BREAK = reverse("progress:planned_break")


def _entry(user, **fields) -> StudyEntry:
    fields.setdefault("date", local_today(user.time_zone))
    fields.setdefault("minutes", 45)
    return StudyEntry.objects.create(user=user, **fields)


def _urls(entry) -> list[str]:
    return [reverse("progress:log_edit", args=[entry.pk]), reverse("progress:log_delete", args=[entry.pk])]


def test_it_sends_anonymous_visitors_to_sign_in(client, learner):
    entry = _entry(learner)
    for url in [LIST, ADD, BREAK, *_urls(entry)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
    assert client.post(ADD, {"date": "2026-01-05", "minutes": 30}).status_code == 302
    assert StudyEntry.objects.count() == 1


def test_it_answers_404_for_another_learners_entry(learner_client, other_learner):
    entry = _entry(other_learner, note="theirs")
    for url in _urls(entry):
        assert learner_client.get(url).status_code == 404
        assert learner_client.post(url, {"date": entry.date.isoformat(), "minutes": 5}).status_code == 404
    entry.refresh_from_db()
    assert (entry.minutes, entry.note) == (45, "theirs")


def test_it_refuses_wrong_methods(learner_client, learner):
    entry = _entry(learner)
    assert learner_client.post(LIST).status_code == 405
    assert learner_client.get(BREAK).status_code == 405
    for url in [ADD, *_urls(entry)]:
        assert learner_client.put(url).status_code == 405
        assert learner_client.delete(url).status_code == 405


def test_it_lists_the_learners_entries_newest_first_with_pages(learner_client, learner, other_learner,
                                                              django_assert_max_num_queries):
    today = local_today(learner.time_zone)
    for n in range(30):
        _entry(learner, date=today - timedelta(days=n), minutes=n + 1)
    _entry(other_learner, note="not mine")
    with django_assert_max_num_queries(7):  # session, user, count, page, coming and past breaks, heatmap days
        response = learner_client.get(LIST)
    page = response.context["page"]
    assert [e.minutes for e in page.object_list][:3] == [1, 2, 3]
    assert page.paginator.count == 30
    second = learner_client.get(LIST, {"page": 2}).context["page"]
    assert [e.minutes for e in second.object_list] == [26, 27, 28, 29, 30]
    assert "not mine" not in response.content.decode()


def test_it_adds_an_entry_and_returns_to_the_dashboard(learner_client, learner):
    today = local_today(learner.time_zone)
    response = learner_client.post(ADD, {"date": today.isoformat(), "minutes": 50, "note": "Read chapter 3"})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    entry = StudyEntry.objects.get(user=learner)
    assert (entry.date, entry.minutes, entry.note) == (today, 50, "Read chapter 3")
    assert entry.item is None and entry.enrolment is None


def test_it_logs_time_on_an_item_and_links_its_enrolment(learner_client, learner, roadmap, django_assert_num_queries):
    enrolment = make_enrolment(learner, roadmap)
    item = roadmap_items(roadmap)[2]
    with django_assert_num_queries(6):  # session, user, item, its enrolment, the menu, the enrolment choices
        response = learner_client.get(ADD, {"item": item.pk})
    body = response.content.decode()
    assert f"Log time on {item.title}" in body
    assert f'<option value="{item.pk}" selected>' in body
    # An <input type="date"> only takes ISO dates, whatever the site's locale.
    assert f'type="date" name="date" value="{local_today(learner.time_zone).isoformat()}"' in body
    today = local_today(learner.time_zone)
    learner_client.post(ADD, {"date": today.isoformat(), "minutes": 25, "item": item.pk})
    entry = StudyEntry.objects.get(user=learner)
    assert (entry.item, entry.enrolment) == (item, enrolment)


def test_it_refuses_an_item_of_a_roadmap_the_learner_is_not_on(learner_client, learner, roadmap):
    make_enrolment(learner, roadmap)
    elsewhere = roadmap_items(make_roadmap())[0]
    response = learner_client.post(ADD, {"date": date.today().isoformat(), "minutes": 25, "item": elsewhere.pk})
    assert response.status_code == 400
    assert "item" in response.context["form"].errors
    assert not StudyEntry.objects.exists()


def test_it_refuses_an_item_of_another_roadmap_than_the_chosen_one(learner_client, learner, roadmap):
    first = make_enrolment(learner, roadmap)
    other_roadmap = make_roadmap()
    make_enrolment(learner, other_roadmap)
    item = roadmap_items(other_roadmap)[0]
    response = learner_client.post(
        ADD, {"date": date.today().isoformat(), "minutes": 25, "item": item.pk, "enrolment": first.pk}
    )
    assert response.status_code == 400
    assert "item" in response.context["form"].errors


def test_it_does_not_duplicate_a_double_submitted_entry(learner_client, learner):
    data = {"date": local_today(learner.time_zone).isoformat(), "minutes": 30, "note": "twice"}
    assert learner_client.post(ADD, data).status_code == 302
    assert learner_client.post(ADD, data).status_code == 302
    assert StudyEntry.objects.filter(user=learner).count() == 1
    # A different entry on the same day is a real second entry.
    learner_client.post(ADD, {**data, "minutes": 31})
    assert StudyEntry.objects.filter(user=learner).count() == 2


@pytest.mark.parametrize(
    ("minutes", "day_offset", "year"),
    [("-5", 0, None), ("0", 0, None), ("1441", 0, None), ("abc", 0, None), ("30", 2, None), ("30", 400, None),
     ("30", 0, 1999)],
)
def test_it_rejects_bad_input_and_changes_nothing(learner_client, learner, minutes, day_offset, year):
    day = local_today(learner.time_zone) + timedelta(days=day_offset)
    if year:
        day = day.replace(year=year)
    response = learner_client.post(ADD, {"date": day.isoformat(), "minutes": minutes})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert ("minutes" in errors) if day_offset == 0 and not year else ("date" in errors)
    assert 'class="field-error"' in response.content.decode()
    assert not StudyEntry.objects.exists()


def test_it_accepts_the_whole_range_of_minutes_and_tomorrow(learner_client, learner):
    tomorrow = local_today(learner.time_zone) + timedelta(days=1)
    assert learner_client.post(ADD, {"date": tomorrow.isoformat(), "minutes": 1440}).status_code == 302
    assert learner_client.post(ADD, {"date": "2000-01-01", "minutes": 1}).status_code == 302
    assert StudyEntry.objects.count() == 2


def test_it_judges_the_future_in_the_learners_time_zone(client, learner, monkeypatch):
    # 11:30 UTC on Sunday 1 March is already 00:30 on Monday 2 March in Auckland.
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 3, 1, 11, 30, tzinfo=UTC))
    client.force_login(learner)
    learner.time_zone = "Pacific/Auckland"
    learner.save()
    assert client.get(ADD).context["form"].initial["date"] == date(2026, 3, 2)
    assert client.post(ADD, {"date": "2026-03-03", "minutes": 20}).status_code == 302
    assert client.post(ADD, {"date": "2026-03-04", "minutes": 20}).status_code == 400
    learner.time_zone = "UTC"
    learner.save()
    assert client.post(ADD, {"date": "2026-03-03", "minutes": 21}).status_code == 400
    assert client.post(ADD, {"date": "2026-03-02", "minutes": 21}).status_code == 302


def test_it_edits_an_entry(learner_client, learner, django_assert_num_queries):
    entry = _entry(learner)
    url = reverse("progress:log_edit", args=[entry.pk])
    with django_assert_num_queries(5):  # session, user, entry, menu, enrolment choices
        assert learner_client.get(url).status_code == 200
    response = learner_client.post(url, {"date": entry.date.isoformat(), "minutes": 75, "note": "longer"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.minutes, entry.note) == (75, "longer")
    response = learner_client.post(url, {"date": entry.date.isoformat(), "minutes": -1})
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.minutes == 75


def test_it_confirms_before_deleting_an_entry(learner_client, learner, django_assert_num_queries):
    entry = _entry(learner)
    url = reverse("progress:log_delete", args=[entry.pk])
    with django_assert_num_queries(3):
        response = learner_client.get(url)
    assert "Delete this entry?" in response.content.decode()
    assert StudyEntry.objects.filter(pk=entry.pk).exists()
    assert learner_client.post(url).status_code == 302
    assert not StudyEntry.objects.filter(pk=entry.pk).exists()
    assert learner_client.post(url).status_code == 404  # a second click finds nothing to delete


def test_it_marks_and_unmarks_a_planned_break_week(learner_client, learner):
    today = local_today(learner.time_zone)
    thursday = week_start(today) + timedelta(weeks=2, days=3)
    for _ in range(2):  # a double-click makes one row
        response = learner_client.post(BREAK, {"week": thursday.isoformat(), "action": "mark", "next": LIST})
        assert response.status_code == 302 and response["Location"] == LIST
    assert list(PlannedBreak.objects.values_list("week_start", flat=True)) == [week_start(thursday)]
    assert "Week of" in learner_client.get(LIST).content.decode()
    learner_client.post(BREAK, {"week": thursday.isoformat(), "action": "unmark"})
    learner_client.post(BREAK, {"week": thursday.isoformat(), "action": "unmark"})
    assert not PlannedBreak.objects.exists()


@pytest.mark.parametrize(
    "week, said",
    [
        ("", "Choose a day in the week to mark."),
        ("not-a-date", "That is not a date: choose a day in the week to mark."),
        ("1990-01-01", "Choose a week within two years of today."),
    ],
)
def test_a_bad_break_date_comes_back_at_its_box_and_changes_nothing(learner_client, week, said):
    response = learner_client.post(BREAK, {"week": week, "action": "mark", "next": f"{LIST}#breaks"})
    assert response.status_code == 400
    body = response.content.decode()
    assert f'<p class="field-error" id="break-week-error">{said}</p>' in body
    box = re.search(r'<input type="date" id="break-week"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in box and 'aria-describedby="break-week-error"' in box
    # The form is far down the page: a summary at the top links to the box.
    summary = re.search(r'<div class="form-errors" role="alert"[^>]*>(.*?)</div>', body, re.S).group(1)
    assert "Your planned break was not saved:" in summary
    assert f'<a href="#break-week">A day in the week: {said}</a>' in summary
    assert body.index("form-errors") < body.index('id="breaks"')
    assert 'id="breaks"' in body  # the study log page, with its list of breaks
    assert not PlannedBreak.objects.exists()


def test_a_tampered_break_action_is_refused_with_a_message(learner_client):
    response = learner_client.post(BREAK, {"week": "2026-01-05", "action": "explode"}, follow=True)
    assert response.redirect_chain[0][1] == 302
    assert "That is not something a planned break can do." in response.content.decode()
    assert not PlannedBreak.objects.exists()


def test_the_break_box_is_plain_before_any_attempt(learner_client):
    box = re.search(r'<input type="date" id="break-week"[^>]*>', learner_client.get(LIST).content.decode()).group(0)
    assert "aria-invalid" not in box and "form-errors" not in learner_client.get(LIST).content.decode()


def test_it_refuses_an_offsite_next(learner_client, learner):
    data = {"date": local_today(learner.time_zone).isoformat(), "minutes": 30, "next": "https://evil.example/"}
    response = learner_client.post(ADD, data)
    assert response["Location"] == reverse("dashboard")


def test_it_shows_the_study_days_heatmap_and_its_table(learner_client, learner, other_learner):
    today = local_today(learner.time_zone)
    _entry(learner, date=today, minutes=75)
    _entry(learner, date=today - timedelta(weeks=30), minutes=40)  # before the heatmap's 26 weeks
    _entry(other_learner, date=today - timedelta(days=1), minutes=50)
    body = learner_client.get(LIST).content.decode()
    assert 'id="study-days"' in body and 'class="chart chart--heatmap"' in body
    assert f"{today:%a} {today.day} {today:%b %Y}: 1 h 15 min</title>" in body
    assert "1 of " in body and "1.2 hours in all" in body  # neither the old entry nor another learner's
    assert "<caption>Days with study</caption>" in body
