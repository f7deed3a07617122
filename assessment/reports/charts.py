"""Geometry for the report's server-rendered SVG charts. Pure Python, no Django.

Templates draw what these functions compute: positions in a fixed viewBox, so the SVG
scales to any width without inline styles (the CSP forbids them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Bar charts are drawn at about the size a phone shows them (a 360-unit viewBox), with
# each practice's name on a line of its own above its bar, so that text stays legible
# (12-13 px) from a 390 px phone to a desktop, where CSS caps the width.
CHART_WIDTH = 360
PLOT_WIDTH = 300
BAR_HEIGHT = 14
ROW_HEIGHT = 42  # name, bar and gap
TOP = 26  # the row of tick labels


# The bands' colours, also written as SVG presentation attributes: a PDF renderer reads
# those, where the page's stylesheet (report.css) would not reach inside the SVG.
BAND_COLOURS = {"met": "#1b7a43", "near": "#8a5a00", "far": "#a4262c", "none": "#6c757d"}


def band(score: float | None, target: float | None) -> str:
    """How far a score is from its target, as a class name: met, near, far or none."""
    if score is None:
        return "none"
    if target is None or score >= target - 1e-9:
        return "met"
    if target - score < 0.15:
        return "near"
    return "far"


def heat(score: float | None) -> str:
    """A colour step for a heatmap cell: five bands of 20 points, or none."""
    if score is None:
        return "heat-none"
    return f"heat-{min(4, int(score * 5 + 1e-9))}"


@dataclass(frozen=True)
class Bar:
    label: str
    score: float | None
    target: float | None
    y: float  # top of the bar
    width: float  # of the score bar
    target_x: float | None
    band: str

    @property
    def colour(self) -> str:
        return BAND_COLOURS[self.band]

    @property
    def label_y(self) -> float:
        return self.y - 5

    @property
    def value_y(self) -> float:
        return self.y + BAR_HEIGHT - 2

    @property
    def target_bottom(self) -> float:
        return self.y + BAR_HEIGHT + 3


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    height: float
    width: float = CHART_WIDTH
    plot_x: float = 0
    plot_width: float = PLOT_WIDTH
    value_x: float = CHART_WIDTH
    bar_height: float = BAR_HEIGHT
    top: float = TOP - 8
    tick_y: float = 11

    @property
    def ticks(self) -> tuple[tuple[float, int], ...]:
        return tuple((self.plot_x + PLOT_WIDTH * step / 4, step * 25) for step in range(5))


def bar_chart(rows: Sequence[tuple[str, float | None, float | None]]) -> BarChart:
    """Horizontal bars (score) with a target tick for each (label, score, target) row."""
    bars = []
    for index, (label, score, target) in enumerate(rows):
        y = TOP + 18 + index * ROW_HEIGHT
        bars.append(
            Bar(
                label=label,
                score=score,
                target=target,
                y=y,
                width=round(PLOT_WIDTH * (score or 0), 2),
                target_x=None if target is None else round(PLOT_WIDTH * target, 2),
                band=band(score, target),
            )
        )
    height = TOP + 18 + len(bars) * ROW_HEIGHT
    return BarChart(bars=tuple(bars), height=height)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float | None
    label: str


@dataclass(frozen=True)
class Line:
    name: str
    series: int  # index for the colour class
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        """SVG path data; a gap (no value) starts a new segment."""
        parts, pen_down = [], False
        for point in self.points:
            if point.value is None:
                pen_down = False
                continue
            parts.append(f"{'L' if pen_down else 'M'}{point.x:.1f},{point.y:.1f}")
            pen_down = True
        return " ".join(parts)


@dataclass(frozen=True)
class LineChart:
    lines: tuple[Line, ...]
    labels: tuple[Point, ...]  # x-axis labels
    width: float
    height: float
    top: float
    bottom: float
    left: float

    @property
    def gridlines(self) -> tuple[tuple[float, int], ...]:
        span = self.bottom - self.top
        return tuple((self.bottom - span * step / 4, step * 25) for step in range(5))


def line_chart(
    rounds: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]
) -> LineChart:
    """Readiness over rounds: one line per (name, values per round)."""
    width, height, left, right, top, bottom = 640.0, 260.0, 48.0, 24.0, 16.0, 216.0
    step = (width - left - right) / max(1, len(rounds) - 1)

    def x(index: int) -> float:
        return left + (step * index if len(rounds) > 1 else (width - left - right) / 2)

    def y(value: float) -> float:
        return bottom - (bottom - top) * value

    lines = tuple(
        Line(
            name=name,
            series=index,
            points=tuple(
                Point(x(i), y(value) if value is not None else bottom, value, rounds[i])
                for i, value in enumerate(values)
            ),
        )
        for index, (name, values) in enumerate(series)
    )
    labels = tuple(Point(x(i), bottom + 20, None, label) for i, label in enumerate(rounds))
    return LineChart(lines, labels, width, height, top, bottom, left)
