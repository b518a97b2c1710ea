"""Schedule, progress and forecast arithmetic (pure functions, no database)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest

from progress.schedule import (
    DEFAULT_HOURS,
    PlanItem,
    forecast,
    item_hours,
    local_today,
    pace_status,
    plan_schedule,
    summarise,
    week_start,
)

MON = date(2025, 3, 3)  # a Monday


def items(*hours, state="not_started", step=1):
    return [PlanItem(i + 1, step, D(h), state) for i, h in enumerate(hours)]


def test_it_uses_default_hours_for_items_without_an_estimate():
    assert item_hours("topic", None) == DEFAULT_HOURS["topic"] == D(1)
    assert item_hours("project", None) == D(4)
    assert item_hours("resource", D("2.5")) == D("2.5")


def test_it_finds_the_monday_of_any_day():
    assert week_start(MON) == MON
    assert week_start(MON + timedelta(days=6)) == MON
    assert week_start(MON + timedelta(days=7)) == MON + timedelta(days=7)
    # across a year boundary
    assert week_start(date(2025, 1, 1)) == date(2024, 12, 30)


def test_it_fills_weeks_in_reading_order():
    plan = plan_schedule(items(5, 5, 5, 5), hours_per_week=D(10), start_date=MON, today=MON)
    assert [w.start for w in plan.weeks] == [MON, MON + timedelta(weeks=1)]
    assert [[p.item_id for p in w.items] for w in plan.weeks] == [[1, 2], [3, 4]]
    assert plan.finish_date == MON + timedelta(days=13)  # the second Sunday
    assert plan.step_weeks[1] == (MON, MON + timedelta(weeks=1))


def test_it_lists_a_long_item_in_every_week_it_spans():
    plan = plan_schedule(items(25), hours_per_week=D(10), start_date=MON, today=MON)
    assert len(plan.weeks) == 3
    assert [w.hours for w in plan.weeks] == [D(10), D(10), D(5)]
    assert plan.finish_date == MON + timedelta(days=17)  # 25 h at 10/7 h a day: day 18


def test_it_leaves_done_and_skipped_items_out_and_replans():
    all_items = items(10, 10, 10)
    before = plan_schedule(all_items, hours_per_week=D(10), start_date=MON, today=MON)
    after = plan_schedule(
        [all_items[0], PlanItem(2, 1, D(10), "done"), PlanItem(3, 1, D(10), "skipped")],
        hours_per_week=D(10), start_date=MON, today=MON,
    )
    assert before.finish_date == MON + timedelta(days=20)
    assert after.finish_date == MON + timedelta(days=6)


def test_it_replans_when_the_pace_changes():
    slow = plan_schedule(items(10, 10), hours_per_week=D(5), start_date=MON, today=MON)
    fast = plan_schedule(items(10, 10), hours_per_week=D(20), start_date=MON, today=MON)
    assert len(slow.weeks) == 4 and len(fast.weeks) == 1
    assert fast.finish_date < slow.finish_date


def test_it_plans_from_today_with_only_the_rest_of_this_week():
    sunday = MON + timedelta(days=6)
    plan = plan_schedule(items(7), hours_per_week=D(7), start_date=MON - timedelta(weeks=3), today=sunday)
    # One day's worth (1 h) fits on Sunday; the rest runs into next week.
    assert [w.start for w in plan.weeks] == [MON, MON + timedelta(weeks=1)]
    assert plan.weeks[0].hours == D(1)
    assert plan.finish_date == sunday + timedelta(days=6)


@pytest.mark.parametrize("hours_per_week, weeks", [(D(5), 8), (D(3), 1), (D("3.5"), 2), (D(6), 3), (D("10.5"), 4)])
@pytest.mark.parametrize("weekday", range(7))
def test_whole_weeks_of_work_end_the_day_before_the_same_weekday(hours_per_week, weeks, weekday):
    # A seventh of most paces is not exact in Decimal: planned from a Friday,
    # 40 h at 5 h a week used to end a day late (2 - 1e-27 days left over).
    today = MON + timedelta(days=weekday)
    for plan in (
        plan_schedule(items(hours_per_week * weeks), hours_per_week=hours_per_week, start_date=today, today=today),
        plan_schedule(items(*[hours_per_week] * weeks), hours_per_week=hours_per_week, start_date=today, today=today),
    ):
        assert plan.finish_date == today + timedelta(weeks=weeks, days=-1)


def test_it_plans_from_a_future_start_date():
    start = MON + timedelta(days=30)
    plan = plan_schedule(items(1), hours_per_week=D(7), start_date=start, today=MON)
    assert plan.weeks[0].start == week_start(start)
    assert plan.finish_date == start


def test_it_has_no_finish_date_when_nothing_is_left():
    plan = plan_schedule(items(3, state="done"), hours_per_week=D(5), start_date=MON, today=MON)
    assert plan.weeks == [] and plan.finish_date is None


def test_it_rejects_a_pace_of_zero():
    with pytest.raises(ValueError):
        plan_schedule(items(1), hours_per_week=D(0), start_date=MON, today=MON)


def test_it_weights_progress_by_hours_and_drops_skipped_items():
    progress = summarise(
        [PlanItem(1, 1, D(1), "done"), PlanItem(2, 1, D(3), "not_started"), PlanItem(3, 1, D(10), "skipped"),
         PlanItem(4, 1, D(4), "in_progress")]
    )
    assert progress.total_hours == D(8) and progress.done_hours == D(1)
    assert progress.percent == 13  # 12.5 rounds half up
    assert (progress.done_count, progress.item_count, progress.skipped_count) == (1, 3, 1)
    assert not progress.is_complete


def test_it_is_complete_when_every_counted_item_is_done():
    progress = summarise([PlanItem(1, 1, D(1), "done"), PlanItem(2, 1, D(1), "skipped")])
    assert progress.percent == 100 and progress.is_complete
    assert summarise([]).percent == 0


def test_it_says_on_track_behind_or_ahead_by_hours():
    # 2 weeks in at 10 h a week: 20 h planned by today.
    today = MON + timedelta(weeks=2)
    total = items(10, 10, 10, 10)
    on_track = pace_status(summarise([*items(10, 8, state="done"), *total[2:]]), hours_per_week=D(10),
                           start_date=MON, today=today)
    assert on_track.status == "on_track" and on_track.planned_hours == D(20) and on_track.difference == D(-2)
    behind = pace_status(summarise(total), hours_per_week=D(10), start_date=MON, today=today)
    assert behind.status == "behind" and behind.hours_off == D(20)
    ahead = pace_status(summarise([*items(10, 10, 10, state="done"), total[3]]), hours_per_week=D(10),
                        start_date=MON, today=today)
    assert ahead.status == "ahead" and ahead.difference == D(10)


def test_it_does_not_count_paused_days_against_the_learner():
    today = MON + timedelta(weeks=2)
    status = pace_status(summarise(items(10, 10, 10)), hours_per_week=D(10), start_date=MON, today=today,
                         paused_days=14)
    assert status.planned_hours == 0 and status.status == "on_track"


def test_it_has_not_started_before_the_start_date():
    status = pace_status(summarise(items(1)), hours_per_week=D(5), start_date=MON, today=MON - timedelta(days=1))
    assert status.status == "not_started"


def test_it_caps_the_planned_hours_at_the_roadmap_total():
    status = pace_status(summarise(items(2, state="done")), hours_per_week=D(10), start_date=MON,
                         today=MON + timedelta(weeks=10))
    assert status.planned_hours == D(2) and status.status == "on_track"


def test_it_forecasts_from_the_logged_pace_of_the_last_four_weeks():
    today = MON + timedelta(weeks=8)
    result = forecast(logged_minutes=20 * 60, remaining_hours=D(10), start_date=MON, today=today)
    assert result.window_days == 28
    assert result.hours_per_week == D(5)  # 20 h over 4 weeks
    assert result.finish_date == today + timedelta(days=13)  # 2 weeks at 5 h


def test_it_uses_a_shorter_window_for_a_recent_start():
    result = forecast(logged_minutes=7 * 60, remaining_hours=D(7), start_date=MON, today=MON + timedelta(days=6))
    assert result.window_days == 7 and result.hours_per_week == D(7)
    assert result.finish_date == MON + timedelta(days=12)


def test_it_says_there_is_no_forecast_without_a_log():
    result = forecast(logged_minutes=0, remaining_hours=D(10), start_date=MON, today=MON + timedelta(weeks=5))
    assert not result.has_data and result.finish_date is None


@pytest.mark.parametrize(
    ("zone", "utc", "expected"),
    [
        # 23:30 UTC on Sunday is already Monday in Tokyo: a new week there.
        ("Asia/Tokyo", datetime(2025, 3, 2, 23, 30, tzinfo=UTC), date(2025, 3, 3)),
        ("UTC", datetime(2025, 3, 2, 23, 30, tzinfo=UTC), date(2025, 3, 2)),
        # 03:00 UTC on Monday is still Sunday evening in New York.
        ("America/New_York", datetime(2025, 3, 3, 3, 0, tzinfo=UTC), date(2025, 3, 2)),
        ("Not/AZone", datetime(2025, 3, 3, 3, 0, tzinfo=UTC), date(2025, 3, 3)),
    ],
)
def test_it_computes_today_in_the_learners_time_zone(zone, utc, expected):
    assert local_today(zone, utc) == expected


def test_it_keeps_weeks_whole_across_a_daylight_saving_change():
    # Europe/London springs forward on Sunday 30 March 2025: that week has
    # 167 hours, but the plan works on dates, so weeks stay Monday to Sunday.
    start = date(2025, 3, 24)
    before = datetime(2025, 3, 30, 0, 30, tzinfo=UTC)  # 00:30 GMT
    after = datetime(2025, 3, 30, 23, 30, tzinfo=UTC)  # 00:30 BST on Monday 31st
    assert local_today("Europe/London", before) == date(2025, 3, 30)
    assert local_today("Europe/London", after) == date(2025, 3, 31)
    plan = plan_schedule(items(7, 7, 7), hours_per_week=D(7), start_date=start, today=start)
    assert [w.start for w in plan.weeks] == [date(2025, 3, 24), date(2025, 3, 31), date(2025, 4, 7)]
    assert plan.finish_date == date(2025, 4, 13)
    # And on the autumn change (26 October 2025), too.
    autumn = plan_schedule(items(14), hours_per_week=D(7), start_date=date(2025, 10, 20), today=date(2025, 10, 20))
    assert [w.start for w in autumn.weeks] == [date(2025, 10, 20), date(2025, 10, 27)]
