"""The engine's output: a ``Report`` of frozen dataclasses, and its plain-JSON form."""

from __future__ import annotations

import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, NamedTuple, Union, get_args, get_origin, get_type_hints


class OptionCount(NamedTuple):
    option: str
    count: int


@dataclass(frozen=True)
class QuestionResult:
    key: str
    practice: str
    score: float | None
    scored: int
    not_applicable: int
    dont_know: int
    unanswered: int
    visible_to: int
    distribution: tuple[OptionCount, ...]
    spread: float | None
    contested: bool
    comments: tuple[str, ...]
    answered_share: float | None  # scored / visible_to
    unknown: bool  # at least half of those who saw it answered "don't know"
    evidence: tuple[str, ...]  # the evidence links given on it, sorted, no respondent
    evidenced: int  # scored answers that carry an evidence link


@dataclass(frozen=True)
class PracticeDiscipline:
    discipline: str
    weight: float
    target: float | None
    counted: bool
    gap: float | None
    lift: float | None
    weakest_link: bool  # counted, and its score is below the weakest-link floor


@dataclass(frozen=True)
class PracticeResult:
    key: str
    name: str
    dimension: str
    score: float | None  # None: not enough answers (coverage below the floor) or none
    questions_scored: int
    disciplines: tuple[PracticeDiscipline, ...]
    coverage: float | None  # answered share of its weight; None: no question was shown
    scored_answers: int
    evidenced: int  # of those, the answers backed by an evidence link

    def for_discipline(self, discipline: str) -> PracticeDiscipline:
        return _find(self.disciplines, "discipline", discipline)


@dataclass(frozen=True)
class DisciplineResult:
    discipline: str
    readiness: float | None  # None: nothing scored, or coverage below the floor
    target: float | None
    gap: float | None
    level: int | None
    target_level: int | None
    practices_counted: int
    coverage: float | None  # answered share of the discipline's weight
    missing: tuple[str, ...]  # practices that count for it but have no score
    weakest_links: tuple[str, ...]  # counted practices below the weakest-link floor
    unknowns: int  # unknown questions in practices that count for it
    dont_know_answers: int


@dataclass(frozen=True)
class CellResult:
    dimension: str
    discipline: str
    score: float | None
    target: float | None
    gap: float | None
    practices_counted: int
    coverage: float | None


@dataclass(frozen=True)
class OptionAdvice:
    question: str
    option: str
    label: str
    advice: str
    count: int


@dataclass(frozen=True)
class PracticePriority:
    discipline: str
    rank: int
    practice: str
    name: str
    dimension: str
    score: float
    target: float
    gap: float
    lift: float
    weight: float
    advice: tuple[OptionAdvice, ...]
    comments: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    rule: str
    respondents: int
    coverage: float | None
    dont_know_rate: float | None
    scored_answers: int
    dont_know_answers: int
    visible_answers: int
    questions: tuple[QuestionResult, ...]
    practices: tuple[PracticeResult, ...]
    disciplines: tuple[DisciplineResult, ...]
    cells: tuple[CellResult, ...]
    priorities: tuple[tuple[PracticePriority, ...], ...]
    contested: tuple[str, ...]
    kind: str | None  # the scope scored: a kind of system and a risk tier (None: unscoped)
    tier: str | None
    floor: float  # the coverage a figure needs
    weakest_link_floor: float  # a counted practice below it is flagged
    unknowns: tuple[str, ...]  # unknown questions, the largest share of "don't know" first

    def discipline(self, slug: str) -> DisciplineResult:
        return _find(self.disciplines, "discipline", slug)

    def practice(self, key: str) -> PracticeResult:
        return _find(self.practices, "key", key)

    def question(self, key: str) -> QuestionResult:
        return _find(self.questions, "key", key)

    def cell(self, dimension: str, discipline: str) -> CellResult:
        for cell in self.cells:
            if cell.dimension == dimension and cell.discipline == discipline:
                return cell
        raise KeyError((dimension, discipline))

    def priorities_for(self, slug: str) -> tuple[PracticePriority, ...]:
        for result, ranked in zip(self.disciplines, self.priorities, strict=True):
            if result.discipline == slug:
                return ranked
        raise KeyError(slug)

    def to_dict(self) -> dict[str, Any]:
        """Plain dicts and lists (keys sorted, floats unrounded), ready for JSON."""
        return _to_plain(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """Rebuild a Report from ``to_dict()`` output, e.g. a stored snapshot."""
        return _from_plain(cls, data)


def _find(items: Sequence[Any], attribute: str, wanted: str) -> Any:
    for item in items:
        if getattr(item, attribute) == wanted:
            return item
    raise KeyError(wanted)


def _to_plain(value: Any) -> Any:
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {name: _to_plain(getattr(value, name)) for name in sorted(value._fields)}
    if is_dataclass(value):
        names = sorted(f.name for f in fields(value))
        return {name: _to_plain(getattr(value, name)) for name in names}
    if isinstance(value, tuple | list):
        return [_to_plain(item) for item in value]
    return value


def _from_plain(hint: Any, raw: Any) -> Any:
    if raw is None:
        return None
    origin = get_origin(hint)
    if origin is Union or origin is types.UnionType:
        (arm,) = (arg for arg in get_args(hint) if arg is not type(None))
        return _from_plain(arm, raw)
    if origin is tuple:
        item = get_args(hint)[0]
        return tuple(_from_plain(item, element) for element in raw)
    if isinstance(hint, type) and (is_dataclass(hint) or hasattr(hint, "_fields")):
        hints = get_type_hints(hint)
        names = [f.name for f in fields(hint)] if is_dataclass(hint) else list(hint._fields)
        return hint(**{name: _from_plain(hints[name], raw[name]) for name in names})
    if hint is float:
        return float(raw)
    return raw
