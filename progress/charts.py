"""Geometry of the SVG charts of study time; the markup is in templates.

`weekly_bars` and `study_heatmap` turn the figures from `progress.studylog.stats` into
numbers and plain-text labels (positions, sizes, CSS classes, titles); the
SVG and the tables are built by the partials in templates/progress/charts/,
which escape every label. Nothing here is cached: drawing is a pass over a few
dozen bars or a few hundred cells.

The Content-Security-Policy forbids style="" attributes, so geometry goes in
presentation attributes (x=, width=, fill=) and colours in CSS classes
(static/css/dashboard.css), with a fill= fallback for when the stylesheet is
missing. Every chart is an image with a <title> and <desc>; the numbers it
draws are also shown as a table for screen readers and for anyone who
prefers figures.

Labels keep their size at every width (at least 9 px tall on a 360 px
phone): the charts are not one scaled picture (a viewBox would shrink the
text with the chart). Across, positions are percentages of the plot's width;
down, the bar chart is a fixed number of pixels. The axis labels sit in the
<svg>'s CSS padding, outside the plot (dashboard.css). The heatmap's cells
do scale (a nested <svg> with a viewBox keeps them square) while its labels,
in the outer <svg>, do not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.dateformat import format as format_date
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext

from progress.studylog.stats import HeatDay, WeekBar
from progress.wording import hours as hours_text

BAR_SHARE = 0.7  # of a week's slot, the rest is the gap
CHART_HEIGHT = 160  # px, the height of the plot and the dates under it
AXIS_BOTTOM = 24
TOP = 12

CELL = 12
CELL_GAP = 3
HEAT_FALLBACK = ("#ebebe7", "#5e7bd7", "#3659cd", "#27429c", "#1b2f6e")  # the light theme's (dashboard.css)
WEEKDAY_LABELS = ((0, WEEKDAYS_ABBR[0]), (2, WEEKDAYS_ABBR[2]), (4, WEEKDAYS_ABBR[4]))  # Django's own, translated


def minutes_text(minutes: int) -> str:
    """"1 h 15 min", "45 min", "no study"."""
    if not minutes:
        return gettext("no study")
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return gettext("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
    if hours:
        return gettext("%(hours)s h") % {"hours": hours}
    return gettext("%(minutes)s min") % {"minutes": rest}


def week_note(bar: WeekBar, goal_hours: float) -> str:
    if bar.is_break:
        return gettext("planned break")
    return gettext("goal met") if goal_hours and bar.hours >= goal_hours else ""


# --- The weekly bar chart -----------------------------------------------------


@dataclass(frozen=True)
class GridLine:
    y: float
    label_y: float
    hours: float
    label: str  # "5 h"


@dataclass(frozen=True)
class BarShape:
    week: WeekBar
    x: float  # % of the plot's width
    y: float
    height: float
    centre: float  # % of the plot's width: x of the labels under the bar
    classes: str
    note: str  # "planned break", "goal met" or ""
    show_date: bool  # every other week back from the last (and the current one) gets its date under it
    # The texts it shows, formatted once here: a {% blocktranslate %} and a
    # |date per bar cost more than the whole geometry.
    title: str  # "Week of 2 Mar: 10 h"
    day_month: str  # "2 Mar", under the bar
    start_long: str  # "2 Mar 2026", in the table
    hours_label: str  # "10 h", in the table
    # x, y, height and centre as the SVG's attributes print them ("%g").
    x_text: str
    y_text: str
    height_text: str
    centre_text: str


@dataclass(frozen=True)
class WeeklyChart:
    chart_id: str
    height: int
    bar_width: float  # % of the plot's width
    bar_width_text: str  # as the SVG prints it
    break_label_y: float  # "break", just above the foot of the bars
    date_label_y: int
    grid: list[GridLine]
    bars: list[BarShape]
    goal_hours: float
    goal_y: float | None
    total_hours: float
    weeks_met: int
    first: date
    last: date


def _scale_max(bars: Sequence[WeekBar], goal_hours: float) -> float:
    top = max([bar.hours for bar in bars] + [goal_hours, 1.0])
    # Round the axis up to a whole number of hours divisible by 2 for the tick.
    top = int(top) + (1 if top != int(top) else 0)
    return float(top + (top % 2))


def weekly_bars(bars: Sequence[WeekBar], *, goal_hours: float, chart_id: str = "weekly-chart") -> WeeklyChart:
    """A bar per week (hours logged), a dashed line at the weekly goal."""
    top = _scale_max(bars, goal_hours)
    hours_format = gettext("%(hours)s h")
    title_format = gettext("Week of %(start)s: %(hours)s h")
    break_format = gettext("Week of %(start)s: %(hours)s h (planned break)")
    plot_height = CHART_HEIGHT - AXIS_BOTTOM - TOP
    baseline = TOP + plot_height

    def y_of(hours: float) -> float:
        return round(baseline - hours / top * plot_height, 1)

    slot = 100 / len(bars)
    bar_width = round(slot * BAR_SHARE, 3)
    shapes = []
    for index, bar in enumerate(bars):
        x = round(slot * index + (slot - bar_width) / 2, 3)
        y = y_of(bar.hours)
        met = bool(goal_hours and bar.hours >= goal_hours)
        classes = "chart__bar"
        if bar.is_current:
            classes += " chart__bar--current"
        if met:
            classes += " chart__bar--met"
        height, centre = round(baseline - y, 1), round(slot * (index + 0.5), 3)
        hours = hours_text(bar.hours)
        day_month = date_format(bar.start, "MONTH_DAY_FORMAT")
        shapes.append(BarShape(
            week=bar, x=x, y=y, height=height, centre=centre, classes=classes,
            note=week_note(bar, goal_hours), show_date=(len(bars) - 1 - index) % 2 == 0 or bar.is_current,
            title=(break_format if bar.is_break else title_format) % {"start": day_month, "hours": hours},
            day_month=day_month, start_long=date_format(bar.start, "SHORT_DATE_FORMAT"),
            hours_label=hours_format % {"hours": hours},
            x_text=f"{x:g}", y_text=f"{y:g}", height_text=f"{height:g}", centre_text=f"{centre:g}",
        ))
    return WeeklyChart(
        chart_id=chart_id,
        height=CHART_HEIGHT,
        bar_width=bar_width,
        bar_width_text=f"{bar_width:g}",
        break_label_y=baseline - 4,
        date_label_y=CHART_HEIGHT - 8,
        grid=[
            GridLine(y_of(hours), y_of(hours) + 3, hours, hours_format % {"hours": hours_text(hours)})
            for hours in (0.0, top / 2, top)
        ],
        bars=shapes,
        goal_hours=goal_hours,
        goal_y=y_of(goal_hours) if goal_hours else None,
        total_hours=round(sum(bar.minutes for bar in bars) / 60, 1),
        weeks_met=sum(1 for bar in bars if goal_hours and bar.hours >= goal_hours),
        first=bars[0].start,
        last=bars[-1].end,
    )


# --- The study-days heatmap ---------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    day: HeatDay
    x: int  # in the cells' own viewBox
    y: int
    fill: str  # the colour when the stylesheet is missing
    label: str  # "1 h 15 min"
    day_text: str  # "Mon 7 Dec 2026": the "D" and SHORT_DATE_FORMAT date filters' text


@dataclass(frozen=True)
class AxisLabel:
    at: float  # % of the cells' width (months) or height (weekdays)
    text: str


@dataclass(frozen=True)
class Heatmap:
    chart_id: str
    width: int  # of the cells' viewBox
    height: int
    cell: int
    weekdays: list[AxisLabel]
    months: list[AxisLabel]
    cells: list[HeatCell]  # days up to today only
    studied: list[HeatCell]  # the cells with study (the table's rows)
    day_count: int
    total_hours: float
    first: date
    last: date


def study_heatmap(columns: Sequence[Sequence[HeatDay]], *, chart_id: str = "study-heatmap") -> Heatmap:
    """A column per week, a row per weekday; darker means more minutes."""
    months, cells = [], []
    previous_month, last_label = None, -3
    # The day of each cell's title and table row, spelt here: two date
    # filters per cell were half the study log page's cost. The format is
    # looked up once, and "D" is Django's own abbreviation of the weekday.
    short_date = get_format("SHORT_DATE_FORMAT")
    width, height = len(columns) * (CELL + CELL_GAP) - CELL_GAP, 7 * (CELL + CELL_GAP) - CELL_GAP
    for index, column in enumerate(columns):
        x = index * (CELL + CELL_GAP)
        month = column[0].day.month
        # A month that starts a column or two after the previous label would
        # print over it ("MayJun"): label it only with room to spare.
        if month != previous_month and index - last_label >= 3:
            last_label = index
            months.append(AxisLabel(round(x / width * 100, 3), format_date(column[0].day, "M")))
            previous_month = month
        for row, day in enumerate(column):
            if not day.is_future:
                cells.append(HeatCell(
                    day, x, row * (CELL + CELL_GAP), HEAT_FALLBACK[day.level], minutes_text(day.minutes),
                    f"{WEEKDAYS_ABBR[day.day.weekday()]} {format_date(day.day, short_date)}",
                ))
    return Heatmap(
        chart_id=chart_id,
        width=width,
        height=height,
        cell=CELL,
        weekdays=[
            AxisLabel(round((row * (CELL + CELL_GAP) + CELL / 2) / height * 100, 3), label)
            for row, label in WEEKDAY_LABELS
        ],
        months=months,
        cells=cells,
        studied=[cell for cell in cells if cell.day.minutes],
        day_count=len(cells),
        total_hours=round(sum(cell.day.minutes for cell in cells) / 60, 1),
        first=cells[0].day.day,
        last=cells[-1].day.day,
    )
