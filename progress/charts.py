"""Server-rendered SVG charts of study time, each with a text alternative.

The Content-Security-Policy forbids style="" attributes, so geometry goes in
presentation attributes (x=, width=, fill=) and colours in CSS classes
(static/css/dashboard.css), with a fill= fallback for when the stylesheet
is missing. Every chart is an image with a <title> and <desc>; the numbers
it draws are also available as a table (`*_table` below) for screen readers
and for anyone who prefers figures.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from config.caching import cache_get_or_compute
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
    chart_id = escape(chart_id)

    def y_of(hours: float) -> float:
        return round(TOP + plot_height - hours / top * plot_height, 1)

    met = sum(1 for bar in bars if goal_hours and bar.hours >= goal_hours)
    total = sum(bar.minutes for bar in bars) / 60
    desc = (
        f"Hours of study logged in each of the last {len(bars)} weeks, "
        f"{_day(bars[0].start)} to {_day(bars[-1].end)}: {total:.1f} hours in all; "
        f"the weekly goal of {_hours(goal_hours)} hours was met in {met} of them."
    )
    # Everything below is numbers, dates and fixed words: plain string
    # building, no escaping needed (format_html per element was most of the cost).
    parts = [
        f'<svg class="chart chart--bars" id="{chart_id}" viewBox="0 0 {width} {CHART_HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">Hours studied per week</title>'
        f'<desc id="{chart_id}-desc">{desc}</desc>'
    ]
    # Horizontal grid lines at 0, half and the top of the scale.
    for hours in (0.0, top / 2, top):
        y = y_of(hours)
        parts.append(
            f'<line class="chart__grid" x1="{AXIS_LEFT}" x2="{width}" y1="{y}" y2="{y}" stroke="#c4c4be" '
            f'stroke-width="1"/><text class="chart__axis" x="{AXIS_LEFT - 4}" y="{y + 3}" text-anchor="end" '
            f'font-size="10" fill="#585b63">{_hours(hours)} h</text>'
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
            f'<rect class="{classes}" x="{x}" y="{y}" width="{BAR_WIDTH}" height="{round(TOP + plot_height - y, 1)}" '
            f'rx="3" fill="#3450b8"><title>{label}</title></rect>'
        )
        if bar.is_break:
            parts.append(
                f'<text class="chart__axis" x="{x + BAR_WIDTH / 2}" y="{TOP + plot_height - 4}" text-anchor="middle" '
                'font-size="9" fill="#585b63">break</text>'
            )
        if index % 2 == len(bars) % 2 or bar.is_current:
            parts.append(
                f'<text class="chart__axis" x="{x + BAR_WIDTH / 2}" y="{CHART_HEIGHT - 8}" text-anchor="middle" '
                f'font-size="10" fill="#585b63">{_day(bar.start, "%b")}</text>'
            )
    if goal_hours:
        y = y_of(goal_hours)
        parts.append(
            f'<line class="chart__goal" x1="{AXIS_LEFT}" x2="{width}" y1="{y}" y2="{y}" stroke="#1b6e3f" '
            f'stroke-width="2" stroke-dasharray="6 4"><title>Weekly goal: {_hours(goal_hours)} h</title></line>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def weekly_table(bars: Sequence[WeekBar], *, goal_hours: float) -> SafeString:
    rows = "".join(
        f'<tr><th scope="row"><time datetime="{bar.start:%Y-%m-%d}">{_day(bar.start)}</time></th>'
        f"<td>{_hours(bar.hours)} h</td><td>{_week_note(bar, goal_hours)}</td></tr>"
        for bar in bars
    )
    return mark_safe(
        f'<table class="table chart-table"><caption>Hours per week (goal {_hours(goal_hours)} h)</caption>'
        '<thead><tr><th scope="col">Week of</th><th scope="col">Hours</th><th scope="col">Note</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _week_note(bar: WeekBar, goal_hours: float) -> str:
    if bar.is_break:
        return "planned break"
    return "goal met" if goal_hours and bar.hours >= goal_hours else ""


def _minutes_text(minutes: int) -> str:
    if not minutes:
        return "no study"
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def _day_label(value) -> str:
    """"Mon 3 Mar 2026" (the heatmap's cell titles and table rows)."""
    return f"{value:%a} {value.day} {value:%b %Y}"


def study_heatmap(columns: Sequence[Sequence[HeatDay]], *, chart_id: str = "study-heatmap") -> SafeString:
    """A column per week, a row per weekday; darker means more minutes."""
    width = HEAT_LEFT + len(columns) * (CELL + CELL_GAP)
    height = HEAT_TOP + 7 * (CELL + CELL_GAP)
    chart_id = escape(chart_id)
    days = [day for column in columns for day in column if not day.is_future]
    studied = sum(1 for day in days if day.minutes)
    first, last = days[0].day, days[-1].day
    desc = (
        f"Days with study from {_day(first)} to {_day(last)}: "
        f"{studied} of {len(days)} days, {sum(day.minutes for day in days) / 60:.1f} hours in all."
    )
    # Numbers, dates and fixed words only: plain string building (one
    # format_html per cell made this chart most of the dashboard's cost).
    parts = [
        f'<svg class="chart chart--heatmap" id="{chart_id}" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">Study days</title>'
        f'<desc id="{chart_id}-desc">{desc}</desc>'
    ]
    for row, label in WEEKDAY_LABELS:
        parts.append(
            f'<text class="chart__axis" x="0" y="{HEAT_TOP + row * (CELL + CELL_GAP) + CELL - 2}" font-size="9" '
            f'fill="#585b63">{label}</text>'
        )
    row_y = [HEAT_TOP + row * (CELL + CELL_GAP) for row in range(7)]
    cell_tail = f'" width="{CELL}" height="{CELL}" rx="2" fill="'
    previous_month, last_label = None, -3
    for index, column in enumerate(columns):
        x = HEAT_LEFT + index * (CELL + CELL_GAP)
        month = column[0].day.month
        # A month that starts a column or two after the previous label would
        # print over it ("MayJun"): label it only with room to spare.
        if month != previous_month and index - last_label >= 3:
            last_label = index
            parts.append(
                f'<text class="chart__axis" x="{x}" y="10" font-size="9" fill="#585b63">{column[0].day:%b}</text>'
            )
            previous_month = month
        for row, day in enumerate(column):
            if day.is_future:
                continue
            parts.append(
                f'<rect class="heat heat--{day.level}" x="{x}" y="{row_y[row]}{cell_tail}{HEAT_FALLBACK[day.level]}">'
                f"<title>{_day_label(day.day)}: {_minutes_text(day.minutes)}</title></rect>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def heatmap_table(columns: Sequence[Sequence[HeatDay]]) -> SafeString:
    """The days with study as a table (days without study are left out)."""
    rows = "".join(
        f'<tr><th scope="row"><time datetime="{day.day:%Y-%m-%d}">{_day_label(day.day)}</time></th>'
        f"<td>{_minutes_text(day.minutes)}</td></tr>"
        for column in columns
        for day in column
        if day.minutes and not day.is_future
    )
    if not rows:
        return mark_safe('<p class="muted">No study logged in this period.</p>')
    return mark_safe(
        '<table class="table chart-table"><caption>Days with study</caption>'
        '<thead><tr><th scope="col">Day</th><th scope="col">Time</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


# --- The dashboard's charts, cached on what they are drawn from ---------------
#
# The four pieces depend only on the learner's study minutes and planned breaks
# in the charts' window, their goal and today's date: `Dashboard.chart_key` is a
# digest of exactly that, so an entry can never be stale (a new log entry or
# break, another day or goal gives another key) and holds nothing but numbers
# and dates. This file's own digest is in the key too: a deploy that changes
# how charts are drawn never serves the old drawings.

CHARTS_TIMEOUT_SECONDS = 24 * 60 * 60
_CODE_DIGEST = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


def _draw(dash) -> dict[str, str]:
    return {
        "weekly_chart": weekly_bar_chart(dash.weeks, goal_hours=dash.goal_hours),
        "weekly_table": weekly_table(dash.weeks, goal_hours=dash.goal_hours),
        "heatmap_chart": study_heatmap(dash.heatmap),
        "heatmap_table": heatmap_table(dash.heatmap),
    }


def study_charts(dash) -> dict[str, SafeString]:
    """The dashboard's bar chart, heatmap and their tables, from the cache when
    the same data was drawn before. A cache outage costs speed, never the page."""
    drawn = cache_get_or_compute(
        f"dashboard-charts:{_CODE_DIGEST}:{dash.chart_key}",
        lambda: {name: str(html) for name, html in _draw(dash).items()},
        timeout=CHARTS_TIMEOUT_SECONDS,
    )
    return {name: mark_safe(html) for name, html in drawn.items()}
