"""Display helpers for scores: the engine never rounds, so rounding happens here only."""

from __future__ import annotations

from django import template

from ..reports import numbers

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """0.625 -> "63%"; None -> "–" (no data)."""
    if value is None or value == "":
        return "–"
    return f"{numbers.percent(value)}%"


@register.filter
def points(value: float | None) -> str:
    """A lift or gap in percentage points with one decimal: 0.0525 -> "5.3"."""
    if value is None:
        return "–"
    return numbers.points(value)


@register.filter
def signed(change: int | None) -> str:
    """A change in whole points with its sign: 5 -> "+5", -3 -> "−3", 0 -> "0"."""
    if change is None:
        return "–"
    if change > 0:
        return f"+{change}"
    if change < 0:
        return f"−{abs(change)}"
    return "0"


@register.filter
def band_label(band: str) -> str:
    return {
        "met": "at or above target",
        "near": "within 15 points of target",
        "far": "15 points or more below target",
        "none": "no data",
    }.get(band, band)
