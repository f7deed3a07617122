"""``score``: a round's submissions in, a ``Report`` out, reading each submission once."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .criteria import (
    NOT_APPLICABLE,
    Criteria,
    Practice,
    Question,
    Scope,
    Submission,
    _QuestionPlan,
)
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
    DEFAULT_FLOOR,
    EPSILON,
    WEAKEST_LINK_FLOOR,
    _level_or_none,
    gap,
    is_contested,
    is_unknown,
    lift,
    practice_score,
    question_score,
    rank_priorities,
    rate,
    readiness,
    spread,
    weighted_mean,
)


@dataclass
class _Tally:
    counts: list[int]  # per flat option index: visible answers choosing it
    visible_to: list[int]  # per question: respondents who see it
    comments: list[list[str]]  # per question: comment texts on visible questions
    links: list[list[str]]  # per question: evidence links on visible questions
    evidenced: list[int]  # per question: scored visible answers with an evidence link


def _check_known(criteria: Criteria, submissions: Sequence[Submission]) -> None:
    """Every answer, comment and link names a question (and option) of the criteria, and
    no respondent submitted twice."""
    index = criteria._index
    respondents: set[str] = set()
    for submission in submissions:
        if submission.respondent in respondents:
            raise ValueError(f"respondent {submission.respondent!r} submitted twice")
        respondents.add(submission.respondent)
        for key, option in submission.answers.items():
            at = index.position.get(key)
            if at is None:
                raise ValueError(f"answer to unknown question {key!r}")
            if option is not None and option not in index.option_maps[at]:
                raise ValueError(f"question {key!r} has no option {option!r}")
        for what, texts in (("comment", submission.comments), ("evidence", submission.evidence)):
            for key in texts:
                if key not in index.position:
                    raise ValueError(f"{what} on unknown question {key!r}")


def _tally(criteria: Criteria, submissions: Sequence[Submission]) -> _Tally:
    """Count the visible answers per option, reading each submission once. Answers to
    questions the criteria do not hold (outside the round's scope) are passed over."""
    index = criteria._index
    position, option_maps, gated, conditional = (
        index.position,
        index.option_maps,
        index.gated,
        index.conditional,
    )
    size = len(index.plan)
    scored_option = [False] * index.option_total
    for entry in index.plan:
        for flat, value in enumerate(entry.values, start=entry.first):
            scored_option[flat] = value is not None
    tally = _Tally(
        counts=[0] * index.option_total,
        # Questions without show-if are visible to everyone; gated ones are counted below.
        visible_to=[0 if is_gated else len(submissions) for is_gated in gated],
        comments=[[] for _ in range(size)],
        links=[[] for _ in range(size)],
        evidenced=[0] * size,
    )
    for submission in submissions:
        chosen = [-1] * size
        for key, option in submission.answers.items():
            at = position.get(key)
            if at is not None and option is not None:
                chosen[at] = option_maps[at][option]
        visible = [True] * size
        for at, condition, allowed in conditional:
            if visible[condition] and chosen[condition] in allowed:
                tally.visible_to[at] += 1
            else:
                visible[at] = False
        for at, flat in enumerate(chosen):
            if flat >= 0 and visible[at]:
                tally.counts[flat] += 1
        for key, text in submission.comments.items():
            at = position.get(key)
            if at is not None and visible[at] and text and text.strip():
                tally.comments[at].append(text.strip())
        for key, link in submission.evidence.items():
            at = position.get(key)
            if at is None or not link or not visible[at]:
                continue
            tally.links[at].append(link)
            if chosen[at] >= 0 and scored_option[chosen[at]]:
                tally.evidenced[at] += 1
    return tally


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
        answered_share=rate(scored, visible_to),
        unknown=is_unknown(dont_know, visible_to),
        evidence=tuple(sorted(tally.links[entry.position])),
        evidenced=tally.evidenced[entry.position],
    )


@dataclass(frozen=True)
class _Share:
    """A practice's part in one discipline: its coverage always, its score, gap and lift
    when it is scored."""

    position: int
    practice: Practice
    coverage: float | None
    score: float | None
    weight: float
    target: float
    gap: float | None = None
    lift: float | None = None


def _shares(
    criteria: Criteria,
    discipline: str,
    coverages: Sequence[float | None],
    scores: Sequence[float | None],
) -> list[_Share]:
    """The practices that count for a discipline (W(p,d) > 0), with gaps and lifts over
    the counted set (those with a score)."""
    shares = [
        _Share(
            position,
            practice,
            coverages[position],
            scores[position],
            practice.weight_for(discipline),
            practice.targets[discipline],
        )  # fmt: skip
        for position, practice in enumerate(criteria.practices)
        if practice.weight_for(discipline) > 0
    ]
    total = sum(share.weight for share in shares if share.score is not None)
    for i, share in enumerate(shares):
        if share.score is not None:
            gap_ = gap(share.target, share.score)
            shares[i] = dataclasses.replace(share, gap=gap_, lift=lift(share.weight, gap_, total))
    return shares


def _coverage(shares: Sequence[_Share]) -> float | None:
    """The answered share of a set of practices' weight (those with questions shown)."""
    return weighted_mean((s.weight, s.coverage) for s in shares if s.coverage is not None)


def _enough(coverage: float | None, floor: float) -> bool:
    return coverage is not None and coverage >= floor - EPSILON


def _discipline_result(
    discipline: str,
    shares: Sequence[_Share],
    questions: Sequence[QuestionResult],
    rule: str,
    floor: float,
    weakest_link_floor: float,
) -> DisciplineResult:
    counted = [s for s in shares if s.score is not None]
    coverage = _coverage(shares)
    enough = _enough(coverage, floor) and bool(counted)
    readiness_ = readiness([(s.weight, s.score) for s in counted], rule) if enough else None
    # The target of the practices scored; with no readiness, the bar of all of them.
    target = weighted_mean((s.weight, s.target) for s in (counted if enough else shares))
    in_discipline = {s.practice.key for s in shares}
    asked = [q for q in questions if q.practice in in_discipline]
    return DisciplineResult(
        discipline=discipline,
        readiness=readiness_,
        target=target,
        gap=None if readiness_ is None or target is None else gap(target, readiness_),
        level=_level_or_none(readiness_),
        target_level=_level_or_none(target),
        practices_counted=len(counted) if enough else 0,
        coverage=coverage,
        # Shown to someone but not scored: a practice nobody saw (its questions hidden by
        # everyone's answers) is not missing anything.
        missing=tuple(s.practice.key for s in shares if s.score is None and s.coverage is not None),
        # Flags belong to a readiness that is shown, as the practices' own flags do.
        weakest_links=tuple(
            s.practice.key
            for s in (counted if enough else ())
            if s.score < weakest_link_floor - EPSILON
        ),
        unknowns=sum(1 for q in asked if q.unknown),
        dont_know_answers=sum(q.dont_know for q in asked),
    )


def _cell_result(
    dimension: str, discipline: str, shares: Sequence[_Share], floor: float
) -> CellResult:
    in_dimension = [s for s in shares if s.practice.dimension == dimension]
    counted = [s for s in in_dimension if s.score is not None]
    coverage = _coverage(in_dimension)
    enough = _enough(coverage, floor) and bool(counted)
    score_ = weighted_mean((s.weight, s.score) for s in counted) if enough else None
    target = weighted_mean((s.weight, s.target) for s in (counted if enough else in_dimension))
    gap_ = None if score_ is None or target is None else gap(target, score_)
    return CellResult(
        dimension, discipline, score_, target, gap_, len(counted) if enough else 0, coverage
    )


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


def _practice_discipline(
    practice: Practice, discipline: str, share: _Share | None, weakest_link_floor: float
) -> PracticeDiscipline:
    if share is None or share.score is None:
        weight = practice.weight_for(discipline)
        return PracticeDiscipline(
            discipline, weight, practice.targets.get(discipline), False, None, None, False
        )
    return PracticeDiscipline(
        discipline,
        share.weight,
        share.target,
        True,
        share.gap,
        share.lift,
        share.score < weakest_link_floor - EPSILON,
    )


def _priorities(
    discipline: str,
    shares: Sequence[_Share],
    advice_of: Callable[[int], tuple[tuple[OptionAdvice, ...], tuple[str, ...]]],
) -> tuple[PracticePriority, ...]:
    counted = {s.position: s for s in shares if s.score is not None}
    ranked = rank_priorities((s.lift, s.weight, s.position) for s in counted.values())
    priorities = []
    for rank, (_, _, position) in enumerate(ranked, start=1):
        share = counted[position]
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


def score(
    criteria: Criteria,
    submissions: Sequence[Submission],
    *,
    scope: Scope | None = None,
    floor: float = DEFAULT_FLOOR,
    weakest_link_floor: float = WEAKEST_LINK_FLOOR,
) -> Report:
    """Score a round: the submitted responses against one criteria set, narrowed to the
    round's ``scope`` (see the package docstring for the rules)."""
    scope = scope or Scope()
    _check_known(criteria, submissions)
    criteria = criteria.in_scope(scope)
    plan = criteria._index.plan
    tally = _tally(criteria, submissions)
    questions = tuple(
        _question_result(question, entry, tally)
        for question, entry in zip(criteria.questions, plan, strict=True)
    )

    parts: list[list[tuple[float, float | None]]] = [[] for _ in criteria.practices]
    shown: list[list[tuple[float, float]]] = [[] for _ in criteria.practices]
    for entry, result in zip(plan, questions, strict=True):
        parts[entry.practice_position].append((entry.weight, result.score))
        if result.answered_share is not None:
            shown[entry.practice_position].append((entry.weight, result.answered_share))
    coverages = [weighted_mean(pairs) for pairs in shown]
    scores = [
        practice_score(part) if _enough(coverage, floor) else None
        for part, coverage in zip(parts, coverages, strict=True)
    ]

    shares = {d: _shares(criteria, d, coverages, scores) for d in criteria.disciplines}
    disciplines = tuple(
        _discipline_result(d, shares[d], questions, criteria.rule, floor, weakest_link_floor)
        for d in criteria.disciplines
    )
    # Without a readiness there are no points to gain: no priorities either.
    ranked_in = {d.discipline for d in disciplines if d.readiness is not None}
    share_at = {d: {s.position: s for s in shares[d]} for d in criteria.disciplines}
    practices = tuple(
        PracticeResult(
            key=practice.key,
            name=practice.name,
            dimension=practice.dimension,
            score=scores[position],
            questions_scored=sum(1 for _, s in parts[position] if s is not None),
            disciplines=tuple(
                _practice_discipline(
                    practice,
                    d,
                    share_at[d].get(position) if d in ranked_in else None,
                    weakest_link_floor,
                )  # fmt: skip
                for d in criteria.disciplines
            ),
            coverage=coverages[position],
            scored_answers=sum(
                questions[at].scored for at in criteria._index.practice_questions[position]
            ),
            evidenced=sum(
                questions[at].evidenced for at in criteria._index.practice_questions[position]
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
    unknown = sorted(
        (q for q in questions if q.unknown), key=lambda q: -q.dont_know / q.visible_to
    )  # a stable sort: equal shares keep questionnaire order
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
        disciplines=disciplines,
        cells=tuple(
            _cell_result(k, d, shares[d], floor)
            for k in criteria.dimensions
            for d in criteria.disciplines
        ),
        priorities=tuple(
            _priorities(d, shares[d], advice_of) if d in ranked_in else ()
            for d in criteria.disciplines
        ),
        contested=tuple(q.key for q in questions if q.contested),
        kind=scope.kind,
        tier=scope.tier,
        floor=floor,
        weakest_link_floor=weakest_link_floor,
        unknowns=tuple(q.key for q in unknown),
    )
