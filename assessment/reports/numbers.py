"""How every figure is written, on screen and in exports alike: the engine never rounds.

Scores and targets are whole percentages; lifts, gaps and changes are percentage points
with one decimal (a readiness of 0.6875 is "69", a lift of 0.0525 is "5.3"). Halves round
up, whatever the float error underneath.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# Nine decimals of a fraction are far below anything shown and far above a float's error.
NOISE = Decimal("1e-9")


def _rounded(value: float, places: str) -> Decimal:
    """``value`` (a fraction) in percent, rounded to ``places`` with halves up. The float is
    first cut to nine decimals, so 0.285 (stored as 0.28499999999999998) is 29, not 28."""
    fraction = Decimal(repr(float(value))).quantize(NOISE, rounding=ROUND_HALF_UP)
    return (fraction * 100).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def percent(value: float | None) -> str:
    """0.625 -> "63"; None -> ""."""
    return "" if value is None else str(_rounded(value, "1"))


def points(value: float | None) -> str:
    """0.0525 -> "5.3"; None -> ""."""
    return "" if value is None else str(_rounded(value, "0.1"))


def rounded_percent(value: float | None) -> int | None:
    """The whole percentage shown for a score, as a number (changes are computed from it)."""
    return None if value is None else int(_rounded(value, "1"))
