"""``score``: a round's submissions in, a ``Report`` out, reading each submission once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from .criteria import NOT_APPLICABLE, Criteria, Practice, Question, Submission, _QuestionPlan
from .results import (
    CellResult,
    DisciplineResult,
    OptionAdvice,
    OptionCount,
    PracticeDiscipline,
    PracticePriority,
    PracticeResult,
    QuestionResult,
    Report,
)
from .rules import (
    _level_or_none,
    gap,
    is_contested,
    lift,
    practice_score,
    question_score,
    rank_priorities,
    rate,
    readiness,
    spread,
    weighted_mean,
)


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
