"""Geometry for the report's server-rendered SVG charts. Pure Python, no Django.

Templates draw what these functions compute: positions in a fixed viewBox, so the SVG
scales to any width without inline styles (the CSP forbids them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import numbers

# Bar charts are drawn at about the size a phone shows them (a 360-unit viewBox), with
# each practice's name on a line of its own above its bar, so that text stays legible
# (12-13 px) from a 390 px phone to a desktop, where CSS caps the width.
CHART_WIDTH = 360
PLOT_X = 10  # room for half of the "0%" tick label, centred on the axis
PLOT_WIDTH = 300
BAR_HEIGHT = 14
ROW_HEIGHT = 42  # name, bar and gap
TOP = 26  # the row of tick labels


# The bands' colours, also written as SVG presentation attributes: a PDF renderer reads
# those, where the page's stylesheet (report.css) would not reach inside the SVG.
BAND_COLOURS = {"met": "#1b7a43", "near": "#8a5a00", "far": "#a4262c", "none": "#6c757d"}


def band(score: float | None, target: float | None) -> str:
    """How far a score is from its target, as a class name: met, near, far (15 points or
    more below) or none. Judged on the whole percentages shown, so colour, words and
    figures agree: 74.6% against 75% shows as "75% of 75% target" and is met."""
    shown, aim = numbers.rounded_percent(score), numbers.rounded_percent(target)
    if shown is None:
        return "none"
    if aim is None or shown >= aim:
        return "met"
    if aim - shown < 15:
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
    plot_x: float = PLOT_X
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
                target_x=None if target is None else round(PLOT_X + PLOT_WIDTH * target, 2),
                band=band(score, target),
            )
        )
    height = TOP + 18 + len(bars) * ROW_HEIGHT
    return BarChart(bars=tuple(bars), height=height)


# The trend's lines, in the order of the disciplines; also written as presentation
# attributes (the legend's swatches in report.css use the same colours).
SERIES_COLOURS = ("#0a3d91", "#b3541e", "#1b7a43", "#6f42c1")

# The line chart is drawn at phone size too (see the bar chart): a 360-unit viewBox whose
# 11-unit text renders at 11 px or more from a 390 px phone up, capped by CSS on desktops.
LINE_WIDTH = 360
LINE_LEFT = 38  # the y axis' labels ("100%")
LINE_RIGHT = 36  # the targets' labels
LINE_TOP = 10
PLOT_HEIGHT = 160
CHAR_WIDTH = 6.8  # an 11-unit character at its widest (digits), to lay labels out
LABEL_GAP = 13  # the least distance between two targets' labels
TITLE_CHARS = 18
SLANT = 40  # degrees, of round labels too long to sit side by side
SIN_SLANT = 0.643


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float | None


@dataclass(frozen=True)
class Line:
    name: str
    series: int  # index of the colour
    points: tuple[Point, ...]
    target: float | None  # in the latest round
    target_y: float | None
    target_label_y: float | None  # moved apart from the other targets' labels

    @property
    def colour(self) -> str:
        return SERIES_COLOURS[self.series]

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
class RoundLabel:
    """A round's name and its n under the x axis: on two lines, or on one slanted line
    when the names are too long to sit side by side."""

    x: float
    y: float
    title: str
    respondents: int
    slanted: bool

    @property
    def n_y(self) -> float:
        return self.y + 14

    @property
    def text(self) -> str:
        return f"{self.title} (n = {self.respondents})" if self.slanted else self.title

    @property
    def transform(self) -> str:
        return f"rotate(-{SLANT} {self.x:.1f} {self.y:.1f})" if self.slanted else ""


@dataclass(frozen=True)
class LineChart:
    lines: tuple[Line, ...]
    labels: tuple[RoundLabel, ...]
    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float  # the plot's right edge

    @property
    def gridlines(self) -> tuple[tuple[float, int], ...]:
        span = self.bottom - self.top
        return tuple((self.bottom - span * step / 4, step * 25) for step in range(5))

    @property
    def target_label_x(self) -> float:
        return self.width - 1


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def _apart(positions: list[float], low: float, high: float) -> list[float]:
    """Label positions moved down (then up, at the bottom) until no two are closer than
    ``LABEL_GAP``, each kept in [low, high]; in the order given."""
    order = sorted(range(len(positions)), key=lambda index: positions[index])
    placed: dict[int, float] = {}
    previous = low - LABEL_GAP
    for index in order:
        previous = max(positions[index], previous + LABEL_GAP, low)
        placed[index] = previous
    overflow = placed[order[-1]] - high if order else 0
    if overflow > 0:
        for index in order:
            placed[index] = max(low, placed[index] - overflow)
    return [placed[index] for index in range(len(positions))]


def line_chart(
    rounds: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    respondents: Sequence[int],
    targets: Sequence[float | None],
) -> LineChart:
    """Readiness over rounds: one line per (name, values per round), each with its target
    (a dashed line, labelled at the right) and each round's n under its name."""
    left, top = LINE_LEFT, LINE_TOP
    right = LINE_WIDTH - LINE_RIGHT
    bottom = top + PLOT_HEIGHT
    plot_width = right - left
    step = plot_width / max(1, len(rounds) - 1)

    def x(index: int) -> float:
        return left + (step * index if len(rounds) > 1 else plot_width / 2)

    def y(value: float) -> float:
        return round(bottom - PLOT_HEIGHT * value, 2)

    titles = [
        title if len(title) <= TITLE_CHARS else f"{title[: TITLE_CHARS - 1]}…" for title in rounds
    ]
    widest = max((_text_width(title) for title in titles), default=0)
    slanted = len(rounds) > 1 and widest > step - 8
    labels = []
    for index, (title, n) in enumerate(zip(titles, respondents, strict=True)):
        label_x = x(index)
        if not slanted:  # keep a centred label inside the drawing
            half = _text_width(title) / 2
            label_x = min(max(label_x, half + 1), LINE_WIDTH - half - 1)
        labels.append(RoundLabel(round(label_x, 2), bottom + 16, title, n, slanted))
    if slanted:
        longest = max(_text_width(label.text) for label in labels)
        height = bottom + 16 + longest * SIN_SLANT + 8
    else:
        height = bottom + 36
    target_ys = [None if target is None else y(target) for target in targets]
    label_ys = iter(_apart([ty + 4 for ty in target_ys if ty is not None], top + 4, bottom + 4))
    lines = tuple(
        Line(
            name=name,
            series=index % len(SERIES_COLOURS),
            points=tuple(
                Point(round(x(i), 2), y(value) if value is not None else bottom, value)
                for i, value in enumerate(values)
            ),
            target=target,
            target_y=target_y,
            target_label_y=None if target_y is None else round(next(label_ys), 2),
        )
        for index, ((name, values), target, target_y) in enumerate(
            zip(series, targets, target_ys, strict=True)
        )
    )
    return LineChart(lines, tuple(labels), LINE_WIDTH, round(height, 2), top, bottom, left, right)
