"""The engine's honesty rules: scope, the coverage floor, unknowns, the weakest-link flag,
evidence and levels on the options' scale. Hand-computed tables, then properties.

No database: the engine is pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.scoring import (
    Condition,
    Criteria,
    Option,
    Practice,
    Question,
    Scope,
    Submission,
    score,
)
from tests.assessment.test_scoring import PROPERTY_SETTINGS

SCALE = tuple(Option(f"v{n}", f"{n}%", n / 100, advice=f"advice {n}") for n in (0, 25, 50, 75, 100))
DK = Option("dk", "Don't know", None, unscored="dont_know")
KINDS = ("no-ai", "ml", "llm")
TIERS = ("internal", "regulated")


def practice(key, dimension="k1", *, applies_to=None, weights=None, targets=None, tiers=None):
    weights = {"se": 1.0, "ai": 1.0} if weights is None else weights
    targets = dict.fromkeys(weights, 0.75) if targets is None else targets
    return Practice(key, key.upper(), dimension, weights, targets, applies_to, tiers or {})


def question(key, practice_key="p1", *, applies_to=None, weight=1.0, show_if=None):
    condition = None if show_if is None else Condition(show_if[0], frozenset(show_if[1]))
    return Question(
        key, practice_key, f"{key}?", weight, (*SCALE, DK), show_if=condition,
        applies_to=applies_to,
    )  # fmt: skip


def scoped(practices, questions, **kwargs) -> Criteria:
    return Criteria(("se", "ai"), ("k1", "k2"), tuple(practices), tuple(questions),
                    kinds=KINDS, tiers=TIERS, **kwargs)  # fmt: skip


def submissions(*rows: Mapping[str, str], evidence: Sequence[Mapping[str, str]] = ()):
    padded = list(evidence) + [{}] * (len(rows) - len(evidence))
    return [Submission(f"r{i}", row, {}, padded[i]) for i, row in enumerate(rows)]


ML = Scope("ml", "internal")


# Scope ------------------------------------------------------------------------------------


def test_a_round_is_asked_only_what_applies_to_its_kind():
    rules = scoped(
        [practice("p1"), practice("p2", applies_to={"ml", "llm"}), practice("p3")],
        [
            question("q1"),
            question("q2", "p2"),
            question("q3", "p1", applies_to={"ml"}),
            question("q4", "p3", applies_to={"llm"}),  # p3 keeps no question for "ml"
        ],
    )

    for_ml = rules.in_scope(ML)
    for_no_ai = rules.in_scope(Scope("no-ai", "internal"))

    assert [q.key for q in for_ml.questions] == ["q1", "q2", "q3"]
    assert [p.key for p in for_ml.practices] == ["p1", "p2"]
    assert [q.key for q in for_no_ai.questions] == ["q1"]
    assert [p.key for p in for_no_ai.practices] == ["p1"]


def test_a_risk_tier_has_its_own_targets_and_the_others_the_default():
    rules = scoped(
        [practice("p1", targets={"se": 0.5, "ai": 0.75}, tiers={"se": {"regulated": 1.0}})],
        [question("q1")],
    )

    internal = rules.in_scope(Scope("ml", "internal")).practices[0]
    regulated = rules.in_scope(Scope("ml", "regulated")).practices[0]

    assert internal.targets == {"se": 0.5, "ai": 0.75}
    assert regulated.targets == {"se": 1.0, "ai": 0.75}


def test_answers_outside_the_scope_change_no_figure():
    rules = scoped([practice("p1")], [question("q1"), question("q2", applies_to={"llm"})])
    without = score(rules, submissions({"q1": "v50"}), scope=ML)

    with_extra = score(rules, submissions({"q1": "v50", "q2": "v0"}), scope=ML)

    assert with_extra.to_dict() == without.to_dict()
    assert [q.key for q in with_extra.questions] == ["q1"]
    assert (with_extra.kind, with_extra.tier) == ("ml", "internal")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: scoped([practice("p1")], [Question("q1", "p1", "?", 1, SCALE[1:])]), "value 0"),
        (
            lambda: scoped(
                [practice("p1")],
                [
                    Question(
                        "q1",
                        "p1",
                        "?",
                        1,
                        (*SCALE, Option("na", "N/A", None, unscored="not_applicable")),
                    )
                ],
            ),
            "scope decides",
        ),  # fmt: skip
        (lambda: scoped([practice("p1", applies_to={"iot"})], [question("q1")]), "unknown kinds"),
        (
            lambda: scoped([practice("p1", tiers={"se": {"secret": 1.0}})], [question("q1")]),
            "unknown tiers",
        ),
        (
            lambda: scoped(
                [practice("p1")],
                [question("q1", applies_to={"ml"}), question("q2", show_if=("q1", {"v0"}))],
            ),
            "condition question is not",
        ),
        (
            lambda: Criteria(
                ("se",),
                ("k1",),
                (practice("p1", weights={"se": 1}),),
                (question("q1"),),
                kinds=KINDS,
            ),
            "kinds and tiers",
        ),  # fmt: skip
    ],
    ids=["no-zero", "not-applicable", "unknown-kind", "unknown-tier", "follow-up", "no-tiers"],
)
def test_scoped_criteria_refuse_what_would_make_scores_dishonest(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_a_scope_must_be_one_of_the_criteria():
    rules = scoped([practice("p1")], [question("q1")])
    unscoped = Criteria(("se",), ("k1",), (practice("p1", weights={"se": 1}),), (question("q1"),))

    with pytest.raises(ValueError):
        rules.in_scope(Scope("iot", "internal"))
    with pytest.raises(ValueError):
        unscoped.in_scope(ML)
    assert unscoped.in_scope(Scope()) is unscoped


# The coverage floor -----------------------------------------------------------------------


def test_a_practice_below_the_floor_has_no_score_but_its_coverage():
    rules = scoped([practice("p1")], [question("q1"), question("q2"), question("q3")])
    # q1 answered by both, q2 by one of two ("don't know"), q3 by nobody: 1.5 of 3 = 0.5
    rows = submissions({"q1": "v100", "q2": "v100", "q3": "dk"}, {"q1": "v50", "q2": "dk"})

    report = score(rules, rows, scope=ML, floor=0.6)
    lenient = score(rules, rows, scope=ML, floor=0.5)

    assert report.practice("p1").coverage == pytest.approx(0.5)
    assert report.practice("p1").score is None
    assert lenient.practice("p1").score == pytest.approx((0.75 + 1.0) / 2)


def test_a_discipline_below_the_floor_says_what_is_missing_and_ranks_nothing():
    rules = scoped(
        [practice("p1", weights={"se": 1.0, "ai": 1.0}), practice("p2", weights={"ai": 3.0})],
        [question("q1", "p1"), question("q2", "p2")],
    )

    report = score(rules, submissions({"q1": "v50", "q2": "dk"}), scope=ML)

    ai, se = report.discipline("ai"), report.discipline("se")
    assert ai.coverage == pytest.approx(1 / 4)
    assert (ai.readiness, ai.level, ai.gap) == (None, None, None)
    assert ai.target == pytest.approx(0.75)  # the bar, though nothing is scored against it
    assert ai.missing == ("p2",)
    assert report.priorities_for("ai") == ()
    assert se.readiness == pytest.approx(0.5)
    assert report.priorities_for("se")[0].practice == "p1"


def test_below_the_floor_no_weakest_link_is_flagged_and_unseen_practices_are_not_missing():
    """With AI readiness withheld, its 0% practice is no weakest link (no figure to qualify),
    and a practice whose questions everyone's answers hid is not "missing" an answer."""
    rules = scoped(
        [
            practice("gate", weights={"se": 1.0}),
            practice("weak", weights={"ai": 1.0}),
            practice("unseen", weights={"ai": 3.0}),
            practice("unsure", weights={"ai": 3.0}),
        ],
        [
            question("q0", "gate"),
            question("q1", "weak"),
            question("q2", "unseen", show_if=("q0", {"v100"})),
            question("q3", "unsure"),
        ],
    )

    report = score(rules, submissions({"q0": "v0", "q1": "v0", "q3": "dk"}), scope=ML)

    ai = report.discipline("ai")
    assert ai.readiness is None  # 1 of 4 answered weight: below the floor
    assert ai.weakest_links == ()
    assert report.practice("weak").for_discipline("ai").weakest_link is False
    assert report.practice("unseen").coverage is None
    assert ai.missing == ("unsure",)


def test_a_cell_below_the_floor_has_no_figure():
    rules = scoped(
        [practice("p1", "k1"), practice("p2", "k2"), practice("p3", "k2")],
        [question("q1", "p1"), question("q2", "p2"), question("q3", "p3", weight=2.0)],
    )

    report = score(rules, submissions({"q1": "v100", "q2": "v100", "q3": "dk"}), scope=ML)

    assert report.cell("k1", "se").score == pytest.approx(1.0)
    assert report.cell("k2", "se").score is None
    assert report.cell("k2", "se").coverage == pytest.approx(0.5)


# Unknowns, the weakest link, evidence ------------------------------------------------------


def test_questions_most_people_could_not_answer_are_unknowns_counted_per_discipline():
    rules = scoped(
        [practice("p1", weights={"se": 1.0}, targets={"se": 0.5}), practice("p2")],
        [question("q1", "p1"), question("q2", "p2"), question("q3", "p2")],
    )
    rows = submissions(
        {"q1": "v50", "q2": "dk", "q3": "dk"},
        {"q1": "v50", "q2": "dk", "q3": "v100"},
        {"q1": "dk", "q2": "v25", "q3": "v100"},
    )

    report = score(rules, rows, scope=ML)

    assert report.unknowns == ("q2",)  # 2 of 3; q1 and q3 only 1 of 3
    assert report.discipline("se").unknowns == 1
    assert report.discipline("ai").unknowns == 1
    assert report.discipline("se").dont_know_answers == 4  # q1 1, q2 2, q3 1


def test_a_counted_practice_below_one_level_is_a_weakest_link():
    rules = scoped(
        [practice("strong"), practice("weak")],
        [question("q1", "strong"), question("q2", "weak")],
    )

    report = score(rules, submissions({"q1": "v100", "q2": "v0"}), scope=ML)

    assert report.discipline("se").readiness == pytest.approx(0.5)
    assert report.discipline("se").weakest_links == ("weak",)
    assert report.practice("weak").for_discipline("se").weakest_link is True
    assert report.practice("strong").for_discipline("se").weakest_link is False


def test_evidence_counts_scored_answers_the_respondent_could_see():
    rules = scoped(
        [practice("p1")],
        [question("q1"), question("q2", show_if=("q1", {"v100"})), question("q3")],
    )
    rows = submissions(
        {"q1": "v100", "q2": "v50", "q3": "dk"},
        {"q1": "v0", "q2": "v50", "q3": "v25"},  # q2 is hidden from this respondent
        evidence=[
            {"q1": "https://wiki/a", "q2": "https://wiki/b", "q3": "https://wiki/c"},
            {"q2": "https://wiki/d", "q3": "https://wiki/e"},
        ],
    )

    report = score(rules, rows, scope=ML)

    assert [q.evidenced for q in report.questions] == [1, 1, 1]
    assert report.practice("p1").evidenced == 3
    assert report.practice("p1").scored_answers == 4  # r0: q1, q2; r1: q1, q3


# Properties -------------------------------------------------------------------------------


@st.composite
def scoped_rounds(draw) -> tuple[Criteria, list[Submission], Scope]:
    """Random scoped criteria (kinds per practice and question, tier targets, show-if
    follow-ups within their condition's kinds), submissions and a scope."""
    practices = []
    for i in range(draw(st.integers(1, 4))):
        applies_to = draw(st.none() | st.sets(st.sampled_from(KINDS), min_size=1))
        weights = {d: draw(st.sampled_from((0.0, 1.0, 2.0, 3.0))) for d in ("se", "ai")}
        targets = {d: draw(st.sampled_from((0.25, 0.5, 0.75, 1.0))) for d in weights}
        tiers = {"se": {"regulated": 1.0}} if draw(st.booleans()) else {}
        practices.append(practice(f"p{i}", draw(st.sampled_from(("k1", "k2"))),
                                  applies_to=applies_to, weights=weights, targets=targets,
                                  tiers=tiers))  # fmt: skip
    questions: list[Question] = []
    for j in range(draw(st.integers(1, 7))):
        owner = draw(st.sampled_from(practices))
        applies_to = draw(st.none() | st.sets(st.sampled_from(KINDS), min_size=1))
        show_if = None
        earlier = [q for q in questions if q.practice == owner.key and q.applies_to is None]
        if earlier and draw(st.booleans()):
            condition = draw(st.sampled_from(earlier))
            show_if = (condition.key, draw(st.sets(st.sampled_from(("v0", "v50", "v100")),
                                                   min_size=1)))  # fmt: skip
        questions.append(question(f"q{j}", owner.key, applies_to=applies_to, show_if=show_if,
                                  weight=draw(st.sampled_from((1.0, 2.0)))))  # fmt: skip
    rules = scoped(practices, questions)
    keys = [o.key for o in (*SCALE, DK)]
    rows = []
    for r in range(draw(st.integers(0, 5))):
        answers = {q.key: draw(st.sampled_from(keys)) for q in questions if draw(st.booleans())}
        evidence = {key: "https://e" for key in answers if draw(st.booleans())}
        rows.append(Submission(f"r{r}", answers, {}, evidence))
    scope = Scope(draw(st.sampled_from(KINDS)), draw(st.sampled_from(TIERS)))
    return rules, rows, scope


@PROPERTY_SETTINGS
@given(scoped_rounds(), st.data())
def test_a_question_outside_the_scope_never_changes_any_figure(case, data):
    rules, rows, scope = case
    inside = {q.key for q in rules.in_scope(scope).questions}
    outside = [q for q in rules.questions if q.key not in inside]
    keys = [o.key for o in (*SCALE, DK)]
    noisy = [
        Submission(
            row.respondent,
            {**row.answers, **{q.key: data.draw(st.sampled_from(keys)) for q in outside}},
            row.comments,
            {**row.evidence, **{q.key: "https://x" for q in outside}},
        )
        for row in rows
    ]

    assert score(rules, noisy, scope=scope).to_dict() == score(rules, rows, scope=scope).to_dict()


@PROPERTY_SETTINGS
@given(scoped_rounds(), st.sampled_from((0.0, 0.3, 0.6, 0.9, 1.0)))
def test_no_figure_is_produced_below_the_floor(case, floor):
    rules, rows, scope = case

    report = score(rules, rows, scope=scope, floor=floor)

    for practice_ in report.practices:
        assert practice_.score is None or practice_.coverage >= floor - 1e-9
    for discipline in report.disciplines:
        assert discipline.readiness is None or discipline.coverage >= floor - 1e-9
    for cell in report.cells:
        assert cell.score is None or cell.coverage >= floor - 1e-9


@PROPERTY_SETTINGS
@given(scoped_rounds())
def test_every_question_a_respondent_can_see_has_a_scored_not_in_place(case):
    rules, _, scope = case

    for question_ in rules.in_scope(scope).questions:
        assert any(option.value == 0.0 for option in question_.options)
        assert all(option.unscored != "not_applicable" for option in question_.options)
