"""How much slower is the scoring engine than a bare loop over the same answers?

Builds a synthetic round (60 questions: 15 practices x 4 questions, 2 disciplines, some
"not applicable" / "don't know" options, a few show-if conditions; 50 respondents) with a
fixed seed, then times ``assessment.scoring.score`` and a plain loop that only adds up the
chosen option values. Each figure is the best of several repetitions. The last line printed
is one line of JSON; the script exits 1 when the engine is more than GOAL times slower.

Run from the repository root: ``python bench/scoring.py``.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.scoring import (  # noqa: E402
    Condition,
    Criteria,
    Option,
    Practice,
    Question,
    Submission,
    score,
)

GOAL = 25
SEED = 20260129
PRACTICES = 15
QUESTIONS_PER_PRACTICE = 4
RESPONDENTS = 50
DISCIPLINES = ("software-engineering", "ai-engineering")
DIMENSIONS = ("outcomes", "focus", "requirements", "stability", "skills", "governance")
REPEATS = 7
CALLS_PER_REPEAT = 20


def build_criteria(rng: random.Random) -> Criteria:
    """15 practices x 4 questions; every third practice's last question has a show-if."""
    practices = []
    questions = []
    for p in range(PRACTICES):
        weights = {d: float(rng.choice((0, 1, 2, 3))) for d in DISCIPLINES}
        weights[DISCIPLINES[p % 2]] = max(1.0, weights[DISCIPLINES[p % 2]])
        practices.append(
            Practice(
                key=f"practice-{p}",
                name=f"Practice {p}",
                dimension=DIMENSIONS[p % len(DIMENSIONS)],
                weights=weights,
                targets={d: rng.choice((0.5, 0.75, 1.0)) for d in DISCIPLINES},
            )
        )
        for n in range(QUESTIONS_PER_PRACTICE):
            options = [
                Option(f"o{i}", f"Option {i}", i / 4, advice=f"Step {i} for p{p} q{n}")
                for i in range(5)
            ]
            if n % 2 == 0:
                options.append(Option("na", "Not applicable", None, unscored="not_applicable"))
            if n % 3 == 0:
                options.append(Option("dk", "Don't know", None, unscored="dont_know"))
            show_if = None
            if p % 3 == 0 and n == QUESTIONS_PER_PRACTICE - 1:
                show_if = Condition(f"q-{p}-{n - 1}", frozenset({"o2", "o3", "o4"}))
            questions.append(
                Question(
                    key=f"q-{p}-{n}",
                    practice=f"practice-{p}",
                    text=f"Question {n} of practice {p}",
                    weight=float(rng.choice((1, 1, 2, 3))),
                    options=tuple(options),
                    show_if=show_if,
                )
            )
    return Criteria(DISCIPLINES, DIMENSIONS, tuple(practices), tuple(questions))


def build_submissions(rng: random.Random, criteria: Criteria) -> list[Submission]:
    submissions = []
    for r in range(RESPONDENTS):
        answers: dict[str, str | None] = {}
        comments: dict[str, str] = {}
        for question in criteria.questions:
            roll = rng.random()
            if roll < 0.03:
                continue  # never touched the question
            if roll < 0.06:
                answers[question.key] = None  # opened it, chose nothing
                continue
            answers[question.key] = rng.choice(question.options).key
            if rng.random() < 0.02:
                comments[question.key] = f"Comment {r} on {question.key}"
        submissions.append(Submission(f"respondent-{r}", answers, comments))
    return submissions


def bare_loop(
    values: Mapping[str, Mapping[str, float | None]], submissions: Sequence[Submission]
) -> float:
    """The floor: add up every chosen option's value, nothing else."""
    total = 0.0
    for submission in submissions:
        for question, option in submission.answers.items():
            if option is not None:
                value = values[question][option]
                if value is not None:
                    total += value
    return total


def best_ms(run: Callable[[], object]) -> float:
    """Best of REPEATS, each the mean of CALLS_PER_REPEAT calls, in milliseconds."""
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(CALLS_PER_REPEAT):
            run()
        best = min(best, (time.perf_counter() - start) / CALLS_PER_REPEAT)
    return best * 1000


def main() -> int:
    rng = random.Random(SEED)  # noqa: S311 - synthetic data, not security
    criteria = build_criteria(rng)
    submissions = build_submissions(rng, criteria)
    values = {q.key: {o.key: o.value for o in q.options} for q in criteria.questions}

    report = score(criteria, submissions)
    engine_ms = best_ms(lambda: score(criteria, submissions))
    loop_ms = best_ms(lambda: bare_loop(values, submissions))
    ratio = engine_ms / loop_ms

    print(
        f"round: {len(criteria.questions)} questions, {len(criteria.practices)} practices, "
        f"{len(criteria.disciplines)} disciplines, {len(submissions)} respondents, "
        f"coverage {report.coverage:.3f}"
    )
    print(f"engine score(): {engine_ms:.3f} ms (best of {REPEATS})")
    print(f"bare loop:      {loop_ms:.3f} ms (best of {REPEATS})")
    print(f"engine / loop:  {ratio:.1f}x (goal <= {GOAL:g}x)")
    print(
        json.dumps(
            {
                "engine_vs_loop": round(ratio, 1),
                "goal": GOAL,
                "engine_ms": round(engine_ms, 4),
                "loop_ms": round(loop_ms, 4),
            }
        )
    )
    return 1 if ratio > GOAL else 0


if __name__ == "__main__":
    sys.exit(main())
