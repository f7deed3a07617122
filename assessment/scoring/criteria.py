"""The engine's input: criteria (options, conditions, questions, practices) and submissions.

Every dataclass validates itself when built, so the engine never scores criteria it cannot
trust; ``Criteria`` also works out, once, the lookups scoring needs (``_Index``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

MEAN = "mean"
WEAKEST = "weakest"
RULES = (MEAN, WEAKEST)
NOT_APPLICABLE = "not_applicable"
DONT_KNOW = "dont_know"
UNSCORED_KINDS = ("", NOT_APPLICABLE, DONT_KNOW)


def _number(value: object, what: str) -> float:
    """Accept int, float or Decimal (the models store Decimal) as a finite float."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{what} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{what} must be finite, got {value!r}")
    return number


def _unit(value: object, what: str) -> float:
    number = _number(value, what)
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"{what} must be between 0 and 1, got {value!r}")
    return number


def _unique(keys: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if not isinstance(key, str) or not key:
            raise ValueError(f"{what} keys must be non-empty strings, got {key!r}")
        if key in seen:
            raise ValueError(f"duplicate {what} key {key!r}")
        seen.add(key)


@dataclass(frozen=True)
class Option:
    """One answer option; ``value`` is None exactly when ``unscored`` says why."""

    key: str
    label: str
    value: float | None
    advice: str = ""
    unscored: str = ""

    def __post_init__(self) -> None:
        if self.unscored not in UNSCORED_KINDS:
            raise ValueError(f"option {self.key!r}: unknown unscored kind {self.unscored!r}")
        if self.unscored:
            if self.value is not None:
                raise ValueError(f"option {self.key!r}: an unscored option has no value")
        else:
            if self.value is None:
                raise ValueError(f"option {self.key!r}: a scored option needs a value")
            object.__setattr__(self, "value", _unit(self.value, f"option {self.key!r} value"))


@dataclass(frozen=True)
class Condition:
    """Show a question only when ``question`` was answered with one of ``options``."""

    question: str
    options: frozenset[str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", frozenset(self.options))
        if not self.options:
            raise ValueError(f"condition on {self.question!r} lists no options")


@dataclass(frozen=True)
class Question:
    key: str
    practice: str
    text: str
    weight: float
    options: tuple[Option, ...]
    required: bool = True
    show_if: Condition | None = None

    def __post_init__(self) -> None:
        weight = _number(self.weight, f"question {self.key!r} weight")
        if weight <= 0:
            raise ValueError(f"question {self.key!r}: weight must be > 0, got {self.weight!r}")
        object.__setattr__(self, "weight", weight)
        object.__setattr__(self, "options", tuple(self.options))
        if not self.options:
            raise ValueError(f"question {self.key!r} has no options")
        _unique((option.key for option in self.options), f"question {self.key!r} option")


@dataclass(frozen=True)
class Practice:
    """A practice; ``weights``/``targets`` map discipline slug -> W(p,d) / T(p,d)."""

    key: str
    name: str
    dimension: str
    weights: Mapping[str, float]
    targets: Mapping[str, float]

    def __post_init__(self) -> None:
        weights = {
            slug: _number(weight, f"practice {self.key!r} weight for {slug!r}")
            for slug, weight in self.weights.items()
        }
        if any(weight < 0 for weight in weights.values()):
            raise ValueError(f"practice {self.key!r}: weights must be >= 0")
        targets = {
            slug: _unit(target, f"practice {self.key!r} target for {slug!r}")
            for slug, target in self.targets.items()
        }
        for slug, weight in weights.items():
            if weight > 0 and slug not in targets:
                raise ValueError(f"practice {self.key!r}: weight for {slug!r} but no target")
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "targets", targets)

    def weight_for(self, discipline: str) -> float:
        """W(p,d); a discipline missing from ``weights`` weighs 0 (not part of it)."""
        return self.weights.get(discipline, 0.0)


class _QuestionPlan(NamedTuple):
    """What scoring needs per question, worked out once per Criteria."""

    position: int
    key: str
    practice_position: int
    weight: float
    first: int  # index of the question's first option in the flat option list
    last: int  # one past its last option
    option_index: dict[str, int]  # option key -> flat option index
    values: tuple[float | None, ...]  # per option, None when unscored
    condition: int  # position of the condition question, -1 if none
    allowed: frozenset[int]  # flat option indexes of the condition that reveal it


class _Index(NamedTuple):
    """Lookups built when the Criteria is built, so ``score`` does none of them."""

    plan: tuple[_QuestionPlan, ...]
    option_total: int
    position: dict[str, int]  # question key -> position
    option_maps: tuple[dict[str, int], ...]  # per position: option key -> flat index
    gated: tuple[bool, ...]  # per position: has a show-if
    conditional: tuple[tuple[int, int, frozenset[int]], ...]  # (position, condition, allowed)
    practice_questions: tuple[tuple[int, ...], ...]  # per practice: question positions


@dataclass(frozen=True)
class Criteria:
    """A questionnaire version: everything scoring needs, in questionnaire order."""

    disciplines: tuple[str, ...]
    dimensions: tuple[str, ...]
    practices: tuple[Practice, ...]
    questions: tuple[Question, ...]
    rule: str = MEAN
    _index: _Index = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("disciplines", "dimensions", "practices", "questions"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.rule not in RULES:
            raise ValueError(f"unknown readiness rule {self.rule!r}; use one of {RULES}")
        _unique(self.disciplines, "discipline")
        _unique(self.dimensions, "dimension")
        _unique((practice.key for practice in self.practices), "practice")
        _unique((question.key for question in self.questions), "question")
        for practice in self.practices:
            _check_practice(practice, self.disciplines, self.dimensions)
        object.__setattr__(self, "_index", _build_index(self.practices, self.questions))


def _check_practice(
    practice: Practice, disciplines: tuple[str, ...], dimensions: tuple[str, ...]
) -> None:
    if practice.dimension not in dimensions:
        raise ValueError(f"practice {practice.key!r}: unknown dimension {practice.dimension!r}")
    for slug in (*practice.weights, *practice.targets):
        if slug not in disciplines:
            raise ValueError(f"practice {practice.key!r}: unknown discipline {slug!r}")


def _build_index(practices: tuple[Practice, ...], questions: tuple[Question, ...]) -> _Index:
    practice_position = {practice.key: i for i, practice in enumerate(practices)}
    plan: list[_QuestionPlan] = []
    by_key: dict[str, _QuestionPlan] = {}
    first = 0
    for position, question in enumerate(questions):
        if question.practice not in practice_position:
            raise ValueError(f"question {question.key!r}: unknown practice {question.practice!r}")
        condition, allowed = -1, frozenset[int]()
        if question.show_if is not None:
            condition, allowed = _resolve_condition(question, by_key)
        entry = _QuestionPlan(
            position=position,
            key=question.key,
            practice_position=practice_position[question.practice],
            weight=question.weight,
            first=first,
            last=first + len(question.options),
            option_index={option.key: first + i for i, option in enumerate(question.options)},
            values=tuple(option.value for option in question.options),
            condition=condition,
            allowed=allowed,
        )
        plan.append(entry)
        by_key[question.key] = entry
        first = entry.last
    return _Index(
        plan=tuple(plan),
        option_total=first,
        position={entry.key: entry.position for entry in plan},
        option_maps=tuple(entry.option_index for entry in plan),
        gated=tuple(entry.condition >= 0 for entry in plan),
        conditional=tuple(
            (entry.position, entry.condition, entry.allowed)
            for entry in plan
            if entry.condition >= 0
        ),
        practice_questions=tuple(
            tuple(entry.position for entry in plan if entry.practice_position == i)
            for i in range(len(practices))
        ),
    )


def _resolve_condition(
    question: Question, earlier: Mapping[str, _QuestionPlan]
) -> tuple[int, frozenset[int]]:
    """(position of the condition question, flat indexes of the revealing options)."""
    if question.show_if is None:
        raise ValueError(f"question {question.key!r} has no show-if")
    target = earlier.get(question.show_if.question)
    if target is None:
        raise ValueError(
            f"question {question.key!r}: show-if must name an earlier question, "
            f"got {question.show_if.question!r}"
        )
    unknown = question.show_if.options - target.option_index.keys()
    if unknown:
        raise ValueError(
            f"question {question.key!r}: show-if options {sorted(unknown)} are not "
            f"options of {target.key!r}"
        )
    allowed = frozenset(target.option_index[key] for key in question.show_if.options)
    return target.position, allowed


@dataclass(frozen=True)
class Submission:
    """One respondent's submitted answers: question key -> option key (None: no choice)."""

    respondent: str
    answers: Mapping[str, str | None]
    comments: Mapping[str, str] = field(default_factory=dict)
