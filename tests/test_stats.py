"""Streak and weekly-hours arithmetic across week boundaries, time zones and
daylight-saving changes, and the SVG charts' text alternatives."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from django.template.loader import render_to_string
from django.utils import translation

from progress import charts
from progress.schedule import local_today
from progress.studylog import stats

MON = date(2026, 3, 2)  # a Monday


def test_it_sums_minutes_per_day_and_per_monday_week():
    days = stats.minutes_by_day([(MON, 30), (MON, 15), (MON + timedelta(days=6), 60), (MON + timedelta(days=7), 5)])
    assert days == {MON: 45, MON + timedelta(days=6): 60, MON + timedelta(days=7): 5}
    # Sunday belongs to the week that started on Monday; the next Monday starts a new week.
    assert stats.minutes_by_week(days) == {MON: 105, MON + timedelta(days=7): 5}


def test_it_counts_a_daily_streak_ending_today_or_yesterday():
    today = MON + timedelta(days=3)
    days = {today - timedelta(days=n): 20 for n in range(4)}
    assert stats.daily_streak(days, today) == 4
    # Nothing yet today: yesterday's streak still stands.
    del days[today]
    assert stats.daily_streak(days, today) == 3
    # A gap of a whole day ends it.
    assert stats.daily_streak(days, today + timedelta(days=1)) == 0
    assert stats.daily_streak({}, today) == 0


def test_it_counts_a_daily_streak_across_a_week_boundary():
    sunday = MON - timedelta(days=1)
    days = {sunday - timedelta(days=1): 10, sunday: 10, MON: 10}
    assert stats.daily_streak(days, MON) == 3


def test_it_counts_weeks_in_a_row_that_met_the_target():
    weeks = {MON - timedelta(weeks=n): 600 for n in range(1, 4)}
    weeks[MON - timedelta(weeks=4)] = 100  # missed: the streak stops here
    weeks[MON - timedelta(weeks=5)] = 900
    streak = stats.weekly_streak(weeks, target_minutes=600, breaks=[], today=MON + timedelta(days=2))
    assert streak.weeks == 3
    assert not streak.this_week_met


def test_it_does_not_break_the_streak_during_the_current_week():
    weeks = {MON - timedelta(weeks=1): 600}
    sunday = MON + timedelta(days=6)
    assert stats.weekly_streak(weeks, target_minutes=600, breaks=[], today=sunday).weeks == 1
    weeks[MON] = 600
    streak = stats.weekly_streak(weeks, target_minutes=600, breaks=[], today=sunday)
    assert (streak.weeks, streak.this_week_met) == (2, True)
    # The next Monday: last week counts, the new week is in progress.
    assert stats.weekly_streak(weeks, target_minutes=600, breaks=[], today=MON + timedelta(days=7)).weeks == 2


def test_it_steps_over_a_planned_break_week_which_neither_counts_nor_breaks():
    weeks = {MON - timedelta(weeks=1): 600, MON - timedelta(weeks=3): 700}
    breaks = [MON - timedelta(weeks=2)]
    assert stats.weekly_streak(weeks, target_minutes=600, breaks=breaks, today=MON).weeks == 2
    assert stats.weekly_streak(weeks, target_minutes=600, breaks=[], today=MON).weeks == 1
    # A break week with hours logged still does not count.
    weeks[MON - timedelta(weeks=2)] = 800
    assert stats.weekly_streak(weeks, target_minutes=600, breaks=breaks, today=MON).weeks == 2


def test_it_reads_a_late_entry_in_the_learners_own_time_zone():
    # Sunday 23:30 in Auckland is Sunday 10:30 UTC; Monday 00:30 there is
    # still Sunday 11:30 UTC, yet a new week for the learner.
    sunday_night = datetime(2026, 3, 1, 10, 30, tzinfo=UTC)
    assert stats.local_date(sunday_night, "Pacific/Auckland") == date(2026, 3, 1)
    after_midnight = datetime(2026, 3, 1, 11, 30, tzinfo=UTC)
    assert stats.local_date(after_midnight, "Pacific/Auckland") == MON
    assert stats.local_date(after_midnight, "UTC") == date(2026, 3, 1)
    assert local_today("Pacific/Auckland", after_midnight) == MON
    # So the same moment's study lands in different weeks for the two learners.
    weeks_auckland = stats.minutes_by_week({stats.local_date(after_midnight, "Pacific/Auckland"): 60})
    weeks_utc = stats.minutes_by_week({stats.local_date(after_midnight, "UTC"): 60})
    assert list(weeks_auckland) == [MON]
    assert list(weeks_utc) == [MON - timedelta(weeks=1)]


def test_it_keeps_days_and_weeks_whole_across_the_march_clock_change_in_london():
    # Clocks go forward at 01:00 UTC on Sunday 29 March 2026.
    before = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 00:30 GMT
    after = datetime(2026, 3, 29, 23, 30, tzinfo=UTC)  # 00:30 BST on Monday 30th
    assert stats.local_date(before, "Europe/London") == date(2026, 3, 29)
    assert stats.local_date(after, "Europe/London") == date(2026, 3, 30)
    days = {date(2026, 3, 23) + timedelta(days=n): 30 for n in range(14)}  # two full weeks around the change
    assert stats.minutes_by_week(days) == {date(2026, 3, 23): 210, date(2026, 3, 30): 210}
    assert stats.daily_streak(days, date(2026, 4, 5)) == 14
    weeks = stats.minutes_by_week(days)
    assert stats.weekly_streak(weeks, target_minutes=210, breaks=[], today=date(2026, 4, 5)).weeks == 2


def test_it_keeps_days_and_weeks_whole_across_the_october_clock_change_in_london():
    # Clocks go back at 01:00 UTC on Sunday 25 October 2026: that day has 25 hours.
    late_saturday = datetime(2026, 10, 24, 23, 30, tzinfo=UTC)  # 00:30 BST on Sunday 25th
    late_sunday = datetime(2026, 10, 25, 23, 30, tzinfo=UTC)  # 23:30 GMT, still Sunday
    assert stats.local_date(late_saturday, "Europe/London") == date(2026, 10, 25)
    assert stats.local_date(late_sunday, "Europe/London") == date(2026, 10, 25)
    days = stats.minutes_by_day([
        (stats.local_date(late_saturday, "Europe/London"), 40),
        (stats.local_date(late_sunday, "Europe/London"), 20),
    ])
    assert stats.minutes_by_week(days) == {date(2026, 10, 19): 60}
    summary = stats.summarise_study(days, goal_hours=1, breaks=[], today=date(2026, 10, 26))
    assert summary.week_minutes == 0  # Monday 26th opens a new week
    assert summary.daily_streak == 1
    assert summary.weekly_streak.weeks == 1


def test_it_summarises_hours_against_the_goal():
    days = {MON: 90, MON + timedelta(days=1): 60}
    summary = stats.summarise_study(days, goal_hours=5, breaks=[MON], today=MON + timedelta(days=1))
    assert summary.week_minutes == 150
    assert summary.week_hours == 2.5
    assert summary.week_percent == 50
    assert not summary.goal_met
    assert summary.this_week_is_break
    assert summary.study_days == 2


def test_it_lays_out_twelve_weeks_and_a_heatmap_ending_today():
    today = MON + timedelta(days=2)
    bars = stats.last_weeks({MON: 120}, today=today)
    assert len(bars) == 12 and bars[-1].start == MON and bars[-1].is_current and bars[-1].hours == 2
    assert bars[0].start == MON - timedelta(weeks=11)
    columns = stats.heatmap({today: 45, MON: 200}, today=today)
    assert len(columns) == 26 and all(len(column) == 7 for column in columns)
    assert columns[-1][0].day == MON and columns[-1][0].level == 4
    assert columns[-1][2].level == 2
    assert columns[-1][3].is_future


def _render(template: str, chart) -> str:
    return render_to_string(f"progress/charts/{template}.html", {"chart": chart}).strip()


def test_it_draws_the_bar_chart_as_an_accessible_svg_without_inline_styles():
    today = MON + timedelta(days=2)
    bars = stats.last_weeks({MON: 600, MON - timedelta(weeks=1): 300}, today=today, breaks=[MON - timedelta(weeks=2)])
    chart = charts.weekly_bars(bars, goal_hours=8)
    svg = _render("weekly", chart)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "style=" not in svg
    assert svg.count('<rect class="chart__bar') == 12
    assert "the weekly goal of 8 hours was met in 1 of them" in svg
    assert "15.0 hours in all" in svg
    assert "Week of 2 Mar: 10 h</title>" in svg and "(planned break)" in svg
    assert 'class="chart__bar chart__bar--current chart__bar--met"' in svg
    table = _render("weekly_table", chart)
    assert "<table" in table and "10 h" in table and "5 h" in table and "planned break" in table
    assert "goal met" in table and table.count("<tr>") == 13  # header + 12 weeks


def test_it_places_the_bars_on_the_scale():
    today = MON + timedelta(days=2)
    bars = stats.last_weeks({MON: 600}, today=today)
    chart = charts.weekly_bars(bars, goal_hours=8)
    # 10 h rounds the axis up to 10: the current bar reaches the top, the goal line sits at 8/10.
    assert [line.hours for line in chart.grid] == [0, 5, 10]
    assert chart.bars[-1].y == charts.TOP and chart.bars[0].height == 0
    assert chart.goal_y == round(charts.TOP + (charts.CHART_HEIGHT - charts.AXIS_BOTTOM - charts.TOP) * 0.2, 1)


def test_it_draws_the_heatmap_with_a_title_per_day_and_a_table_of_study_days():
    today = MON + timedelta(days=2)
    columns = stats.heatmap({MON: 75, today: 10}, today=today)
    chart = charts.study_heatmap(columns)
    svg = _render("heatmap", chart)
    assert "style=" not in svg and 'role="img"' in svg
    assert "Mon 2 Mar 2026: 1 h 15 min" in svg
    assert len(re.findall(r"<rect ", svg)) == 25 * 7 + 3  # nothing drawn after today
    assert "2 of 178 days, 1.4 hours in all" in svg
    table = _render("heatmap_table", chart)
    assert table.count("<tr>") == 3  # header + two days with study
    empty = charts.study_heatmap(stats.heatmap({}, today=today))
    assert "No study logged in this period." in _render("heatmap_table", empty)


def test_it_spells_the_heatmap_days_in_the_pages_language():
    today = MON + timedelta(days=2)
    with translation.override("es"):
        chart = charts.study_heatmap(stats.heatmap({MON: 75}, today=today))
        assert "lun 2 mar 2026: 1 h 15 min" in _render("heatmap", chart)
        assert "lun 2 mar 2026</time>" in _render("heatmap_table", chart)


def test_it_escapes_what_it_draws():
    today = MON + timedelta(days=2)
    chart = charts.weekly_bars(stats.last_weeks({}, today=today), goal_hours=8, chart_id='x" onload="alert(1)')
    svg = _render("weekly", chart)
    assert 'onload="alert' not in svg and "&quot;" in svg

