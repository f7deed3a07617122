"""The scoring engine: hand-computed tables per rule, then properties (hypothesis).

No database: the engine is pure, so nothing here is marked ``django_db``.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assessment.scoring import (
    Condition,
    Criteria,
    Option,
    OptionAdvice,
    OptionCount,
    Practice,
    Question,
    Report,
    Scope,
    Submission,
    level,
    score,
    visible_questions,
)

ROOT = Path(__file__).resolve().parents[2]
MISSING = object()  # the respondent never touched the question (no key in answers)

# A five-step scale: option "v25" is worth 0.25, and so on.
SCALE = tuple(Option(f"v{n}", f"{n}%", n / 100, advice=f"advice {n}") for n in (0, 25, 50, 75, 100))
NA = Option("na", "Not applicable", None, unscored="not_applicable")
DK = Option("dk", "Don't know", None, unscored="dont_know")
SCALE_NA_DK = (*SCALE, NA, DK)
YES_NO = (Option("no", "No", 0.0, advice="start"), Option("yes", "Yes", 1.0))


def question(
    key: str,
    practice: str = "p1",
    *,
    weight: float = 1.0,
    options: tuple[Option, ...] = SCALE_NA_DK,
    show_if: tuple[str, set[str]] | None = None,
) -> Question:
    condition = None if show_if is None else Condition(show_if[0], frozenset(show_if[1]))
    return Question(key, practice, f"Question {key}?", weight, options, show_if=condition)


def practice(
    key: str,
    dimension: str = "k1",
    *,
    weights: Mapping[str, float] | None = None,
    targets: Mapping[str, float] | None = None,
) -> Practice:
    weights = {"se": 1.0, "ai": 1.0} if weights is None else weights
    targets = dict.fromkeys(weights, 1.0) if targets is None else targets
    return Practice(key, f"Practice {key}", dimension, weights, targets)


def criteria(
    practices: Sequence[Practice],
    questions: Sequence[Question],
    *,
    disciplines: tuple[str, ...] = ("se", "ai"),
    dimensions: tuple[str, ...] = ("k1", "k2"),
    rule: str = "mean",
) -> Criteria:
    return Criteria(disciplines, dimensions, tuple(practices), tuple(questions), rule)


def one_question_round(answers: Sequence[object]) -> Report:
    """One practice, one question q1 (scale + n/a + don't know), one respondent per answer."""
    rows = [{} if answer is MISSING else {"q1": answer} for answer in answers]
    return score(criteria([practice("p1")], [question("q1")]), answered(*rows))


def answered(
    *rows: Mapping[str, object], comments: Sequence[Mapping[str, str]] = ()
) -> list[Submission]:
    """One submission per row of answers (respondents r0, r1, ...), comments row by row."""
    padded = list(comments) + [{}] * (len(rows) - len(comments))
    return [Submission(f"r{i}", row, padded[i]) for i, row in enumerate(rows)]


# Rule 1: question score -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "expected", "scored", "not_applicable", "dont_know", "unanswered"),
    [
        (["v0", "v100"], 0.5, 2, 0, 0, 0),
        (["v25", "v50", "v75"], 0.5, 3, 0, 0, 0),
        (["v25", "v25", "v100"], 0.5, 3, 0, 0, 0),
        (["v100", "na"], 1.0, 1, 1, 0, 0),
        (["dk", "v50", "v0"], 0.25, 2, 0, 1, 0),
        (["na", "dk"], None, 0, 1, 1, 0),
        ([None, "v75"], 0.75, 1, 0, 0, 1),
        ([MISSING, "v25"], 0.25, 1, 0, 0, 1),
        ([], None, 0, 0, 0, 0),
    ],
)
def test_question_score_is_mean_of_scored_answers(
    answers, expected, scored, not_applicable, dont_know, unanswered
):
    report = one_question_round(answers)

    result = report.question("q1")
    assert result.score == expected
    assert (result.scored, result.not_applicable, result.dont_know) == (
        scored,
        not_applicable,
        dont_know,
    )
    assert result.unanswered == unanswered
    assert result.visible_to == len(answers)


def test_distribution_counts_every_option_in_option_order_with_zeros():
    report = one_question_round(["v50", "dk", "v50", None, "v100"])

    result = report.question("q1")
    assert result.distribution == (
        OptionCount("v0", 0),
        OptionCount("v25", 0),
        OptionCount("v50", 2),
        OptionCount("v75", 0),
        OptionCount("v100", 1),
        OptionCount("na", 0),
        OptionCount("dk", 1),
    )
    assert result.unanswered == 1


# Rule 2: practice score --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "answers", "expected"),
    [
        ((1, 1), ("v100", "v0"), 0.5),
        ((1, 3), ("v100", "v0"), 0.25),  # (1*1 + 3*0) / 4
        ((2, 1), ("v50", "v100"), 2 / 3),  # (2*0.5 + 1*1) / 3
        ((1, 3), ("v75", "na"), 0.75),  # q2 undefined: left out, not zero
        ((1, 3), ("dk", None), None),  # nothing defined
    ],
)
def test_practice_score_is_weighted_mean_of_defined_questions(weights, answers, expected):
    rules = criteria(
        [practice("p1")],
        [question("q1", weight=weights[0]), question("q2", weight=weights[1])],
    )

    # floor=0: rule 2 alone, even where half the practice's weight went unanswered
    report = score(rules, answered({"q1": answers[0], "q2": answers[1]}), floor=0)

    assert report.practice("p1").score == pytest.approx(expected)
    assert report.practice("p1").questions_scored == sum(
        1 for a in answers if a not in ("na", "dk", None)
    )


def test_practice_without_answers_is_left_out_of_readiness():
    rules = criteria(
        [practice("p1"), practice("p2", weights={"se": 5.0, "ai": 5.0})],
        [question("q1", "p1"), question("q2", "p2")],
    )

    report = score(rules, answered({"q1": "v50", "q2": "na"}), floor=0)

    assert report.practice("p2").score is None
    assert report.practice("p2").for_discipline("se").counted is False
    assert report.discipline("se").readiness == 0.5
    assert report.discipline("se").practices_counted == 1


# Rule 3: readiness, both rules, targets ----------------------------------------------------

READINESS_PRACTICES = [
    practice("p1", weights={"se": 1.0, "ai": 0.0}, targets={"se": 0.5}),
    practice("p2", weights={"se": 2.0, "ai": 1.0}, targets={"se": 0.75, "ai": 1.0}),
    practice("p3", weights={"se": 1.0, "ai": 3.0}, targets={"se": 1.0, "ai": 0.5}),
]
READINESS_QUESTIONS = [question("q1", "p1"), question("q2", "p2"), question("q3", "p3")]
READINESS_ANSWERS = {"q1": "v100", "q2": "v50", "q3": "v25"}  # P = 1.0, 0.5, 0.25


@pytest.mark.parametrize(
    ("rule", "discipline", "expected", "target", "counted"),
    [
        # (1*1.0 + 2*0.5 + 1*0.25) / 4; target (1*0.5 + 2*0.75 + 1*1.0) / 4
        ("mean", "se", 0.5625, 0.75, 3),
        # p1 has W = 0 for ai: (1*0.5 + 3*0.25) / 4; target (1*1.0 + 3*0.5) / 4
        ("mean", "ai", 0.3125, 0.625, 2),
        ("weakest", "se", 0.25, 0.75, 3),
        ("weakest", "ai", 0.25, 0.625, 2),
    ],
)
def test_readiness_by_rule(rule, discipline, expected, target, counted):
    rules = criteria(READINESS_PRACTICES, READINESS_QUESTIONS, rule=rule)

    result = score(rules, answered(READINESS_ANSWERS)).discipline(discipline)

    assert result.readiness == pytest.approx(expected)
    assert result.target == pytest.approx(target)
    assert result.gap == pytest.approx(target - expected)
    assert result.practices_counted == counted


def test_discipline_without_practices_has_no_readiness():
    rules = criteria(
        [practice("p1", weights={"se": 1.0}, targets={"se": 1.0})],
        [question("q1")],
        disciplines=("se", "ai"),
    )

    report = score(rules, answered({"q1": "v50"}))

    ai = report.discipline("ai")
    assert (ai.readiness, ai.target, ai.gap, ai.level, ai.target_level) == (None,) * 5
    assert ai.practices_counted == 0
    assert report.priorities_for("ai") == ()
    assert report.cell("k1", "ai").score is None
    assert report.discipline("se").readiness == 0.5


def test_three_disciplines_are_scored_independently():
    rules = criteria(
        [
            practice("p1", weights={"se": 1.0, "ai": 1.0, "data": 0.0}, targets={"se": 1, "ai": 1}),
            practice(
                "p2", weights={"se": 0.0, "ai": 1.0, "data": 2.0}, targets={"ai": 1, "data": 1}
            ),
            practice(
                "p3", weights={"se": 3.0, "ai": 0.0, "data": 1.0}, targets={"se": 1, "data": 1}
            ),
        ],
        [question("q1", "p1"), question("q2", "p2"), question("q3", "p3")],
        disciplines=("se", "ai", "data"),
    )

    report = score(rules, answered({"q1": "v100", "q2": "v50", "q3": "v0"}))

    assert [d.discipline for d in report.disciplines] == ["se", "ai", "data"]
    assert report.discipline("se").readiness == pytest.approx(0.25)  # (1*1 + 3*0) / 4
    assert report.discipline("ai").readiness == pytest.approx(0.75)  # (1*1 + 1*0.5) / 2
    assert report.discipline("data").readiness == pytest.approx(1 / 3)  # (2*0.5 + 1*0) / 3
    assert len(report.priorities) == 3
    assert len(report.cells) == 2 * 3


# Rule 4: gaps, lifts, priorities -----------------------------------------------------------


def test_gap_and_lift_per_practice():
    rules = criteria(READINESS_PRACTICES, READINESS_QUESTIONS)

    report = score(rules, answered(READINESS_ANSWERS))

    # se: total W = 4. p1 1.0 >= 0.5; p2 0.75 - 0.5; p3 1.0 - 0.25.
    se = [report.practice(k).for_discipline("se") for k in ("p1", "p2", "p3")]
    assert [s.gap for s in se] == pytest.approx([0.0, 0.25, 0.75])
    assert [s.lift for s in se] == pytest.approx([0.0, 2 * 0.25 / 4, 1 * 0.75 / 4])
    # ai: p1 not part of it (W = 0), so no gap or lift at all; p3 0.5 - 0.25.
    ai = [report.practice(k).for_discipline("ai") for k in ("p1", "p2", "p3")]
    assert (ai[0].counted, ai[0].gap, ai[0].lift) == (False, None, None)
    assert [a.lift for a in ai[1:]] == pytest.approx([1 * 0.5 / 4, 3 * 0.25 / 4])


def test_priorities_rank_by_lift_then_weight_then_questionnaire_order():
    # Total W = 7. Lifts: a 1*0.5/7, b 2*0.25/7 (same lift, larger W), c 1*0.5/7 (same as a,
    # later), d 2*1.0/7 (largest), e no gap (left out).
    weights = {"a": 1.0, "b": 2.0, "c": 1.0, "d": 2.0, "e": 1.0}
    targets = {"a": 1.0, "b": 0.75, "c": 0.75, "d": 1.0, "e": 0.25}
    answers = {"qa": "v50", "qb": "v50", "qc": "v25", "qd": "v0", "qe": "v50"}
    rules = criteria(
        [practice(k, weights={"se": w}, targets={"se": targets[k]}) for k, w in weights.items()],
        [question(f"q{k}", k) for k in weights],
        disciplines=("se",),
    )

    ranked = score(rules, answered(answers)).priorities_for("se")

    assert [p.practice for p in ranked] == ["d", "b", "a", "c"]
    assert [p.rank for p in ranked] == [1, 2, 3, 4]
    assert [p.lift for p in ranked] == pytest.approx([2 / 7, 0.5 / 7, 0.5 / 7, 0.5 / 7])


def test_lifts_equal_up_to_float_noise_tie_on_weight():
    # 3 * 0.15 is 0.44999999999999996 in floats, just below 1 * 0.45: without the tolerance
    # "light" would rank first. They tie, so the larger weight wins.
    rules = criteria(
        [
            practice("light", weights={"se": 1.0}, targets={"se": 0.45}),
            practice("heavy", weights={"se": 3.0}, targets={"se": 0.15}),
        ],
        [question("q1", "light", options=(Option("zero", "0", 0.0),))]
        + [question("q2", "heavy", options=(Option("zero", "0", 0.0),))],
        disciplines=("se",),
    )

    ranked = score(rules, answered({"q1": "zero", "q2": "zero"})).priorities_for("se")

    assert [p.practice for p in ranked] == ["heavy", "light"]


def test_priority_carries_advice_of_chosen_options_and_comments():
    rules = criteria(
        [practice("p1", weights={"se": 1.0}, targets={"se": 1.0})],
        [
            question("q1", options=YES_NO),
            question("q2", options=SCALE_NA_DK, show_if=("q1", {"yes"})),
            question("q3", options=(*SCALE, Option("dk", "?", None, "ask", "dont_know"))),
        ],
        disciplines=("se",),
    )
    submissions = answered(
        {"q1": "yes", "q2": "v75", "q3": "dk"},
        {"q1": "no", "q2": "v0", "q3": "v25"},  # q2 hidden: its answer and comment ignored
        {"q1": "yes", "q2": "v75", "q3": "v100"},
        comments=[{"q3": "  zebra  "}, {"q2": "hidden", "q1": "apple"}, {"q1": "mango", "q3": ""}],
    )

    (priority,) = score(rules, submissions).priorities_for("se")

    assert priority.advice == (
        OptionAdvice("q1", "no", "No", "start", 1),
        OptionAdvice("q2", "v75", "75%", "advice 75", 2),
        OptionAdvice("q3", "v25", "25%", "advice 25", 1),
        OptionAdvice("q3", "v100", "100%", "advice 100", 1),
        OptionAdvice("q3", "dk", "?", "ask", 1),
    )
    assert priority.comments == ("apple", "mango", "zebra")


# Visibility: show-if conditions -------------------------------------------------------------

CHAIN = [
    question("q1", options=YES_NO),
    question("q2", options=YES_NO, show_if=("q1", {"yes"})),
    question("q3", options=SCALE, show_if=("q2", {"yes"})),
    question("q4", options=SCALE),
]


@pytest.mark.parametrize(
    ("answers", "visible"),
    [
        ({"q1": "yes", "q2": "yes"}, {"q1", "q2", "q3", "q4"}),
        ({"q1": "yes", "q2": "no"}, {"q1", "q2", "q4"}),
        ({"q1": "no", "q2": "yes"}, {"q1", "q4"}),  # q2 hidden, so its "yes" opens nothing
        ({"q1": None, "q2": "yes"}, {"q1", "q4"}),
        ({}, {"q1", "q4"}),
    ],
)
def test_visible_questions_follow_chained_conditions(answers, visible):
    rules = criteria([practice("p1")], CHAIN)

    assert visible_questions(rules, answers) == frozenset(visible)


def test_answers_to_hidden_questions_are_ignored():
    rules = criteria([practice("p1")], CHAIN)
    submissions = answered(
        {"q1": "yes", "q2": "yes", "q3": "v100", "q4": "v50"},
        {"q1": "no", "q2": "yes", "q3": "v0", "q4": "v50"},  # q2, q3 hidden
    )

    report = score(rules, submissions)

    assert report.question("q2").score == 1.0
    assert report.question("q2").visible_to == 1
    assert report.question("q3").score == 1.0
    assert report.question("q3").distribution[0] == OptionCount("v0", 0)
    assert report.question("q3").unanswered == 0
    # Visible answers: 4 + 2; all scored.
    assert (report.scored_answers, report.visible_answers) == (6, 6)
    assert report.coverage == 1.0


# Rule 5: dimension cells --------------------------------------------------------------------


def test_cells_are_weighted_means_per_dimension_and_discipline():
    rules = criteria(
        [
            practice("p1", "k1", weights={"se": 1.0, "ai": 1.0}, targets={"se": 1.0, "ai": 0.5}),
            practice("p2", "k1", weights={"se": 3.0, "ai": 0.0}, targets={"se": 0.5}),
            practice("p3", "k2", weights={"se": 0.0, "ai": 2.0}, targets={"ai": 1.0}),
        ],
        [question("q1", "p1"), question("q2", "p2"), question("q3", "p3")],
        dimensions=("k1", "k2"),
    )

    report = score(rules, answered({"q1": "v100", "q2": "v50", "q3": "v25"}))

    cells = {(c.dimension, c.discipline): (c.score, c.target, c.gap) for c in report.cells}
    assert list(cells) == [("k1", "se"), ("k1", "ai"), ("k2", "se"), ("k2", "ai")]
    # k1 x se: (1*1.0 + 3*0.5) / 4 = 0.625, target (1*1.0 + 3*0.5) / 4 = 0.625
    assert cells["k1", "se"] == pytest.approx((0.625, 0.625, 0.0))
    # k1 x ai: p1 only: 1.0 vs target 0.5, no gap
    assert cells["k1", "ai"] == pytest.approx((1.0, 0.5, 0.0))
    assert cells["k2", "se"] == (None, None, None)
    assert cells["k2", "ai"] == pytest.approx((0.25, 1.0, 0.75))


# Rule 6: coverage, don't know, agreement --------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "coverage", "dont_know_rate"),
    [
        # 2 respondents x 2 visible questions; scored 3, don't know 1
        ([{"q1": "v50", "q2": "dk"}, {"q1": "v0", "q2": "v100"}], 3 / 4, 1 / 4),
        # not applicable and unanswered lower coverage but are not "don't know"
        ([{"q1": "na", "q2": None}, {"q1": "v0"}], 1 / 4, 0.0),
        ([{"q1": "dk", "q2": "dk"}], 0.0, 1.0),
        ([], None, None),
    ],
)
def test_coverage_and_dont_know_rate(rows, coverage, dont_know_rate):
    rules = criteria([practice("p1")], [question("q1"), question("q2")])

    report = score(rules, answered(*rows))

    assert report.coverage == coverage
    assert report.dont_know_rate == dont_know_rate
    assert report.respondents == len(rows)


def test_coverage_denominator_counts_only_visible_questions():
    rules = criteria([practice("p1")], CHAIN)

    # r0 sees q1, q4 (2); r1 sees q1, q2, q3, q4 (4) and leaves q3 empty.
    report = score(rules, answered({"q1": "no", "q4": "v0"}, {"q1": "yes", "q2": "yes"}))

    assert report.visible_answers == 6
    assert report.scored_answers == 4
    assert report.coverage == pytest.approx(4 / 6)


@pytest.mark.parametrize(
    ("values", "contested"),
    [
        ((0.25, 0.75), True),  # exactly 0.5
        ((0.3, 0.8), True),  # 0.5000000000000001 in floats
        ((0.2, 0.7), True),  # 0.49999999999999994 in floats: still 0.5
        ((0.25, 0.7), False),
        ((0.0, 1.0, 0.5), True),
        ((0.5, 0.5, 0.5), False),
        ((1.0,), False),  # one scored answer can't disagree
    ],
)
def test_contested_when_spread_reaches_half(values, contested):
    options = tuple(Option(f"o{i}", str(v), v) for i, v in enumerate(values))
    rules = criteria([practice("p1")], [question("q1", options=options)])

    report = score(rules, answered(*({"q1": f"o{i}"} for i in range(len(values)))))

    assert report.question("q1").contested is contested
    assert report.contested == (("q1",) if contested else ())


def test_unscored_answers_do_not_make_a_question_contested():
    report = one_question_round(["v0", "na", "dk"])

    assert report.question("q1").spread == 0.0
    assert report.question("q1").contested is False


# Rule 7: levels -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.0, 0),
        (0.12, 0),
        (0.125, 1),
        (0.24, 1),
        (0.5, 2),
        (0.6249999, 2),
        (0.625, 3),
        (0.75, 3),
        (0.874, 3),
        (0.875, 4),  # the top level without a perfect score
        (1.0, 4),
        (0.05 + 0.075, 1),  # 0.125 give or take float error
    ],
)
def test_level(value, expected):
    assert level(value) == expected


@pytest.mark.parametrize("value", [-0.01, 1.01, float("nan")])
def test_level_rejects_scores_outside_unit_interval(value):
    with pytest.raises(ValueError):
        level(value)


def test_engine_never_rounds():
    rules = criteria([practice("p1")], [question("q1", options=YES_NO)])

    report = score(rules, answered({"q1": "yes"}, {"q1": "no"}, {"q1": "no"}))

    assert report.question("q1").score == 1 / 3
    assert report.discipline("se").level == 1


# Strictness -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "submissions",
    [
        [Submission("r1", {"nope": "v50"})],
        [Submission("r1", {"q1": "v33"})],
        [Submission("r1", {"q1": "v50"}, {"nope": "hi"})],
        [Submission("r1", {"q1": "v50"}), Submission("r1", {"q1": "v0"})],
    ],
    ids=["unknown-question", "unknown-option", "comment-unknown-question", "same-respondent"],
)
def test_score_rejects_what_the_criteria_do_not_know(submissions):
    rules = criteria([practice("p1")], [question("q1")])

    with pytest.raises(ValueError):
        score(rules, submissions)


def test_score_rejects_unknown_option_even_on_hidden_question():
    rules = criteria([practice("p1")], CHAIN)

    with pytest.raises(ValueError):
        score(rules, answered({"q1": "no", "q2": "maybe"}))


@pytest.mark.parametrize(
    "build",
    [
        lambda: Option("o", "O", None),
        lambda: Option("o", "O", 0.5, unscored="dont_know"),
        lambda: Option("o", "O", 1.5),
        lambda: Option("o", "O", 0.5, unscored="later"),
        lambda: Question("q", "p1", "Q?", 0, SCALE),
        lambda: Question("q", "p1", "Q?", 1, ()),
        lambda: Question("q", "p1", "Q?", 1, (SCALE[0], SCALE[0])),
        lambda: practice("p", weights={"se": -1.0}),
        lambda: practice("p", weights={"se": 1.0}, targets={"se": 1.2}),
        lambda: practice("p", weights={"se": 1.0}, targets={}),
        lambda: criteria([practice("p1")], [question("q1", "p9")]),
        lambda: criteria([practice("p1", "k9")], []),
        lambda: criteria([practice("p1", weights={"xx": 1.0})], []),
        lambda: criteria([practice("p1"), practice("p1")], []),
        lambda: criteria([practice("p1")], [question("q1"), question("q1")]),
        lambda: criteria(
            [practice("p1")], [question("q1", show_if=("q2", {"v0"})), question("q2")]
        ),
        lambda: criteria([practice("p1")], [question("q1"), question("q2", show_if=("q1", {"x"}))]),
        lambda: criteria([practice("p1")], [question("q1")], rule="median"),
        lambda: criteria([practice("p1")], [question("q1")], disciplines=("se", "se")),
    ],
    ids=[
        "scored-option-without-value",
        "unscored-option-with-value",
        "value-above-one",
        "unknown-unscored-kind",
        "question-weight-zero",
        "question-without-options",
        "duplicate-option",
        "negative-practice-weight",
        "target-above-one",
        "weight-without-target",
        "question-of-unknown-practice",
        "practice-in-unknown-dimension",
        "weight-for-unknown-discipline",
        "duplicate-practice",
        "duplicate-question",
        "show-if-on-later-question",
        "show-if-on-unknown-option",
        "unknown-rule",
        "duplicate-discipline",
    ],
)
def test_invalid_criteria_are_refused(build):
    with pytest.raises(ValueError):
        build()


def test_decimal_numbers_from_the_database_are_accepted():
    rules = criteria(
        [practice("p1", weights={"se": Decimal("2.000")}, targets={"se": Decimal("0.750")})],
        [question("q1", weight=Decimal("1.5"), options=(Option("a", "A", Decimal("0.250")),))],
        disciplines=("se",),
    )

    report = score(rules, answered({"q1": "a"}))

    assert report.discipline("se").readiness == 0.25
    assert report.practice("p1").for_discipline("se").weight == 2.0


# Report shape ---------------------------------------------------------------------------------


def test_report_round_trips_through_json():
    rules = criteria(READINESS_PRACTICES, READINESS_QUESTIONS)
    report = score(rules, answered(READINESS_ANSWERS, {"q1": "dk"}, comments=[{"q2": "hi"}]))

    data = json.loads(json.dumps(report.to_dict(), allow_nan=False))

    assert Report.from_dict(data) == report
    assert list(data) == sorted(data)
    assert data["questions"][0]["distribution"][0] == {"count": 0, "option": "v0"}


def test_no_respondents_gives_an_empty_but_complete_report():
    rules = criteria(READINESS_PRACTICES, READINESS_QUESTIONS)

    report = score(rules, [])

    assert report.respondents == 0
    assert report.coverage is None
    assert all(q.score is None and q.visible_to == 0 for q in report.questions)
    assert all(d.readiness is None for d in report.disciplines)
    assert report.priorities == ((), ())


def test_report_helpers_raise_key_error_for_unknown_keys():
    report = score(criteria([practice("p1")], [question("q1")]), [])

    with pytest.raises(KeyError):
        report.discipline("law")


# Purity --------------------------------------------------------------------------------------


def test_engine_imports_only_the_standard_library():
    modules = set()
    for path in (ROOT / "assessment" / "scoring").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:  # not ``from .x``
                modules.add((node.module or "").split(".")[0])

    stdlib = {"__future__", "collections", "dataclasses", "decimal", "math", "types", "typing"}
    assert "django" not in modules
    assert modules <= stdlib


# The worked example of docs/scoring.md --------------------------------------------------------


SE, AI = "software-engineering", "ai-engineering"
SCOPE = Scope("hosted-llm", "customer-facing")


def worked_example() -> tuple[Criteria, list[Submission]]:
    def weighting(se: float, se_target: float, ai: float, ai_target: float):
        weights = {d: w for d, w in ((SE, se), (AI, ai)) if w}
        targets = {d: t for d, t in ((SE, se_target), (AI, ai_target)) if d in weights}
        return {"weights": weights, "targets": targets}

    rules = Criteria(
        disciplines=(SE, AI),
        dimensions=("testing", "governance"),
        kinds=("hosted-llm", "in-house-ml"),
        tiers=("internal", "customer-facing"),
        practices=(
            Practice(
                "automated-tests",
                "Automated tests",
                "testing",
                **weighting(3, 0.75, 2, 0.75),
                tier_targets={AI: {"internal": 0.5}},
            ),
            Practice(
                "model-evaluation",
                "Model evaluation",
                "testing",
                **weighting(0, 0, 2, 0.75),
                tier_targets={AI: {"customer-facing": 1.0}},
            ),
            Practice("data-lineage", "Data lineage", "governance", **weighting(1, 0.75, 1, 0.75)),
            Practice(
                "prompt-versions",
                "Prompt versions",
                "governance",
                **weighting(0, 0, 1, 0.75),
                applies_to=frozenset({"hosted-llm"}),
            ),
            Practice(
                "retraining",
                "Retraining",
                "governance",
                **weighting(0, 0, 2, 0.75),
                applies_to=frozenset({"in-house-ml"}),
            ),
        ),  # fmt: skip
        questions=(
            Question(
                "q1",
                "automated-tests",
                "How much of your code runs under automated tests on every change?",
                1,
                (
                    Option("none", "None", 0.0, "Start with tests for the riskiest module."),
                    Option("some", "Some", 0.5, "Make failing tests block a merge."),
                    Option("most", "Most", 0.75, "Cover the remaining modules."),
                    Option("all", "All", 1.0),
                ),
            ),
            Question(
                "q2",
                "model-evaluation",
                "Do you evaluate the model on a held-out set before a release?",
                3,
                (
                    Option("no", "No", 0.0, "Keep a held-out evaluation set."),
                    Option("sometimes", "Sometimes", 0.5, "Run the evaluation on every release."),
                    Option("every", "Every release", 0.75, "Make the evaluation a release gate."),
                    Option("gate", "Every release, as a gate", 1.0),
                    Option("dont-know", "Don't know", None, "Ask who releases.", "dont_know"),
                ),
            ),
            Question(
                "q3",
                "model-evaluation",
                "Do you compare each evaluation with the previous ones?",
                1,
                (
                    Option("no", "No", 0.0, "Keep a history of results."),
                    Option("by-hand", "Yes, by hand", 0.75, "Chart the results over time."),
                    Option("alerts", "Yes, with alerts on a drop", 1.0),
                ),
                show_if=Condition("q2", frozenset({"sometimes", "every", "gate"})),
            ),
            Question(
                "q4",
                "data-lineage",
                "Can you trace each dataset to its source and usage rights?",
                1,
                (
                    Option("no", "No", 0.0, "List your datasets and where they come from."),
                    Option("partly", "Partly", 0.5, "Record source and licence for each."),
                    Option("mostly", "Mostly", 0.75, "Close the gaps the list shows."),
                    Option("yes", "Yes", 1.0),
                    Option("dont-know", "Don't know", None, "Ask the data owner.", "dont_know"),
                ),
            ),
            Question(
                "q5",
                "prompt-versions",
                "Are the prompts in production versioned with the code?",
                1,
                (
                    Option("no", "No", 0.0, "Move the prompts into the repository."),
                    Option("some", "Some of them", 0.5, "Move the rest."),
                    Option("all", "All of them", 0.75, "Review prompt changes like code."),
                    Option("reviewed", "All, reviewed like code", 1.0),
                ),
            ),
            Question(
                "q6",
                "retraining",
                "How often is the model retrained on new data?",
                1,
                (
                    Option("never", "Never", 0.0, "Plan a first retraining."),
                    Option("scheduled", "On a schedule", 1.0),
                ),
            ),  # fmt: skip
        ),
    )
    submissions = [
        Submission(
            "A",
            {
                "q1": "all",
                "q2": "sometimes",
                "q3": "by-hand",
                "q4": "dont-know",
                "q5": "no",
                "q6": "never",
            },
            evidence={"q1": "https://ci.example/coverage"},
        ),  # fmt: skip
        Submission(
            "B",
            {"q1": "most", "q2": "sometimes", "q3": "by-hand", "q4": "dont-know", "q5": "no"},
            {"q2": "Only for the large model."},
            {"q2": "https://wiki.example/evaluation", "q4": "https://wiki.example/data"},
        ),
        Submission(
            "C",
            {"q1": "some", "q2": "dont-know", "q3": "alerts", "q4": "partly", "q5": "no"},
            {"q3": "We started last month."},
        ),
    ]
    return rules, submissions


def worked_example_figures(report: Report, weakest: Report) -> dict[str, float]:
    """The engine's numbers under the names the doc's table of figures uses."""
    names = {
        "automated-tests": "tests",
        "model-evaluation": "evaluation",
        "data-lineage": "lineage",
        "prompt-versions": "prompts",
    }
    figures: dict[str, float | None] = {}
    for q in report.questions:
        figures[f"S({q.key.upper()})"] = q.score
        figures[f"a({q.key.upper()})"] = q.answered_share
    for p in report.practices:
        figures[f"c({names[p.key]})"] = p.coverage
        figures[f"P({names[p.key]})"] = p.score
    for label, slug in (("SE", SE), ("AI", AI)):
        d = report.discipline(slug)
        figures[f"c({label})"] = d.coverage
        figures[f"R({label})"] = d.readiness
        figures[f"RT({label})"] = d.target
        figures[f"level R({label})"] = d.level
        figures[f"level RT({label})"] = d.target_level
        figures[f"R({label}), weakest"] = weakest.discipline(slug).readiness
        for p in report.practices:
            share = p.for_discipline(slug)
            if share.counted:
                figures[f"G({names[p.key]}, {label})"] = share.gap
                figures[f"L({names[p.key]}, {label})"] = share.lift
        for dimension in ("testing", "governance"):
            figures[f"C({dimension}, {label})"] = report.cell(dimension, slug).score
    figures["coverage"] = report.coverage
    figures["don't-know rate"] = report.dont_know_rate
    return {name: value for name, value in figures.items() if value is not None}


def test_worked_example_in_docs_matches_engine():
    rules, submissions = worked_example()

    report = score(rules, submissions, scope=SCOPE)
    weakest = score(dataclasses.replace(rules, rule="weakest"), submissions, scope=SCOPE)

    assert [q.key for q in report.questions] == ["q1", "q2", "q3", "q4", "q5"]  # q6: in-house
    assert [q.score for q in report.questions] == [0.75, 0.5, 0.75, 0.5, 0.0]
    assert report.question("q3").visible_to == 2
    assert [p.coverage for p in report.practices] == pytest.approx([1.0, 0.75, 1 / 3, 1.0])
    assert [p.score for p in report.practices] == [0.75, 0.5625, None, 0.0]
    se, ai = report.discipline(SE), report.discipline(AI)
    assert (se.readiness, se.target, se.level, se.target_level) == (0.75, 0.75, 3, 3)
    assert se.coverage == pytest.approx(5 / 6)
    assert (se.missing, se.unknowns) == (("data-lineage",), 1)
    assert (ai.readiness, ai.target, ai.level, ai.target_level) == (0.525, 0.85, 2, 3)
    assert ai.weakest_links == ("prompt-versions",)
    assert [d.readiness for d in weakest.disciplines] == [0.75, 0.0]
    assert report.priorities_for(SE) == ()
    assert [(p.practice, p.lift) for p in report.priorities_for(AI)] == [
        ("model-evaluation", pytest.approx(0.175)),
        ("prompt-versions", pytest.approx(0.15)),
    ]
    assert [(c.score, c.target) for c in report.cells] == [
        (0.75, 0.75),
        (0.65625, 0.875),
        (None, 0.75),
        (0.0, 0.75),
    ]
    assert (report.scored_answers, report.dont_know_answers, report.visible_answers) == (11, 3, 14)
    assert report.unknowns == ("q4",)
    assert report.contested == ("q1",)
    assert [(p.evidenced, p.scored_answers) for p in report.practices] == [
        (1, 3), (1, 4), (0, 1), (0, 3)
    ]  # fmt: skip
    evaluation = report.priorities_for(AI)[0]
    assert [(a.question, a.option, a.count) for a in evaluation.advice] == [
        ("q2", "sometimes", 2),
        ("q2", "dont-know", 1),
        ("q3", "by-hand", 2),
    ]
    assert evaluation.comments == ("Only for the large model.",)


def test_worked_example_table_in_docs_matches_engine():
    text = (ROOT / "docs" / "scoring.md").read_text()
    block = text.split("<!-- figures:start -->")[1].split("<!-- figures:end -->")[0]
    rows = [line for line in block.splitlines() if line.startswith("|")][2:]
    documented = {}
    for row in rows:
        cells = [cell.strip().strip("`") for cell in row.strip("|").split("|")]
        documented[cells[0]] = float(re.sub(r"[^0-9.]", "", cells[-1]))
    rules, submissions = worked_example()

    engine = worked_example_figures(
        score(rules, submissions, scope=SCOPE),
        score(dataclasses.replace(rules, rule="weakest"), submissions, scope=SCOPE),
    )

    assert documented.keys() == engine.keys()
    for name, value in engine.items():
        assert documented[name] == pytest.approx(value, abs=5e-5), name


# Properties ----------------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
UNIT = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@st.composite
def rounds(
    draw: st.DrawFn,
    *,
    rule: str | None = None,
    best_is_one: bool = False,
    value_cap: float = 1.0,
    target: float | None = None,
    min_respondents: int = 0,
) -> tuple[Criteria, list[Submission]]:
    """Random criteria (1-3 disciplines, show-if chains, unscored options) and submissions."""
    disciplines = tuple(f"d{i}" for i in range(draw(st.integers(1, 3))))
    dimensions = tuple(f"k{i}" for i in range(draw(st.integers(1, 2))))
    practices = []
    for i in range(draw(st.integers(1, 4))):
        weights = {d: draw(st.sampled_from((0.0, 0.5, 1.0, 2.0, 3.0))) for d in disciplines}
        targets = {d: draw(UNIT) if target is None else target for d in disciplines}
        practices.append(
            Practice(f"p{i}", f"P{i}", draw(st.sampled_from(dimensions)), weights, targets)
        )
    questions: list[Question] = []
    for j in range(draw(st.integers(1, 6))):
        values = draw(st.lists(st.floats(0.0, value_cap), min_size=1, max_size=4))
        if best_is_one:
            values[0] = 1.0
        options = [
            Option(f"o{i}", f"O{i}", v, advice="" if i % 2 else f"do {i}")
            for i, v in enumerate(values)
        ]
        extras = draw(st.integers(0, 3))  # bit 1: "not applicable", bit 2: "don't know"
        if extras & 1:
            options.append(Option("na", "N/A", None, unscored="not_applicable"))
        if extras & 2:
            options.append(Option("dk", "?", None, unscored="dont_know"))
        show_if = None
        if questions and draw(st.booleans()):
            earlier = draw(st.sampled_from(questions))
            keys = [o.key for o in earlier.options]
            show_if = Condition(
                earlier.key, frozenset(draw(st.sets(st.sampled_from(keys), min_size=1)))
            )
        questions.append(
            Question(
                f"q{j}",
                draw(st.sampled_from(practices)).key,
                f"Q{j}?",
                draw(st.floats(0.1, 5.0)),
                tuple(options),
                show_if=show_if,
            )
        )
    rules = Criteria(
        disciplines,
        dimensions,
        tuple(practices),
        tuple(questions),
        rule if rule is not None else draw(st.sampled_from(("mean", "weakest"))),
    )
    submissions = []
    for r in range(draw(st.integers(min_respondents, 5))):
        # One number per question keeps generation fast: it picks "untouched", "no option" or
        # an option, and whether (and which) comment goes with it.
        picks = draw(
            st.lists(st.integers(0, 999), min_size=len(questions), max_size=len(questions))
        )
        answers: dict[str, str | None] = {}
        comments: dict[str, str] = {}
        for q, pick in zip(questions, picks, strict=True):
            choice, note = pick % (len(q.options) + 2), pick // 100
            if choice == 1:
                answers[q.key] = None
            elif choice > 1:
                answers[q.key] = q.options[choice - 2].key
            if note < 4:
                comments[q.key] = ("a", "b", "c c", " ")[note]
        submissions.append(Submission(f"r{r}", answers, comments))
    return rules, submissions


def within_unit(value: float | None) -> bool:
    return value is None or 0.0 <= value <= 1.0


@PROPERTY_SETTINGS
@given(rounds())
def test_all_scores_stay_within_zero_and_one(case):
    rules, submissions = case

    report = score(rules, submissions)

    assert all(within_unit(q.score) for q in report.questions)
    assert all(within_unit(p.score) for p in report.practices)
    for p in report.practices:
        assert all(within_unit(s.gap) and within_unit(s.lift) for s in p.disciplines)
    for d in report.disciplines:
        assert within_unit(d.readiness) and within_unit(d.target)
    for c in report.cells:
        assert within_unit(c.score) and within_unit(c.target) and within_unit(c.gap)
    assert within_unit(report.coverage) and within_unit(report.dont_know_rate)


@settings(PROPERTY_SETTINGS, max_examples=60)
@given(rounds(rule="mean", min_respondents=1), st.data())
def test_raising_one_answer_never_lowers_a_score(case, data):
    rules, submissions = case
    conditions = {q.show_if.question for q in rules.questions if q.show_if is not None}
    # Questions with two scored values that no other question depends on; one respondent
    # moves from a lower to a higher of those values, everyone else keeps their answers.
    candidates = [
        q
        for q in rules.questions
        if q.key not in conditions and len({o.value for o in q.options} - {None}) >= 2
    ]
    event("something to raise" if candidates else "nothing to raise")
    if not candidates:
        return
    q = data.draw(st.sampled_from(candidates))
    r = data.draw(st.integers(0, len(submissions) - 1))
    scored = [o for o in q.options if o.value is not None]
    top = max(o.value for o in scored)
    low = data.draw(st.sampled_from([o for o in scored if o.value < top]))
    high = data.draw(st.sampled_from([o for o in scored if o.value > low.value]))
    lowered, raised = list(submissions), list(submissions)
    for version, option in ((lowered, low), (raised, high)):
        version[r] = Submission(
            submissions[r].respondent,
            {**submissions[r].answers, q.key: option.key},
            submissions[r].comments,
        )

    before, after = score(rules, lowered), score(rules, raised)

    pairs = [
        *zip([x.score for x in before.questions], [x.score for x in after.questions], strict=True),
        *zip([x.score for x in before.practices], [x.score for x in after.practices], strict=True),
        *zip(
            [x.readiness for x in before.disciplines],
            [x.readiness for x in after.disciplines],
            strict=True,
        ),
        *zip([x.score for x in before.cells], [x.score for x in after.cells], strict=True),
    ]
    for old, new in pairs:
        assert (old is None) == (new is None)
        assert old is None or new >= old


@PROPERTY_SETTINGS
@given(rounds(), st.randoms(use_true_random=False))
def test_respondent_order_does_not_matter(case, random):
    rules, submissions = case
    shuffled = list(submissions)
    random.shuffle(shuffled)

    assert score(rules, shuffled) == score(rules, submissions)


@PROPERTY_SETTINGS
@given(rounds(), st.floats(0.1, 10.0), st.floats(0.1, 10.0))
def test_scaling_all_weights_does_not_change_scores(case, k_questions, k_practices):
    rules, submissions = case
    scaled = dataclasses.replace(
        rules,
        questions=tuple(
            dataclasses.replace(q, weight=q.weight * k_questions) for q in rules.questions
        ),
        practices=tuple(
            dataclasses.replace(p, weights={d: w * k_practices for d, w in p.weights.items()})
            for p in rules.practices
        ),
    )

    before, after = score(rules, submissions), score(scaled, submissions)

    def scores(report: Report) -> list[float | None]:
        return [
            *(p.score for p in report.practices),
            *(s.lift for p in report.practices for s in p.disciplines),
            *(x for d in report.disciplines for x in (d.readiness, d.target)),
            *(x for c in report.cells for x in (c.score, c.target)),
        ]

    for old, new in zip(scores(before), scores(after), strict=True):
        assert (old is None) == (new is None)
        assert old is None or new == pytest.approx(old, rel=1e-9, abs=1e-12)


@PROPERTY_SETTINGS
@given(rounds(best_is_one=True))
def test_all_best_answers_leave_no_gap(case):
    rules, submissions = case
    best = [
        Submission(s.respondent, {q.key: q.options[0].key for q in rules.questions})
        for s in submissions
    ]

    report = score(rules, best)

    assert all(p.score in (None, 1.0) for p in report.practices)
    assert all(s.gap in (None, 0.0) for p in report.practices for s in p.disciplines)
    assert all(d.gap in (None, 0.0) for d in report.disciplines)
    assert all(c.gap in (None, 0.0) for c in report.cells)
    assert report.priorities == ((),) * len(rules.disciplines)


@PROPERTY_SETTINGS
@given(rounds(rule="mean", value_cap=0.99, target=1.0))
def test_lifts_add_up_to_the_readiness_gap_when_every_practice_is_below_target(case):
    rules, submissions = case

    report = score(rules, submissions)

    for result, ranked in zip(report.disciplines, report.priorities, strict=True):
        if result.readiness is None:
            assert ranked == ()
            continue
        assert len(ranked) == result.practices_counted
        assert sum(p.lift for p in ranked) == pytest.approx(result.target - result.readiness)


@PROPERTY_SETTINGS
@given(rounds())
def test_visible_to_agrees_with_visible_questions(case):
    rules, submissions = case

    report = score(rules, submissions)

    for q in report.questions:
        seeing = sum(1 for s in submissions if q.key in visible_questions(rules, s.answers))
        assert q.visible_to == seeing
        assert sum(c for _, c in q.distribution) + q.unanswered == q.visible_to


@PROPERTY_SETTINGS
@given(rounds())
def test_report_is_deterministic_and_survives_a_snapshot(case):
    rules, submissions = case

    report = score(rules, submissions)

    assert score(rules, submissions) == report
    snapshot = json.dumps(report.to_dict(), allow_nan=False, sort_keys=True)
    assert Report.from_dict(json.loads(snapshot)) == report
