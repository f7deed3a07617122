"""The engine's input: criteria (options, conditions, questions, practices), the scope of a
round and the submissions.

Every dataclass validates itself when built, so the engine never scores criteria it cannot
trust; ``Criteria`` also works out, once, the lookups scoring needs (``_Index``).
``Criteria.in_scope`` narrows criteria to what a round assesses: the questions that apply
to its kind of system, with the targets of its risk tier.
"""

from __future__ import annotations

import dataclasses
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
# The scale options, targets and levels share in a scoped questionnaire: five levels.
SCALE = (0.0, 0.25, 0.5, 0.75, 1.0)


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


def _kinds(applies_to: Iterable[str] | None, what: str) -> frozenset[str] | None:
    """``applies_to`` as a frozenset of kind keys; None means every kind."""
    if applies_to is None:
        return None
    kinds = frozenset(applies_to)
    if not kinds:
        raise ValueError(f"{what}: applies_to names no kind (leave it out for every kind)")
    return kinds


@dataclass(frozen=True)
class Question:
    key: str
    practice: str
    text: str
    weight: float
    options: tuple[Option, ...]
    required: bool = True
    show_if: Condition | None = None
    applies_to: frozenset[str] | None = None  # kinds of system; None: every kind

    def __post_init__(self) -> None:
        weight = _number(self.weight, f"question {self.key!r} weight")
        if weight <= 0:
            raise ValueError(f"question {self.key!r}: weight must be > 0, got {self.weight!r}")
        object.__setattr__(self, "weight", weight)
        object.__setattr__(self, "options", tuple(self.options))
        object.__setattr__(self, "applies_to", _kinds(self.applies_to, f"question {self.key!r}"))
        if not self.options:
            raise ValueError(f"question {self.key!r} has no options")
        _unique((option.key for option in self.options), f"question {self.key!r} option")


@dataclass(frozen=True)
class Practice:
    """A practice; ``weights``/``targets`` map discipline slug -> W(p,d) / T(p,d), and
    ``tier_targets`` discipline slug -> risk tier -> the target for rounds of that tier."""

    key: str
    name: str
    dimension: str
    weights: Mapping[str, float]
    targets: Mapping[str, float]
    applies_to: frozenset[str] | None = None  # kinds of system; None: every kind
    tier_targets: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

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
        tier_targets = {
            slug: {
                tier: _unit(target, f"practice {self.key!r} target for {slug!r} in {tier!r}")
                for tier, target in by_tier.items()
            }
            for slug, by_tier in self.tier_targets.items()
        }
        for slug in tier_targets:
            if slug not in targets:
                raise ValueError(f"practice {self.key!r}: tier targets for {slug!r} but no target")
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "targets", targets)
        object.__setattr__(self, "tier_targets", tier_targets)
        object.__setattr__(self, "applies_to", _kinds(self.applies_to, f"practice {self.key!r}"))

    def weight_for(self, discipline: str) -> float:
        """W(p,d); a discipline missing from ``weights`` weighs 0 (not part of it)."""
        return self.weights.get(discipline, 0.0)

    def target_for(self, discipline: str, tier: str | None) -> float | None:
        """T(p,d) for rounds of ``tier``: the tier's own target, else the default."""
        return self.tier_targets.get(discipline, {}).get(tier, self.targets.get(discipline))


@dataclass(frozen=True)
class Scope:
    """What a round assesses: the kind of system and its risk tier (keys of the criteria's
    ``kinds`` and ``tiers``). Both None for criteria without scopes."""

    kind: str | None = None
    tier: str | None = None


def applies(applies_to: frozenset[str] | None, kind: str | None) -> bool:
    """Whether something with ``applies_to`` is asked of a system of ``kind``."""
    return applies_to is None or kind is None or kind in applies_to


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
    """A questionnaire version: everything scoring needs, in questionnaire order.

    ``kinds`` and ``tiers`` are the kinds of system and risk tiers a round may be scoped to;
    criteria that have them are *scoped*: every question has a scored option of value 0
    (the honest "not in place"), and none is "not applicable" (the scope decides what
    applies). Without them everything applies to every round, as in questionnaires
    written before scopes existed.
    """

    disciplines: tuple[str, ...]
    dimensions: tuple[str, ...]
    practices: tuple[Practice, ...]
    questions: tuple[Question, ...]
    rule: str = MEAN
    kinds: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    _index: _Index = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("disciplines", "dimensions", "practices", "questions", "kinds", "tiers"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.rule not in RULES:
            raise ValueError(f"unknown readiness rule {self.rule!r}; use one of {RULES}")
        _unique(self.disciplines, "discipline")
        _unique(self.dimensions, "dimension")
        _unique(self.kinds, "kind")
        _unique(self.tiers, "tier")
        if bool(self.kinds) != bool(self.tiers):
            raise ValueError("kinds and tiers come together: give both or neither")
        _unique((practice.key for practice in self.practices), "practice")
        _unique((question.key for question in self.questions), "question")
        for practice in self.practices:
            _check_practice(practice, self)
        index = _build_index(self.practices, self.questions)
        if self.kinds:
            _check_scoped(self, index)
        object.__setattr__(self, "_index", index)

    @property
    def scoped(self) -> bool:
        return bool(self.kinds)

    def in_scope(self, scope: Scope) -> Criteria:
        """The criteria a round of ``scope`` is asked and scored on: practices and
        questions that apply to its kind (a practice left with no question goes too), each
        target the one of its tier. Raises ValueError for a kind or tier these criteria do
        not have, or a scope on criteria without scopes."""
        if not self.scoped:
            if scope.kind is not None or scope.tier is not None:
                raise ValueError("these criteria have no scopes: a round of them has none")
            return self
        if scope.kind not in self.kinds or scope.tier not in self.tiers:
            raise ValueError(f"unknown scope {scope.kind!r}, {scope.tier!r}")
        practices = {p.key: p for p in self.practices if applies(p.applies_to, scope.kind)}
        questions = tuple(
            q
            for q in self.questions
            if q.practice in practices and applies(q.applies_to, scope.kind)
        )
        asked = {q.practice for q in questions}
        return dataclasses.replace(
            self,
            practices=tuple(
                dataclasses.replace(
                    practice,
                    targets={
                        slug: practice.target_for(slug, scope.tier) for slug in practice.targets
                    },
                    tier_targets={},
                )
                for key, practice in practices.items()
                if key in asked
            ),
            questions=questions,
        )


def _check_practice(practice: Practice, criteria: Criteria) -> None:
    if practice.dimension not in criteria.dimensions:
        raise ValueError(f"practice {practice.key!r}: unknown dimension {practice.dimension!r}")
    for slug in (*practice.weights, *practice.targets):
        if slug not in criteria.disciplines:
            raise ValueError(f"practice {practice.key!r}: unknown discipline {slug!r}")
    if practice.applies_to is not None and not practice.applies_to <= set(criteria.kinds):
        raise ValueError(f"practice {practice.key!r}: applies to unknown kinds")
    for by_tier in practice.tier_targets.values():
        if not set(by_tier) <= set(criteria.tiers):
            raise ValueError(f"practice {practice.key!r}: targets for unknown tiers")


def _check_scoped(criteria: Criteria, index: _Index) -> None:
    """The rules of scoped criteria (see ``Criteria``)."""
    practices = {practice.key: practice for practice in criteria.practices}
    questions = {question.key: question for question in criteria.questions}
    for question in criteria.questions:
        where = f"question {question.key!r}"
        if question.applies_to is not None and not question.applies_to <= set(criteria.kinds):
            raise ValueError(f"{where}: applies to unknown kinds")
        if not any(option.value == 0.0 for option in question.options):
            raise ValueError(f"{where}: needs a scored option of value 0 (not in place)")
        if any(option.unscored == NOT_APPLICABLE for option in question.options):
            raise ValueError(f"{where}: the scope decides what applies, not an option")
        kinds = _effective(question, practices[question.practice], criteria.kinds)
        if question.show_if is not None:
            condition = questions[question.show_if.question]
            if not kinds <= _effective(condition, practices[condition.practice], criteria.kinds):
                raise ValueError(f"{where}: asked where its condition question is not")


def _effective(question: Question, practice: Practice, kinds: tuple[str, ...]) -> frozenset[str]:
    """The kinds a question is asked of."""
    return frozenset(k for k in kinds if applies(question.applies_to, k)) & frozenset(
        k for k in kinds if applies(practice.applies_to, k)
    )


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
    """One respondent's submitted answers: question key -> option key (None: no choice),
    and the comments and evidence links they gave, by question key."""

    respondent: str
    answers: Mapping[str, str | None]
    comments: Mapping[str, str] = field(default_factory=dict)
    evidence: Mapping[str, str] = field(default_factory=dict)
