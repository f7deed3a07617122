"""Display helpers for scores: the engine never rounds, so rounding happens here only."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


def _rounded(value: float, places: str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


@register.filter
def pct(value: float | None) -> str:
    """0.625 -> "63%"; None -> "–" (no data)."""
    if value is None or value == "":
        return "–"
    return f"{_rounded(float(value) * 100, '1')}%"


@register.filter
def points(value: float | None) -> str:
    """A lift or change in percentage points with one decimal: 0.0525 -> "5.3"."""
    if value is None:
        return "–"
    return str(_rounded(float(value) * 100, "0.1"))


@register.filter
def signed_points(value: float | None) -> str:
    """A change with its sign: 0.05 -> "+5.0", -0.1 -> "−10.0"."""
    if value is None:
        return "–"
    rounded = _rounded(float(value) * 100, "0.1")
    if rounded > 0:
        return f"+{rounded}"
    if rounded < 0:
        return f"−{abs(rounded)}"
    return "0.0"


@register.filter
def band_label(band: str) -> str:
    return {
        "met": "at or above target",
        "near": "within 15 points of target",
        "far": "15 points or more below target",
        "none": "no data",
    }.get(band, band)
