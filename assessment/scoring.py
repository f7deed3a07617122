"""The scoring engine: a team's submitted answers in, readiness and a gap report out.

Pure Python (standard library only, nothing from Django): frozen dataclasses in, frozen
dataclasses out, no I/O, no clock. The same input always gives the same output, including
float for float: every sum runs in questionnaire order (or option order), never in the order
of a dict, a set or the submissions. ``docs/scoring.md`` explains the method to managers.

Rules (each is one small public function below)
------------------------------------------------
Only submitted responses are passed in (the caller filters drafts out). Unscored options
("not applicable", "don't know") and questions hidden by their condition are left out,
never counted as zero.

0. ``visible_questions``: a question without ``show_if`` is visible; a question with
   ``show_if`` is visible to a respondent only if that respondent's answer to the condition
   question is one of the listed options *and* the condition question is visible to them
   (conditions chain). An answer to a hidden question is ignored entirely: not scored, not
   counted in coverage, its comment not shown.
1. ``question_score``: S(q) = mean of the chosen option values over the respondents who gave
   a scored answer to a question visible to them; None if nobody did.
2. ``practice_score``: P(p) = sum w(q) * S(q) / sum w(q) over its questions with a defined
   S(q); None if there are none.
3. ``readiness``: over the practices with W(p,d) > 0 and a defined P(p) (the *counted* set),
   rule "mean": R(d) = sum W(p,d) * P(p) / sum W(p,d); rule "weakest": R(d) = min P(p).
   The target RT(d) = sum W(p,d) * T(p,d) / sum W(p,d) over the same set, for both rules.
   Both None when the counted set is empty.
4. ``gap``: G(p,d) = max(0, T(p,d) - P(p)); differences within ``EPSILON`` count as 0 so
   float noise never creates a gap. ``lift``: L(p,d) = W(p,d) * G(p,d) / sum W(.,d) over
   the counted set, the points R(d) (rule "mean") gains if p reaches its target.
   ``rank_priorities``: practices with lift > 0, by lift descending (lifts equal to 12
   decimals tie), then larger W(p,d), then questionnaire order.
5. ``weighted_mean`` per dimension cell: C(k,d) = sum W(p,d) * P(p) / sum W(p,d) over the
   dimension's practices with W(p,d) > 0 and defined P(p); its target likewise with T(p,d);
   gap = max(0, target - score). All None when that set is empty.
6. ``rate``: coverage = scored answers / sum over respondents of the questions visible to
   them; don't-know rate = "don't know" answers / the same denominator. Both None when the
   denominator is 0 (no respondents, or nothing visible). ``is_contested``: a question with
   two or more scored answers whose spread (max - min) is >= 0.5 (within ``EPSILON``).
7. ``level``: 0-4 = floor(4 * score + EPSILON), capped at 4, so 1.0 -> 4 and 0.75 -> 3.

Scores are floats in [0, 1] and are never rounded here; rounding is for display only.

Strictness: invalid criteria raise ValueError when built (duplicate keys, values outside
[0, 1], a question weight <= 0, a show-if on a later question or an unknown option, a
discipline weight > 0 without a target, ...). ``score`` raises ValueError for an answer or
comment on a question key that is not in the criteria, an option key that is not one of
that question's options, or two submissions with the same respondent.

Public API
----------
In:  ``Option(key, label, value, advice="", unscored="")``,
     ``Condition(question, options)``,
     ``Question(key, practice, text, weight, options, required=True, show_if=None)``,
     ``Practice(key, name, dimension, weights, targets)`` (discipline slug -> number;
     a missing weight is 0),
     ``Criteria(disciplines, dimensions, practices, questions, rule="mean")``
     (questionnaire order = tuple order), ``Submission(respondent, answers, comments={})``.
     Numbers may be int, float or Decimal; they are stored as float. ``Question.required``
     and ``text`` are carried for callers; scoring does not use them.
     ``visible_questions(criteria, answers) -> frozenset[str]`` (lenient: for drafts).
Out: ``score(criteria, submissions) -> Report`` with
     ``Report(rule, respondents, coverage, dont_know_rate, scored_answers,
     dont_know_answers, visible_answers, questions, practices, disciplines, cells,
     priorities, contested)``:

     - ``questions``: ``QuestionResult(key, practice, score, scored, not_applicable,
       dont_know, unanswered, visible_to, distribution, spread, contested, comments)``,
       ``distribution`` a tuple of ``OptionCount(option, count)`` for every option in
       option order; ``unanswered`` = visible but no option chosen.
     - ``practices``: ``PracticeResult(key, name, dimension, score, questions_scored,
       disciplines)`` with one ``PracticeDiscipline(discipline, weight, target, counted, gap,
       lift)`` per discipline (gap and lift None unless counted).
     - ``disciplines``: ``DisciplineResult(discipline, readiness, target, gap, level,
       target_level, practices_counted)``.
     - ``cells``: ``CellResult(dimension, discipline, score, target, gap,
       practices_counted)``, dimensions outer, disciplines inner.
     - ``priorities``: one tuple per discipline (in discipline order) of
       ``PracticePriority(discipline, rank, practice, name, dimension, score, target, gap,
       lift, weight, advice, comments)``; ``advice`` is a tuple of ``OptionAdvice(question,
       option, label, advice, count)`` for the options (scored or not) chosen on the
       practice's visible questions that carry advice text, in question order then option
       order; ``comments`` are the comment texts on those questions (stripped, blanks
       dropped, no respondent), in question order then alphabetical.
     - ``contested``: the keys of contested questions, in questionnaire order.

     Helpers: ``report.discipline(slug)``, ``report.practice(key)``,
     ``report.question(key)``, ``report.cell(dimension, discipline)``,
     ``report.priorities_for(slug)``, ``report.to_dict()`` (JSON-ready, keys sorted, floats
     unrounded) and ``Report.from_dict(data)`` (rebuilds an equal Report from a snapshot).
"""

from __future__ import annotations

import math
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from typing import Any, NamedTuple, Union, get_args, get_origin, get_type_hints

MEAN = "mean"
WEAKEST = "weakest"
RULES = (MEAN, WEAKEST)
NOT_APPLICABLE = "not_applicable"
DONT_KNOW = "dont_know"
UNSCORED_KINDS = ("", NOT_APPLICABLE, DONT_KNOW)
EPSILON = 1e-9
CONTESTED_SPREAD = 0.5
TOP_LEVEL = 4
LIFT_TIE_DECIMALS = 12


# Criteria and answers (input) ------------------------------------------------------------


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


# Report (output) -------------------------------------------------------------------------


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


@dataclass(frozen=True)
class PracticeDiscipline:
    discipline: str
    weight: float
    target: float | None
    counted: bool
    gap: float | None
    lift: float | None


@dataclass(frozen=True)
class PracticeResult:
    key: str
    name: str
    dimension: str
    score: float | None
    questions_scored: int
    disciplines: tuple[PracticeDiscipline, ...]

    def for_discipline(self, discipline: str) -> PracticeDiscipline:
        return _find(self.disciplines, "discipline", discipline)


@dataclass(frozen=True)
class DisciplineResult:
    discipline: str
    readiness: float | None
    target: float | None
    gap: float | None
    level: int | None
    target_level: int | None
    practices_counted: int


@dataclass(frozen=True)
class CellResult:
    dimension: str
    discipline: str
    score: float | None
    target: float | None
    gap: float | None
    practices_counted: int


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


# Rules -----------------------------------------------------------------------------------


def level(score: float) -> int:
    """Level 0-4 of a score in [0, 1]: floor(4 * score), with 1.0 -> 4 (rule 7)."""
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"a score is between 0 and 1, got {score!r}")
    return min(TOP_LEVEL, math.floor(TOP_LEVEL * score + EPSILON))


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


# Scoring ---------------------------------------------------------------------------------


class _Tally(NamedTuple):
    counts: list[int]  # per flat option index: visible answers choosing it
    visible_to: list[int]  # per question: respondents who see it
    comments: list[list[str]]  # per question: comment texts on visible questions


def _tally(criteria: Criteria, submissions: Sequence[Submission]) -> _Tally:
    """Count the visible answers per option, reading each submission once."""
    index = criteria._index
    position, option_maps, gated, conditional = (
        index.position,
        index.option_maps,
        index.gated,
        index.conditional,
    )
    size = len(index.plan)
    counts = [0] * index.option_total
    # Questions without show-if are visible to everyone; gated ones are counted below.
    visible_to = [0 if is_gated else len(submissions) for is_gated in gated]
    comments: list[list[str]] = [[] for _ in range(size)]
    respondents: set[str] = set()
    for submission in submissions:
        if submission.respondent in respondents:
            raise ValueError(f"respondent {submission.respondent!r} submitted twice")
        respondents.add(submission.respondent)
        chosen = [-1] * size
        deferred: list[int] = []
        for key, option in submission.answers.items():
            at = position.get(key)
            if at is None:
                raise ValueError(f"answer to unknown question {key!r}")
            if option is None:
                continue
            flat = option_maps[at].get(option)
            if flat is None:
                raise ValueError(f"question {key!r} has no option {option!r}")
            chosen[at] = flat
            if gated[at]:
                deferred.append(at)
            else:
                counts[flat] += 1
        visible = [True] * size
        for at, condition, allowed in conditional:
            if visible[condition] and chosen[condition] in allowed:
                visible_to[at] += 1
            else:
                visible[at] = False
        for at in deferred:
            if visible[at]:
                counts[chosen[at]] += 1
        for key, text in submission.comments.items():
            at = position.get(key)
            if at is None:
                raise ValueError(f"comment on unknown question {key!r}")
            if visible[at] and text and text.strip():
                comments[at].append(text.strip())
    return _Tally(counts, visible_to, comments)


def _question_result(question: Question, entry: _QuestionPlan, tally: _Tally) -> QuestionResult:
    counts = tally.counts[entry.first : entry.last]
    values = entry.values
    scored = not_applicable = dont_know = 0
    for option, count in zip(question.options, counts, strict=True):
        if not option.unscored:
            scored += count
        elif option.unscored == NOT_APPLICABLE:
            not_applicable += count
        else:
            dont_know += count
    spread_ = spread(values, counts)
    visible_to = tally.visible_to[entry.position]
    return QuestionResult(
        key=question.key,
        practice=question.practice,
        score=question_score(values, counts),
        scored=scored,
        not_applicable=not_applicable,
        dont_know=dont_know,
        unanswered=visible_to - sum(counts),
        visible_to=visible_to,
        distribution=tuple(
            OptionCount(option.key, count)
            for option, count in zip(question.options, counts, strict=True)
        ),
        spread=spread_,
        contested=is_contested(scored, spread_),
        comments=tuple(sorted(tally.comments[entry.position])),
    )


def _discipline_result(discipline: str, shares: Sequence[_Share], rule: str) -> DisciplineResult:
    readiness_ = readiness([(share.weight, share.score) for share in shares], rule)
    target = weighted_mean((share.weight, share.target) for share in shares)
    gap_ = None if readiness_ is None or target is None else gap(target, readiness_)
    return DisciplineResult(
        discipline=discipline,
        readiness=readiness_,
        target=target,
        gap=gap_,
        level=_level_or_none(readiness_),
        target_level=_level_or_none(target),
        practices_counted=len(shares),
    )


def _cell_result(dimension: str, discipline: str, shares: Sequence[_Share]) -> CellResult:
    in_dimension = [share for share in shares if share.practice.dimension == dimension]
    score_ = weighted_mean((share.weight, share.score) for share in in_dimension)
    target = weighted_mean((share.weight, share.target) for share in in_dimension)
    gap_ = None if score_ is None or target is None else gap(target, score_)
    return CellResult(dimension, discipline, score_, target, gap_, len(in_dimension))


def _practice_advice(
    criteria: Criteria, practice_position: int, questions: Sequence[QuestionResult]
) -> tuple[tuple[OptionAdvice, ...], tuple[str, ...]]:
    """Advice of the options chosen on a practice's visible questions, and its comments."""
    advice: list[OptionAdvice] = []
    comments: list[str] = []
    for at in criteria._index.practice_questions[practice_position]:
        question, result = criteria.questions[at], questions[at]
        for option, (_, count) in zip(question.options, result.distribution, strict=True):
            if count and option.advice.strip():
                advice.append(
                    OptionAdvice(question.key, option.key, option.label, option.advice, count)
                )
        comments.extend(result.comments)
    return tuple(advice), tuple(comments)


class _Share(NamedTuple):
    """A counted practice's part in one discipline's readiness."""

    position: int
    practice: Practice
    score: float
    weight: float
    target: float
    gap: float
    lift: float


def _shares(
    criteria: Criteria, discipline: str, practice_scores: Sequence[float | None]
) -> list[_Share]:
    """The counted set of a discipline (W(p,d) > 0, P(p) defined) with gaps and lifts."""
    counted = [
        (position, practice, score_)
        for position, (practice, score_) in enumerate(
            zip(criteria.practices, practice_scores, strict=True)
        )
        if score_ is not None and practice.weight_for(discipline) > 0
    ]
    total_weight = sum(practice.weight_for(discipline) for _, practice, _ in counted)
    shares = []
    for position, practice, score_ in counted:
        weight = practice.weight_for(discipline)
        target = practice.targets[discipline]
        gap_ = gap(target, score_)
        shares.append(
            _Share(
                position, practice, score_, weight, target, gap_, lift(weight, gap_, total_weight)
            )
        )
    return shares


def _practice_discipline(
    practice: Practice, discipline: str, share: _Share | None
) -> PracticeDiscipline:
    if share is None:
        weight = practice.weight_for(discipline)
        return PracticeDiscipline(
            discipline, weight, practice.targets.get(discipline), False, None, None
        )
    return PracticeDiscipline(discipline, share.weight, share.target, True, share.gap, share.lift)


def _priorities(
    discipline: str,
    shares: Sequence[_Share],
    advice_of: Callable[[int], tuple[tuple[OptionAdvice, ...], tuple[str, ...]]],
) -> tuple[PracticePriority, ...]:
    by_position = {share.position: share for share in shares}
    ranked = rank_priorities((share.lift, share.weight, share.position) for share in shares)
    priorities = []
    for rank, (_, _, position) in enumerate(ranked, start=1):
        share = by_position[position]
        advice, comments = advice_of(share.position)
        priorities.append(
            PracticePriority(
                discipline=discipline,
                rank=rank,
                practice=share.practice.key,
                name=share.practice.name,
                dimension=share.practice.dimension,
                score=share.score,
                target=share.target,
                gap=share.gap,
                lift=share.lift,
                weight=share.weight,
                advice=advice,
                comments=comments,
            )
        )
    return tuple(priorities)


def score(criteria: Criteria, submissions: Sequence[Submission]) -> Report:
    """Score a round: the submitted responses against one criteria set (see module doc)."""
    tally = _tally(criteria, submissions)
    questions = tuple(
        _question_result(question, entry, tally)
        for question, entry in zip(criteria.questions, criteria._index.plan, strict=True)
    )

    parts: list[list[tuple[float, float | None]]] = [[] for _ in criteria.practices]
    for entry, result in zip(criteria._index.plan, questions, strict=True):
        parts[entry.practice_position].append((entry.weight, result.score))
    practice_scores = [practice_score(p) for p in parts]

    shares = {d: _shares(criteria, d, practice_scores) for d in criteria.disciplines}
    share_at = {d: {share.position: share for share in shares[d]} for d in criteria.disciplines}
    practices = tuple(
        PracticeResult(
            key=practice.key,
            name=practice.name,
            dimension=practice.dimension,
            score=practice_scores[position],
            questions_scored=sum(1 for _, s in parts[position] if s is not None),
            disciplines=tuple(
                _practice_discipline(practice, d, share_at[d].get(position))
                for d in criteria.disciplines
            ),
        )
        for position, practice in enumerate(criteria.practices)
    )

    advice_cache: dict[int, tuple[tuple[OptionAdvice, ...], tuple[str, ...]]] = {}

    def advice_of(position: int) -> tuple[tuple[OptionAdvice, ...], tuple[str, ...]]:
        # A practice that is a priority in several disciplines carries the same advice.
        if position not in advice_cache:
            advice_cache[position] = _practice_advice(criteria, position, questions)
        return advice_cache[position]

    scored_answers = sum(q.scored for q in questions)
    dont_know_answers = sum(q.dont_know for q in questions)
    visible_answers = sum(tally.visible_to)
    return Report(
        rule=criteria.rule,
        respondents=len(submissions),
        coverage=rate(scored_answers, visible_answers),
        dont_know_rate=rate(dont_know_answers, visible_answers),
        scored_answers=scored_answers,
        dont_know_answers=dont_know_answers,
        visible_answers=visible_answers,
        questions=questions,
        practices=practices,
        disciplines=tuple(
            _discipline_result(d, shares[d], criteria.rule) for d in criteria.disciplines
        ),
        cells=tuple(
            _cell_result(k, d, shares[d]) for k in criteria.dimensions for d in criteria.disciplines
        ),
        priorities=tuple(_priorities(d, shares[d], advice_of) for d in criteria.disciplines),
        contested=tuple(q.key for q in questions if q.contested),
    )
