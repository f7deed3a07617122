"""The scoring engine: a team's submitted answers in, readiness and a gap report out.

Pure Python (standard library only, nothing from Django): frozen dataclasses in, frozen
dataclasses out, no I/O, no clock. The same input always gives the same output, including
float for float: every sum runs in questionnaire order (or option order), never in the order
of a dict, a set or the submissions. ``docs/scoring.md`` explains the method to managers.

Rules (each is one small public function of ``rules``)
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

Modules: ``criteria`` (the input), ``rules`` (one function per rule), ``engine``
(``score``), ``results`` (the output and its JSON form).
"""

from __future__ import annotations

from .criteria import (
    DONT_KNOW,
    MEAN,
    NOT_APPLICABLE,
    RULES,
    SCALE,
    UNSCORED_KINDS,
    WEAKEST,
    Condition,
    Criteria,
    Option,
    Practice,
    Question,
    Scope,
    Submission,
    applies,
)
from .engine import score
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
    CONTESTED_SPREAD,
    DEFAULT_FLOOR,
    EPSILON,
    LIFT_TIE_DECIMALS,
    TOP_LEVEL,
    UNKNOWN_SHARE,
    WEAKEST_LINK_FLOOR,
    gap,
    is_contested,
    is_unknown,
    level,
    lift,
    practice_score,
    question_score,
    rank_priorities,
    rate,
    readiness,
    spread,
    visible_questions,
    weighted_mean,
)

__all__ = [
    "CONTESTED_SPREAD",
    "DEFAULT_FLOOR",
    "DONT_KNOW",
    "EPSILON",
    "LIFT_TIE_DECIMALS",
    "MEAN",
    "NOT_APPLICABLE",
    "RULES",
    "SCALE",
    "TOP_LEVEL",
    "UNKNOWN_SHARE",
    "UNSCORED_KINDS",
    "WEAKEST",
    "WEAKEST_LINK_FLOOR",
    "CellResult",
    "Condition",
    "Criteria",
    "DisciplineResult",
    "Option",
    "OptionAdvice",
    "OptionCount",
    "Practice",
    "PracticeDiscipline",
    "PracticePriority",
    "PracticeResult",
    "Question",
    "QuestionResult",
    "Report",
    "Scope",
    "Submission",
    "applies",
    "gap",
    "is_contested",
    "is_unknown",
    "level",
    "lift",
    "practice_score",
    "question_score",
    "rank_priorities",
    "rate",
    "readiness",
    "score",
    "spread",
    "visible_questions",
    "weighted_mean",
]
