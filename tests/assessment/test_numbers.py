"""Every figure is rounded once, the same way: whole percent, points with one decimal,
halves up, whatever the float underneath."""

from __future__ import annotations

import pytest

from assessment.reports.charts import band
from assessment.reports.numbers import percent, points, rounded_percent


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.285, "29"),  # stored as 0.28499999999999998
        (0.575, "58"),  # 0.57499999999999996
        (0.145, "15"),  # 0.14499999999999999
        (0.625, "63"),
        (0.6875, "69"),
        (0.7449, "74"),
        (0, "0"),
        (1, "100"),
        (None, ""),
    ],
)
def test_percent_rounds_halves_up(value, shown):
    assert percent(value) == shown
    assert rounded_percent(value) == (int(shown) if shown else None)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.0525, "5.3"), (0.00049, "0.0"), (0.1005, "10.1"), (-0.0525, "-5.3"), (None, "")],
)
def test_points_have_one_decimal_halves_away_from_zero(value, shown):
    assert points(value) == shown


@pytest.mark.parametrize(
    ("score", "target", "expected"),
    [
        (0.746, 0.75, "met"),  # shown as 75% of 75%
        (0.744, 0.75, "near"),  # 74% of 75%
        (0.605, 0.75, "near"),  # 61%: 14 points below
        (0.6, 0.75, "far"),  # 60%: 15 points below
        (0.9, None, "met"),
        (None, 0.75, "none"),
    ],
)
def test_bands_judge_the_figures_shown(score, target, expected):
    assert band(score, target) == expected
