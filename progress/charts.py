"""Server-rendered SVG charts of study time, each with a text alternative.

The Content-Security-Policy forbids style="" attributes, so geometry goes in
presentation attributes (x=, width=, fill=) and colours in CSS classes
(static/css/dashboard.css), with a fill= fallback for when the stylesheet
is missing. Every chart is an image with a <title> and <desc>; the numbers
it draws are also available as a table (`*_table` below) for screen readers
and for anyone who prefers figures.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from progress.stats import HeatDay, WeekBar

BAR_WIDTH = 36
BAR_GAP = 12
CHART_HEIGHT = 160
AXIS_LEFT = 36
AXIS_BOTTOM = 24
TOP = 12

CELL = 12
CELL_GAP = 3
HEAT_LEFT = 30
HEAT_TOP = 18
HEAT_FALLBACK = ("#e2e2de", "#c6d0f0", "#8fa2e3", "#5470cf", "#2f4bb0")
WEEKDAY_LABELS = ((0, "Mon"), (2, "Wed"), (4, "Fri"))


def _day(value, fmt: str = "%b %Y") -> str:
    """A date as "3 Mar 2026", without the platform-specific %-d."""
    return f"{value.day} {value:{fmt}}"


def _hours(value: float) -> str:
    return f"{value:g}"


def _scale_max(bars: Sequence[WeekBar], goal_hours: float) -> float:
    top = max([bar.hours for bar in bars] + [goal_hours, 1.0])
    # Round the axis up to a whole number of hours divisible by 2 for the tick.
    top = int(top) + (1 if top != int(top) else 0)
    return float(top + (top % 2))


def weekly_bar_chart(bars: Sequence[WeekBar], *, goal_hours: float, chart_id: str = "weekly-chart") -> SafeString:
    """A bar per week (hours logged), a dashed line at the weekly goal."""
    top = _scale_max(bars, goal_hours)
    plot_height = CHART_HEIGHT - AXIS_BOTTOM - TOP
    width = AXIS_LEFT + len(bars) * (BAR_WIDTH + BAR_GAP)

    def y_of(hours: float) -> float:
        return round(TOP + plot_height - hours / top * plot_height, 1)

    met = sum(1 for bar in bars if goal_hours and bar.hours >= goal_hours)
    total = sum(bar.minutes for bar in bars) / 60
    desc = (
        f"Hours of study logged in each of the last {len(bars)} weeks, "
        f"{_day(bars[0].start)} to {_day(bars[-1].end)}: {total:.1f} hours in all; "
        f"the weekly goal of {_hours(goal_hours)} hours was met in {met} of them."
    )
    parts = [
        format_html(
            '<svg class="chart chart--bars" id="{}" viewBox="0 0 {} {}" width="100%" role="img" '
            'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">',
            chart_id, width, CHART_HEIGHT, chart_id, chart_id,
        ),
        format_html('<title id="{}-title">Hours studied per week</title>', chart_id),
        format_html('<desc id="{}-desc">{}</desc>', chart_id, desc),
    ]
    # Horizontal grid lines at 0, half and the top of the scale.
    for hours in (0.0, top / 2, top):
        y = y_of(hours)
        parts.append(
            format_html(
                '<line class="chart__grid" x1="{}" x2="{}" y1="{}" y2="{}" stroke="#c4c4be" stroke-width="1"/>'
                '<text class="chart__axis" x="{}" y="{}" text-anchor="end" font-size="10" fill="#585b63">{} h</text>',
                AXIS_LEFT, width, y, y, AXIS_LEFT - 4, y + 3, _hours(hours),
            )
        )
    for index, bar in enumerate(bars):
        x = AXIS_LEFT + BAR_GAP / 2 + index * (BAR_WIDTH + BAR_GAP)
        y = y_of(bar.hours)
        classes = "chart__bar"
        if bar.is_current:
            classes += " chart__bar--current"
        if goal_hours and bar.hours >= goal_hours:
            classes += " chart__bar--met"
        label = f"Week of {_day(bar.start, '%b')}: {_hours(bar.hours)} h"
        if bar.is_break:
            label += " (planned break)"
        parts.append(
            format_html(
                '<rect class="{}" x="{}" y="{}" width="{}" height="{}" rx="3" fill="#3450b8"><title>{}</title></rect>',
                classes, x, y, BAR_WIDTH, round(TOP + plot_height - y, 1), label,
            )
        )
        if bar.is_break:
            parts.append(
                format_html(
                    '<text class="chart__axis" x="{}" y="{}" text-anchor="middle" font-size="9" '
                    'fill="#585b63">break</text>',
                    x + BAR_WIDTH / 2, TOP + plot_height - 4,
                )
            )
        if index % 2 == len(bars) % 2 or bar.is_current:
            parts.append(
                format_html(
                    '<text class="chart__axis" x="{}" y="{}" text-anchor="middle" font-size="10" '
                    'fill="#585b63">{}</text>',
                    x + BAR_WIDTH / 2, CHART_HEIGHT - 8, _day(bar.start, "%b"),
                )
            )
    if goal_hours:
        y = y_of(goal_hours)
        parts.append(
            format_html(
                '<line class="chart__goal" x1="{}" x2="{}" y1="{}" y2="{}" stroke="#1b6e3f" stroke-width="2" '
                'stroke-dasharray="6 4"><title>Weekly goal: {} h</title></line>',
                AXIS_LEFT, width, y, y, _hours(goal_hours),
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def weekly_table(bars: Sequence[WeekBar], *, goal_hours: float) -> SafeString:
    rows = format_html_join(
        "",
        '<tr><th scope="row"><time datetime="{}">{}</time></th><td>{}</td><td>{}</td></tr>',
        (
            (
                f"{bar.start:%Y-%m-%d}",
                _day(bar.start),
                f"{_hours(bar.hours)} h",
                "planned break" if bar.is_break else ("goal met" if goal_hours and bar.hours >= goal_hours else ""),
            )
            for bar in bars
        ),
    )
    return format_html(
        '<table class="table chart-table"><caption>Hours per week (goal {} h)</caption>'
        '<thead><tr><th scope="col">Week of</th><th scope="col">Hours</th><th scope="col">Note</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        _hours(goal_hours), rows,
    )


def _minutes_text(minutes: int) -> str:
    if not minutes:
        return "no study"
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def study_heatmap(columns: Sequence[Sequence[HeatDay]], *, chart_id: str = "study-heatmap") -> SafeString:
    """A column per week, a row per weekday; darker means more minutes."""
    width = HEAT_LEFT + len(columns) * (CELL + CELL_GAP)
    height = HEAT_TOP + 7 * (CELL + CELL_GAP)
    days = [day for column in columns for day in column if not day.is_future]
    studied = sum(1 for day in days if day.minutes)
    first, last = days[0].day, days[-1].day
    desc = (
        f"Days with study from {_day(first)} to {_day(last)}: "
        f"{studied} of {len(days)} days, {sum(day.minutes for day in days) / 60:.1f} hours in all."
    )
    parts = [
        format_html(
            '<svg class="chart chart--heatmap" id="{}" viewBox="0 0 {} {}" width="100%" role="img" '
            'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">',
            chart_id, width, height, chart_id, chart_id,
        ),
        format_html('<title id="{}-title">Study days</title>', chart_id),
        format_html('<desc id="{}-desc">{}</desc>', chart_id, desc),
    ]
    for row, label in WEEKDAY_LABELS:
        parts.append(
            format_html(
                '<text class="chart__axis" x="0" y="{}" font-size="9" fill="#585b63">{}</text>',
                HEAT_TOP + row * (CELL + CELL_GAP) + CELL - 2, label,
            )
        )
    previous_month, last_label = None, -3
    for index, column in enumerate(columns):
        x = HEAT_LEFT + index * (CELL + CELL_GAP)
        month = column[0].day.month
        # A month that starts a column or two after the previous label would
        # print over it ("MayJun"): label it only with room to spare.
        if month != previous_month and index - last_label >= 3:
            last_label = index
            parts.append(
                format_html(
                    '<text class="chart__axis" x="{}" y="10" font-size="9" fill="#585b63">{}</text>',
                    x, f"{column[0].day:%b}",
                )
            )
            previous_month = month
        for row, day in enumerate(column):
            if day.is_future:
                continue
            parts.append(
                format_html(
                    '<rect class="heat heat--{}" x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}">'
                    "<title>{}: {}</title></rect>",
                    day.level, x, HEAT_TOP + row * (CELL + CELL_GAP), CELL, CELL, HEAT_FALLBACK[day.level],
                    f"{day.day:%a} {_day(day.day)}", _minutes_text(day.minutes),
                )
            )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def heatmap_table(columns: Sequence[Sequence[HeatDay]]) -> SafeString:
    """The days with study as a table (days without study are left out)."""
    rows = format_html_join(
        "",
        '<tr><th scope="row"><time datetime="{}">{}</time></th><td>{}</td></tr>',
        (
            (f"{day.day:%Y-%m-%d}", f"{day.day:%a} {_day(day.day)}", _minutes_text(day.minutes))
            for column in columns
            for day in column
            if day.minutes and not day.is_future
        ),
    )
    if not rows:
        return format_html('<p class="muted">{}</p>', "No study logged in this period.")
    return format_html(
        '<table class="table chart-table"><caption>{}</caption>'
        '<thead><tr><th scope="col">Day</th><th scope="col">Time</th></tr></thead><tbody>{}</tbody></table>',
        "Days with study",
        rows,
    )

