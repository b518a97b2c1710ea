"""Due-period arithmetic: boundaries, pauses, time zones and daylight saving."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from progress.schedule import local_today
from retrospectives import periods
from retrospectives.periods import Span

MON = date(2026, 1, 5)  # a Monday


def test_it_has_nothing_due_before_the_first_period_ends():
    assert periods.due_count(start=MON, interval_weeks=2, today=MON) == 0
    assert periods.due_count(start=MON, interval_weeks=2, today=MON + timedelta(days=12)) == 0


def test_it_falls_due_on_the_last_day_of_the_period():
    last_day = MON + timedelta(days=13)  # Sunday of the second week
    assert periods.due_count(start=MON, interval_weeks=2, today=last_day) == 1
    first = periods.period(start=MON, interval_weeks=2, index=0)
    assert (first.start, first.end) == (MON, last_day)
    second = periods.period(start=MON, interval_weeks=2, index=1)
    assert (second.start, second.end) == (MON + timedelta(days=14), MON + timedelta(days=27))
    assert periods.due_count(start=MON, interval_weeks=2, today=second.end - timedelta(days=1)) == 1
    assert periods.due_count(start=MON, interval_weeks=2, today=second.end) == 2


def test_it_counts_from_any_weekday_and_any_interval():
    thursday = date(2026, 1, 8)
    p = periods.period(start=thursday, interval_weeks=3, index=2)
    assert (p.start, p.end) == (thursday + timedelta(days=42), thursday + timedelta(days=62))
    assert p.label == "Weeks 7–9"
    assert periods.period(start=thursday, interval_weeks=1, index=0).label == "Week 1"


def test_it_has_nothing_due_when_the_start_date_is_ahead():
    assert periods.due_count(start=MON, interval_weeks=1, today=MON - timedelta(days=30)) == 0
    assert periods.due_periods(start=MON, interval_weeks=1, today=MON - timedelta(days=1)) == []


def test_it_lists_due_periods_oldest_first_and_marks_older_ones_overdue():
    today = MON + timedelta(days=45)
    due = periods.due_periods(start=MON, interval_weeks=2, today=today)
    assert [p.index for p in due] == [0, 1, 2]
    assert [periods.is_overdue(p.index, len(due)) for p in due] == [True, True, False]


def test_it_shifts_later_periods_by_a_pause_and_leaves_earlier_ones():
    # Paused for 5 days during the second week: [Jan 14, Jan 19).
    pauses = [Span(date(2026, 1, 14), date(2026, 1, 19))]
    first = periods.period(start=MON, interval_weeks=1, index=0, pauses=pauses)
    assert (first.start, first.end) == (MON, date(2026, 1, 11))
    second = periods.period(start=MON, interval_weeks=1, index=1, pauses=pauses)
    assert (second.start, second.end) == (date(2026, 1, 12), date(2026, 1, 23))  # 7 study days + 5 paused
    third = periods.period(start=MON, interval_weeks=1, index=2, pauses=pauses)
    assert third.start == date(2026, 1, 24)
    assert periods.due_count(start=MON, interval_weeks=1, today=date(2026, 1, 22), pauses=pauses) == 1
    assert periods.due_count(start=MON, interval_weeks=1, today=date(2026, 1, 23), pauses=pauses) == 2


def test_it_counts_the_resume_day_as_a_study_day():
    pauses = [Span(date(2026, 1, 7), date(2026, 1, 8))]  # paused one day, back on the 8th
    assert periods.study_days_through(start=MON, today=date(2026, 1, 8), pauses=pauses) == 3


def test_it_stops_the_clock_during_a_pause_that_has_not_ended():
    pauses = [Span(date(2026, 1, 10), None)]
    assert periods.study_days_through(start=MON, today=date(2026, 3, 1), pauses=pauses) == 5
    assert periods.due_count(start=MON, interval_weeks=1, today=date(2026, 3, 1), pauses=pauses) == 0
    assert periods.period(start=MON, interval_weeks=1, index=0, pauses=pauses) is None


def test_it_a_pause_on_the_last_day_moves_the_due_date():
    pauses = [Span(date(2026, 1, 11), date(2026, 1, 13))]  # Sunday and Monday paused
    p = periods.period(start=MON, interval_weeks=1, index=0, pauses=pauses)
    assert p.end == date(2026, 1, 13)


def test_it_ignores_pause_days_before_the_start_and_merges_overlaps():
    pauses = [
        Span(date(2025, 12, 20), date(2026, 1, 7)),  # straddles the start: only Jan 5–6 count
        Span(date(2026, 1, 20), date(2026, 1, 25)),
        Span(date(2026, 1, 22), date(2026, 1, 27)),  # overlaps the previous one
        Span(date(2026, 1, 30), date(2026, 1, 30)),  # empty
    ]
    assert periods.study_days_through(start=MON, today=date(2026, 1, 31), pauses=pauses) == 27 - 2 - 7
    p = periods.period(start=MON, interval_weeks=1, index=1, pauses=pauses)
    assert (p.start, p.end) == (date(2026, 1, 14), date(2026, 1, 27))


@pytest.mark.parametrize("days", range(0, 60, 3))
def test_it_agrees_with_the_count_from_total_paused_days(days):
    pauses = [Span(date(2026, 1, 9), date(2026, 1, 12)), Span(date(2026, 1, 30), date(2026, 2, 6))]
    today = MON + timedelta(days=days)
    paused = sum(
        1 for n in range(days + 1)
        if any(s.started_on <= MON + timedelta(days=n) < s.ended_on for s in pauses)
    )
    assert periods.due_count(start=MON, interval_weeks=1, today=today, pauses=pauses) == (
        periods.due_count_from_paused_days(start=MON, interval_weeks=1, today=today, paused_days=paused)
    )


def test_it_rejects_a_zero_interval_and_a_negative_index():
    with pytest.raises(ValueError):
        periods.due_count(start=MON, interval_weeks=0, today=MON)
    with pytest.raises(ValueError):
        periods.period(start=MON, interval_weeks=2, index=-1)


def test_it_uses_the_learners_date_auckland_before_los_angeles():
    # Period 0 of an enrolment started Mon 2 Mar 2026 ends on Sun 15 Mar.
    start = date(2026, 3, 2)
    # 10:59 UTC on Sat 14 Mar: 23:59 on the 14th in Auckland (NZDT, +13) → not due.
    # 11:00 UTC: midnight, Sun 15 Mar in Auckland → due; in Los Angeles (PDT, -7)
    # it is 04:00 on Sat 14 Mar → not due until 07:00 UTC on the 15th.
    before = datetime(2026, 3, 14, 10, 59, tzinfo=UTC)
    midnight = datetime(2026, 3, 14, 11, 0, tzinfo=UTC)
    assert local_today("Pacific/Auckland", before) == date(2026, 3, 14)
    assert periods.due_count(start=start, interval_weeks=2, today=local_today("Pacific/Auckland", before)) == 0
    assert local_today("Pacific/Auckland", midnight) == date(2026, 3, 15)
    assert periods.due_count(start=start, interval_weeks=2, today=local_today("Pacific/Auckland", midnight)) == 1
    assert periods.due_count(start=start, interval_weeks=2, today=local_today("America/Los_Angeles", midnight)) == 0
    la_midnight = datetime(2026, 3, 15, 7, 0, tzinfo=UTC)
    assert local_today("America/Los_Angeles", la_midnight - timedelta(minutes=1)) == date(2026, 3, 14)
    assert periods.due_count(start=start, interval_weeks=2, today=local_today("America/Los_Angeles", la_midnight)) == 1


def test_it_turns_due_at_local_midnight_across_a_dst_change():
    # Los Angeles springs forward on Sun 8 Mar 2026 (PST -8 → PDT -7). A period
    # from Mon 23 Feb ends on Sun 8 Mar, the very day of the change.
    start = date(2026, 2, 23)
    assert periods.period(start=start, interval_weeks=2, index=0).end == date(2026, 3, 8)
    just_before = local_today("America/Los_Angeles", datetime(2026, 3, 8, 7, 59, tzinfo=UTC))  # 23:59 PST on the 7th
    just_after = local_today("America/Los_Angeles", datetime(2026, 3, 8, 8, 0, tzinfo=UTC))  # 00:00 PST on the 8th
    assert periods.due_count(start=start, interval_weeks=2, today=just_before) == 0
    assert periods.due_count(start=start, interval_weeks=2, today=just_after) == 1


def test_it_keeps_whole_days_in_zone_bounds_across_dst():
    # Auckland leaves daylight saving on Sun 5 Apr 2026: that period is an
    # hour longer in real time, but still 14 calendar days.
    p = periods.period(start=date(2026, 3, 30), interval_weeks=2, index=0)
    first, after = periods.bounds_in_zone(p, "Pacific/Auckland")
    assert (first.date(), after.date()) == (date(2026, 3, 30), date(2026, 4, 13))
    assert after.astimezone(UTC) - first.astimezone(UTC) == timedelta(days=14, hours=1)
    assert first.utcoffset() == timedelta(hours=13) and after.utcoffset() == timedelta(hours=12)
    # Los Angeles springs forward inside this one: an hour shorter.
    p = periods.period(start=date(2026, 3, 2), interval_weeks=2, index=0)
    first, after = periods.bounds_in_zone(p, "America/Los_Angeles")
    assert after.astimezone(UTC) - first.astimezone(UTC) == timedelta(days=14, hours=-1)


def test_it_falls_back_to_utc_for_an_unknown_zone():
    p = periods.period(start=MON, interval_weeks=1, index=0)
    first, _ = periods.bounds_in_zone(p, "Not/A_Zone")
    assert first.utcoffset() == timedelta(0)
