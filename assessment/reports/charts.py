"""Geometry for the report's server-rendered SVG charts. Pure Python, no Django.

Templates draw what these functions compute: positions in a fixed viewBox, so the SVG
scales to any width without inline styles (the CSP forbids them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BAR_HEIGHT = 18
BAR_GAP = 10
LABEL_WIDTH = 260
PLOT_WIDTH = 400
CHART_PADDING = 24


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
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT * 0.75


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    height: float
    width: float = LABEL_WIDTH + PLOT_WIDTH + 60
    plot_x: float = LABEL_WIDTH
    plot_width: float = PLOT_WIDTH

    @property
    def ticks(self) -> tuple[tuple[float, int], ...]:
        return tuple((self.plot_x + PLOT_WIDTH * step / 4, step * 25) for step in range(5))


def bar_chart(rows: Sequence[tuple[str, float | None, float | None]]) -> BarChart:
    """Horizontal bars (score) with a target tick for each (label, score, target) row."""
    bars = []
    for index, (label, score, target) in enumerate(rows):
        y = CHART_PADDING + index * (BAR_HEIGHT + BAR_GAP)
        bars.append(
            Bar(
                label=label,
                score=score,
                target=target,
                y=y,
                width=round(PLOT_WIDTH * (score or 0), 2),
                target_x=None if target is None else round(LABEL_WIDTH + PLOT_WIDTH * target, 2),
                band=band(score, target),
            )
        )
    height = CHART_PADDING * 2 + len(bars) * (BAR_HEIGHT + BAR_GAP)
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
