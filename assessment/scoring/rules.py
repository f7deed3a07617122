"""The scoring rules, one small function each (numbered as in the package docstring)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from .criteria import WEAKEST, Criteria

EPSILON = 1e-9
CONTESTED_SPREAD = 0.5
TOP_LEVEL = 4
LIFT_TIE_DECIMALS = 12
DEFAULT_FLOOR = 0.6  # the answered share of weight a figure needs
WEAKEST_LINK_FLOOR = 0.25  # one level: a counted practice below it is flagged
UNKNOWN_SHARE = 0.5  # "don't know" from at least half of those who saw a question


def level(score: float) -> int:
    """Level 0-4 of a score in [0, 1]: the nearest step of the scale 0, 0.25, 0.5, 0.75, 1
    (halves round up), so the top level starts at 0.875 (rule 9)."""
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"a score is between 0 and 1, got {score!r}")
    return min(TOP_LEVEL, math.floor(TOP_LEVEL * score + 0.5 + EPSILON))


def _level_or_none(score: float | None) -> int | None:
    return None if score is None else level(score)


def question_score(values: Sequence[float | None], counts: Sequence[int]) -> float | None:
    """S(q): mean value of the scored answers, from option values and how many chose each."""
    total = 0.0
    scored = 0
    for value, count in zip(values, counts, strict=True):
        if value is not None and count:
            total += value * count
            scored += count
    return total / scored if scored else None


def spread(values: Sequence[float | None], counts: Sequence[int]) -> float | None:
    """max - min of the scored answers' values; None without scored answers."""
    chosen = [v for v, c in zip(values, counts, strict=True) if v is not None and c]
    return max(chosen) - min(chosen) if chosen else None


def is_unknown(dont_know: int, visible_to: int) -> bool:
    """Rule 6: at least half of those who saw a question answered "don't know"."""
    return dont_know > 0 and dont_know >= UNKNOWN_SHARE * visible_to - EPSILON


def is_contested(scored: int, spread_: float | None) -> bool:
    """Rule 6: two or more scored answers at least 0.5 apart."""
    return scored >= 2 and spread_ is not None and spread_ >= CONTESTED_SPREAD - EPSILON


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """sum w * x / sum w over (w, x) pairs, in the given order; None when sum w is 0."""
    numerator = 0.0
    denominator = 0.0
    for weight, x in pairs:
        numerator += weight * x
        denominator += weight
    return numerator / denominator if denominator > 0 else None


def practice_score(parts: Iterable[tuple[float, float | None]]) -> float | None:
    """P(p): weighted mean of the defined question scores, from (w(q), S(q)) pairs."""
    return weighted_mean((w, s) for w, s in parts if s is not None)


def readiness(counted: Sequence[tuple[float, float]], rule: str) -> float | None:
    """R(d) from the (W(p,d), P(p)) pairs of the counted practices (rule 3)."""
    if not counted:
        return None
    if rule == WEAKEST:
        return min(p for _, p in counted)
    return weighted_mean(counted)


def gap(target: float, score: float) -> float:
    """G = max(0, target - score); float noise below EPSILON is no gap."""
    difference = target - score
    return difference if difference > EPSILON else 0.0


def lift(weight: float, gap_: float, total_weight: float) -> float:
    """L(p,d) = W(p,d) * G(p,d) / sum W(.,d): points R(d) gains if p reaches target."""
    return weight * gap_ / total_weight


def rate(part: int, whole: int) -> float | None:
    """part / whole, None when there is nothing to divide by."""
    return part / whole if whole else None


def rank_priorities(
    candidates: Iterable[tuple[float, float, int]],
) -> list[tuple[float, float, int]]:
    """Order (lift, weight, practice position) by lift desc, weight desc, position asc.

    Only lift > 0 is kept. Lifts equal to 12 decimals count as tied, so that float noise
    (3 * 0.15 vs 1 * 0.45) does not decide the order.
    """
    kept = [c for c in candidates if c[0] > 0]
    return sorted(kept, key=lambda c: (-round(c[0], LIFT_TIE_DECIMALS), -c[1], c[2]))


def visible_questions(criteria: Criteria, answers: Mapping[str, str | None]) -> frozenset[str]:
    """The keys of the questions one respondent sees, given their (possibly draft) answers.

    Only answers to condition questions are read; unknown keys or options hide nothing
    extra and raise nothing (the respond page may call this with a half-filled draft).
    """
    plan = criteria._index.plan
    chosen = [-1] * len(plan)
    visible = [True] * len(plan)
    for entry in plan:
        option = answers.get(entry.key)
        if option is not None:
            chosen[entry.position] = entry.option_index.get(option, -1)
        if entry.condition >= 0:
            visible[entry.position] = (
                visible[entry.condition] and chosen[entry.condition] in entry.allowed
            )
    return frozenset(entry.key for entry in plan if visible[entry.position])
