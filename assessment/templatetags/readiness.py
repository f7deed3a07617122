"""Display helpers for scores: the engine never rounds, so rounding happens here only."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django import template
from django.template.loader import render_to_string

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


@register.simple_tag
def radio_group(question, chosen: int | None, save_url: str, disabled: bool = False) -> str:
    """A question's radio buttons (the ``radio-group`` partial of the respond page).

    A page has some 300 radio buttons, and Django's template engine spends tens of
    microseconds on every variable of every one, most of the page's time. The markup
    depends only on the question (an immutable value), the option chosen and the URL, so
    each combination is rendered once per process and then reused.
    """
    return _radio_group(question, chosen, save_url, bool(disabled))


@lru_cache(maxsize=16384)
def _radio_group(question, chosen: int | None, save_url: str, disabled: bool) -> str:
    return render_to_string(
        "assessment/respond.html#radio-group",
        {"question": question, "chosen": chosen, "save_url": save_url, "disabled": disabled},
    )


# The respond page's progress and section counts, redrawn by every autosave. Their markup
# depends on a few numbers only, so each combination is rendered once per process.


@register.simple_tag
def progress_line(progress, review_url: str, oob: bool = False) -> str:
    return _respond_partial(
        "progress-line",
        answered=progress.answered,
        visible=progress.visible,
        percent=progress.percent,
        review_url=review_url,
        oob=bool(oob),
    )


@register.simple_tag
def progress_side(progress, oob: bool = False) -> str:
    return _respond_partial(
        "progress-side",
        answered=progress.answered,
        visible=progress.visible,
        percent=progress.percent,
        oob=bool(oob),
    )


@register.simple_tag
def section_count(section, oob: bool = False) -> str:
    return _respond_partial(
        "section-count",
        key=section.practice.key,
        answered=section.answered,
        visible=section.visible,
        complete=section.complete,
        oob=bool(oob),
    )


def _respond_partial(name: str, **values) -> str:
    return _rendered(f"assessment/respond.html#{name}", tuple(sorted(values.items())))


@lru_cache(maxsize=4096)
def _rendered(template_name: str, values: tuple) -> str:
    return render_to_string(template_name, dict(values))
