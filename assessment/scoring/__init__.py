"""The scoring engine: a team's submitted answers in, readiness and a gap report out.

Pure Python (standard library only, nothing from Django): frozen dataclasses in, frozen
dataclasses out, no I/O, no clock. The same input always gives the same output, including
float for float: every sum runs in questionnaire order (or option order), never in the order
of a dict, a set or the submissions. ``docs/scoring.md`` explains the method to managers.

Rules (constants and one small function each in ``rules``; ``docs/scoring.md`` is the
method in words, with a worked example)
------------------------------------------------
Only submitted responses are passed in (the caller filters drafts out). Unscored options
("not applicable", "don't know") and questions hidden by their condition are left out of
scores, never counted as zero; but they count against coverage (rule 6).

0. Scope: ``Criteria.in_scope(Scope(kind, tier))`` keeps the practices and questions whose
   ``applies_to`` names the round's kind of system (None: every kind) and drops practices
   left without questions; a practice's target for a discipline is its ``tier_targets``
   entry for the round's tier, else its ``targets`` entry. ``score`` applies the scope it
   is given; ``Scope()`` (no kind) keeps everything.
1. ``visible_questions``: a question without ``show_if`` is visible; with ``show_if`` it is
   visible to a respondent only if their answer to the condition question is one of the
   listed options and the condition question is visible to them (conditions chain). An
   answer to a hidden question is ignored entirely.
2. ``question_score``: S(q) = mean of the chosen option values over the respondents who gave
   a scored answer to it; None if nobody did.
3. Coverage of a practice: the share of its questions' weight, summed over the respondents
   who saw them, that got a scored answer; None when nobody saw any. Below ``floor``
   (``DEFAULT_FLOOR``, 0.6) the practice has no score; otherwise ``practice_score``:
   P(p) = sum w(q) * S(q) / sum w(q) over its questions with a defined S(q).
4. ``readiness`` of a discipline: its coverage is the W(p,d)-weighted mean of its
   practices' coverages; below the floor, readiness, gap and level are None, its ``missing``
   practices (shown to someone, not scored) are listed and nothing is ranked or flagged.
   Otherwise, over the practices with W(p,d) > 0 and a score (the *counted* set), rule
   "mean": R(d) = sum W(p,d) * P(p) / sum W(p,d); rule "weakest": R(d) = min P(p); the
   target RT(d) is the same weighted mean of T(p,d).
5. ``gap``: G(p,d) = max(0, T(p,d) - P(p)), differences within ``EPSILON`` count as 0;
   ``lift``: L(p,d) = W(p,d) * G(p,d) / sum W(.,d) over the counted set, the points R(d)
   gains if p reaches its target; ``rank_priorities``: lift > 0, by lift (equal to 12
   decimals tie), then larger W(p,d), then questionnaire order.
6. ``rate``: coverage = scored answers / answers to questions visible to each respondent;
   the don't-know rate over the same. ``is_contested``: two or more scored answers with a
   spread (max - min) of at least 0.5. ``is_unknown``: "don't know" from at least half of
   those who saw the question (``UNKNOWN_SHARE``).
7. Weakest link: a counted practice scoring below ``WEAKEST_LINK_FLOOR`` (0.25), in a
   discipline whose readiness is shown, is flagged.
8. Cells per dimension and discipline follow rules 3-5 over the dimension's practices.
9. ``level``: the nearest step of 0, 0.25, 0.5, 0.75, 1 as 0-4 (halves up), so the top
   level starts at 0.875.
10. Evidence: per question, the links given (sorted, no respondent); per practice, how
    many scored answers carry one.

Scores are floats in [0, 1] and are never rounded here; rounding is for display only
(``reports.numbers``).

Strictness: invalid criteria raise ValueError when built (duplicate keys, values outside
[0, 1], a question weight <= 0, a show-if on a later question or an unknown option, a
discipline weight > 0 without a target, an ``applies_to`` kind or a tier that the criteria
do not name, ...). ``score`` raises ValueError for an answer or comment on a question key
that is not in the criteria, an option key that is not one of that question's options, or
two submissions with the same respondent.

Public API
----------
In:  ``Option``, ``Condition``, ``Question`` (with ``applies_to``), ``Practice`` (with
     ``applies_to`` and ``tier_targets``), ``Criteria`` (with ``kinds`` and ``tiers``;
     questionnaire order = tuple order), ``Scope(kind, tier)``,
     ``Submission(respondent, answers, comments={}, evidence={})``. Numbers may be int,
     float or Decimal; they are stored as float.
     ``visible_questions(criteria, answers) -> frozenset[str]``.
Out: ``score(criteria, submissions, *, scope=None, floor=DEFAULT_FLOOR,
     weakest_link_floor=WEAKEST_LINK_FLOOR) -> Report``: frozen dataclasses of ``results``
     (``Report``, ``QuestionResult``, ``PracticeResult``, ``PracticeDiscipline``,
     ``DisciplineResult``, ``CellResult``, ``PracticePriority``, ``OptionAdvice``,
     ``OptionCount``); their fields are documented there and, as JSON, in
     docs/report-format.md. Helpers: ``report.discipline(slug)``, ``report.practice(key)``,
     ``report.question(key)``, ``report.cell(dimension, discipline)``,
     ``report.priorities_for(slug)``, ``report.to_dict()`` and ``Report.from_dict(data)``.

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
