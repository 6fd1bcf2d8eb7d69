"""Charts of the KPI daily series drawn with block characters: stacked bars per day, with axes.

`bar_chart` is a pure function from the series and a size to Rich Text; `KpiChart` draws it at
the widget's size. Bars grow in eighths of a cell (`▁▂▃▄▅▆▇█`); a bar's value is written just
above it when the bar is wide enough, days are labelled under the axis.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from sfterm.core.models import KpiDay, KpiReport
from sfterm.tui.widgets.kpi_cards import EMAIL_COLOUR, REPLY_COLOUR, TEXT_COLOUR

BLOCKS = " ▁▂▃▄▅▆▇█"
MAX_BAR = 7
"""The widest bar, in cells (a one-day period would otherwise draw a wall)."""
AXIS = "dim"


@dataclass(frozen=True)
class Series:
    """One layer of the stacked bars: a value per day (None: nothing to draw that day)."""

    values: Sequence[float | None]
    colour: str


def short_duration(seconds: float) -> str:
    """A duration in at most five characters: `45s`, `30m`, `2h05`, `13h`, `3d`."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes = whole // 60
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 10:
        return f"{hours}h{minutes:02d}"
    if hours < 48:
        return f"{hours}h"
    return f"{hours // 24}d"


def count_label(value: float) -> str:
    return str(round(value))


def nice_ceiling(value: float) -> float:
    """The top of the scale: 1, 2, 3, 4, 5, 6 or 8 times a power of ten, at or above `value`
    (even numbers where it can, so that the middle tick is a round number too)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 3, 4, 5, 6, 8, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover


def _layout(count: int, width: int) -> tuple[int, int]:
    """Bar width and gap so that `count` bars fit in `width` cells."""
    slot = max(width // max(count, 1), 1)
    if slot >= 3:
        return min(slot - 1, MAX_BAR), 1
    return 1, slot - 1


Cell = tuple[str, str]


def _bar_cell(row: int, stacks: list[tuple[int, str]]) -> Cell:
    """The cell of a stacked bar at `row` (0 is the bottom); `stacks` is each layer's top, in
    eighths of a cell from the bottom, with its colour, bottom layer first."""
    floor = row * 8
    top = stacks[-1][0] if stacks else 0
    for index, (layer_top, colour) in enumerate(stacks):
        if layer_top <= floor:
            continue
        filled = min(layer_top - floor, 8)
        if filled == 8:
            return "█", colour
        above = min(top - floor, 8)
        later = [c for t, c in stacks[index + 1 :] if t > layer_top]
        if later and (above == 8 or above - filled >= 4):
            return BLOCKS[filled], f"{colour} on {later[0]}"
        return BLOCKS[filled], colour
    return " ", ""


def bar_chart(
    days: Sequence[date],
    layers: Sequence[Series],
    width: int,
    height: int,
    *,
    label: Callable[[float], str] = count_label,
    ceiling: Callable[[float], float] = nice_ceiling,
) -> Text:
    """Bars for `days` (stacked `layers`, bottom first) in `width` × `height` cells, with the y
    axis on the left (top of the scale, middle, zero) and the days under the x axis. The scale
    runs from zero to `ceiling(highest)`, with a row to spare for the values over wide bars."""
    totals = [
        sum(v for layer in layers if (v := layer.values[i]) is not None) for i in range(len(days))
    ]
    rows = max(height - 2, 2)
    spare = rows % 2 if rows >= 6 else 0
    rows -= spare  # an even number of rows puts the middle tick on the half of the scale
    highest = max(totals, default=0)
    scale = ceiling(highest)
    if _layout(len(days), width - 7)[0] >= 2 and highest / scale * rows > rows - 1:
        scale = ceiling(highest * rows / (rows - 1))
    ticks = {rows - 1: label(scale), 0: label(0)}
    if rows >= 6:
        ticks[rows // 2 - 1] = label(scale / 2)
    axis_width = max(len(t) for t in ticks.values()) + 1
    plot = max(width - axis_width - 1, len(days))
    bar, gap = _layout(len(days), plot)
    offset = max((plot - len(days) * (bar + gap) + gap) // 2, 0) if gap else 0
    grid: list[list[Cell]] = [[(" ", "")] * plot for _ in range(rows)]
    for i, _day in enumerate(days):
        x = offset + i * (bar + gap)
        if x + bar > plot:
            break
        stacks: list[tuple[int, str]] = []
        running = 0.0
        for layer in layers:
            value = layer.values[i]
            if value is None or value <= 0:
                continue
            running += value
            eighths = max(round(running / scale * rows * 8), stacks[-1][0] + 1 if stacks else 1)
            stacks.append((min(eighths, rows * 8), layer.colour))
        for row in range(rows):
            cell = _bar_cell(row, stacks)
            for dx in range(bar):
                grid[row][x + dx] = cell
        if not stacks:
            grid[0][x + bar // 2] = ("·", AXIS)
            continue
        text = label(totals[i])
        above = math.ceil(stacks[-1][0] / 8)
        if 2 <= len(text) + 1 <= bar + 1 and bar >= 2 and above < rows:
            start = x + (bar - len(text)) // 2
            for dx, char in enumerate(text):
                grid[above][start + dx] = (char, "bold")
    out = Text(no_wrap=True, overflow="crop")
    out.append("\n" * spare)
    for row in range(rows - 1, -1, -1):
        out.append(ticks.get(row, "").rjust(axis_width - 1) + " ", AXIS)
        out.append("┤" if row in ticks else "│", AXIS)
        for char, style in grid[row]:
            out.append(char, style)
        out.append("\n")
    out.append(" " * (axis_width - 1) + " └" + "─" * plot + "\n", AXIS)
    out.append(" " * (axis_width + 1))
    out.append(" " * offset + _day_labels(days, bar, gap, plot - offset), AXIS)
    return out


def _day_labels(days: Sequence[date], bar: int, gap: int, plot: int) -> str:
    """Under wide bars each day's number (and its month on the first day and each 1st); under
    narrow ones, dates spread out as far as they fit."""
    line = [" "] * plot
    slot = bar + gap

    def place(x: int, text: str, *, at_least: int) -> bool:
        taken = any(c != " " for c in line[max(x - 1, 0) : x + at_least])
        if x < 0 or x + len(text) > plot or taken:
            return False
        line[x : x + len(text)] = text
        return True

    if slot >= 3:
        for i, day in enumerate(days):
            text = f"{day:%b} {day.day}" if (i == 0 or day.day == 1) and slot >= 7 else str(day.day)
            if len(text) > slot:
                text = str(day.day)
            place(i * slot + max((bar - len(text)) // 2, 0), text, at_least=len(text) + 1)
        return "".join(line).rstrip()
    if not days:
        return ""
    picks = [0, len(days) - 1, *range(7, len(days) - 3, 7)]
    for i in picks:
        text = f"{days[i]:%b} {days[i].day}"
        x = min(i * slot, plot - len(text))
        place(x, text, at_least=len(text) + 1)
    return "".join(line).rstrip()


def requests_chart(daily: Sequence[KpiDay], width: int, height: int) -> Text:
    """Requests submitted per day, text at the bottom and email above."""
    legend = _legend(("text", TEXT_COLOUR), ("email", EMAIL_COLOUR))
    body = bar_chart(
        [d.date for d in daily],
        [
            Series([d.text for d in daily], TEXT_COLOUR),
            Series([d.email for d in daily], EMAIL_COLOUR),
        ],
        width,
        height - 1,
    )
    return Text("\n").join([legend, body])


def reply_chart(daily: Sequence[KpiDay], width: int, height: int) -> Text:
    """Mean reply time per day of the requests submitted that day and answered (`·`: none)."""
    legend = _legend(("mean reply time", REPLY_COLOUR))
    legend.append("   · none answered", AXIS)
    values = [d.mean_reply_seconds for d in daily]
    body = bar_chart(
        [d.date for d in daily],
        [Series(values, REPLY_COLOUR)],
        width,
        height - 1,
        label=short_duration,
        ceiling=duration_ceiling,
    )
    return Text("\n").join([legend, body])


def duration_ceiling(seconds: float) -> float:
    """A round top for a scale of durations: minutes, then hours, then days."""
    for unit in (60, 3600, 86400):
        if seconds <= 60 * unit or unit == 86400:
            return max(nice_ceiling(seconds / unit), 1) * unit
    return seconds  # pragma: no cover


def _legend(*entries: tuple[str, str]) -> Text:
    legend = Text(no_wrap=True)
    for name, colour in entries:
        legend.append("■ ", colour)
        legend.append(f"{name}  ")
    return legend


class KpiChart(Widget):
    """One chart of the report's daily series, drawn at the widget's size."""

    DEFAULT_CSS = """
    KpiChart { height: 1fr; }
    """

    report: reactive[KpiReport | None] = reactive(None)

    def __init__(
        self, draw: Callable[[Sequence[KpiDay], int, int], Text], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.draw = draw

    def render(self) -> Text:
        if self.report is None:
            return Text("")
        return self.draw(self.report.daily, self.size.width, self.size.height)
