"""The rules of scopes in a questionnaire document, and of a scoped version's scores.

A version with ``kinds`` and ``tiers`` is *scoped*: each round of it records the kind of
system it assesses and its risk tier, and ``applies_to`` and per-tier targets decide what
is asked and what is expected. Such a version also promises honest scores
(docs/scoring.md): options and targets on the five-step scale, a "not in place" answer on
every question, no "not applicable" (the scope decides what applies), and targets that
every question of the practice can be answered at.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..scoring import SCALE
from .document import Problem, weighting_targets

FRAMEWORKS = (
    "article",
    "ml-test-score",
    "dora",
    "nist-ai-rmf",
    "iso-42001",
    "eu-ai-act",
    "owasp-llm",
    "owasp-samm",
)


def scope_problems(data: dict[str, Any], dimensions: set[str]) -> list[Problem]:
    """Every problem with the document's kinds, tiers, ``applies_to``, targets per tier,
    ``traces_to`` and, for a scoped version, its scale."""
    version = data["version"]
    kinds = [item["key"] for item in version.get("kinds", [])]
    tiers = [item["key"] for item in version.get("tiers", [])]
    problems = list(_scope_problems(kinds, tiers))
    effective: dict[str, set[str]] = {}  # question key -> the kinds it is asked of
    for p_index, practice in enumerate(data["practices"]):
        path = f"$.practices[{p_index}]"
        practice_kinds = set(practice.get("applies_to") or kinds)
        problems += _applies_to_problems(f"{path}.applies_to", practice, kinds)
        for slug, weighting in practice["disciplines"].items():
            where = f"$.practices[{p_index}].disciplines['{slug}'].targets"
            for tier in weighting.get("targets", {}):
                if tier != "default" and tier not in tiers:
                    problems.append(Problem(f"{where}.{tier}", f"unknown risk tier {tier!r}"))
        for q_index, question in enumerate(practice["questions"]):
            q_path = f"{path}.questions[{q_index}]"
            problems += _applies_to_problems(f"{q_path}.applies_to", question, kinds)
            asked = practice_kinds & set(question.get("applies_to") or kinds)
            if question.get("applies_to") and not set(question["applies_to"]) <= practice_kinds:
                problems.append(
                    Problem(
                        f"{q_path}.applies_to",
                        "names kinds its practice is not asked of; a question is asked only "
                        "where its practice is",
                    )
                )
            condition = question.get("show_if")
            if kinds and condition and not asked <= effective.get(condition["question"], asked):
                problems.append(
                    Problem(
                        f"{q_path}.applies_to",
                        f"the follow-up is asked of kinds its condition question "
                        f"{condition['question']!r} is not asked of",
                    )
                )
            effective[question["key"]] = asked
            problems += _traces_problems(f"{q_path}.traces_to", question, dimensions)
        if kinds:
            problems += _scale_problems(path, practice)
    return problems


def _scope_problems(kinds: list[str], tiers: list[str]) -> Iterator[Problem]:
    if bool(kinds) != bool(tiers):
        yield Problem("$.version", "give both kinds and tiers, or neither")
    for name, keys in (("kinds", kinds), ("tiers", tiers)):
        seen: set[str] = set()
        for index, key in enumerate(keys):
            if key in seen:
                yield Problem(f"$.version.{name}[{index}].key", f"{key!r} is used twice")
            seen.add(key)


def _applies_to_problems(path: str, item: dict[str, Any], kinds: list[str]) -> Iterator[Problem]:
    if "applies_to" not in item:
        return
    if not kinds:
        yield Problem(path, "applies_to needs the version's kinds (version.kinds)")
        return
    for key in item["applies_to"]:
        if key not in kinds:
            yield Problem(path, f"unknown kind of system {key!r}")


def _traces_problems(
    path: str, question: dict[str, Any], dimensions: set[str]
) -> Iterator[Problem]:
    articles = [ref for ref in question.get("traces_to", []) if ref.startswith("article:")]
    if len(articles) > 1:
        yield Problem(path, "name the article's dimension once")
    for ref in articles:
        if ref.removeprefix("article:") not in dimensions:
            yield Problem(path, f"{ref!r} names no dimension of the comparison")


def _scale_problems(path: str, practice: dict[str, Any]) -> Iterator[Problem]:
    """The scale rules of a scoped version, for one practice and its questions."""
    targets = {
        target
        for weighting in practice["disciplines"].values()
        if weighting["weight"] > 0
        for target in weighting_targets(weighting).values()
    }
    for slug, weighting in practice["disciplines"].items():
        for tier, target in weighting_targets(weighting).items():
            if target not in SCALE or target == 0:
                where = f"{path}.disciplines['{slug}']"
                yield Problem(
                    f"{where}.target" if "target" in weighting else f"{where}.targets.{tier}",
                    f"a target is one of the steps 0.25, 0.5, 0.75 or 1, not {target}",
                )
    for q_index, question in enumerate(practice["questions"]):
        q_path = f"{path}.questions[{q_index}]"
        values = set()
        for o_index, option in enumerate(question["options"]):
            if option.get("unscored") == "not_applicable":
                yield Problem(
                    f"{q_path}.options[{o_index}]",
                    "a scoped version offers no 'not applicable': the round's scope decides "
                    "what applies (use applies_to)",
                )
            if "value" in option:
                values.add(option["value"])
                if option["value"] not in SCALE:
                    yield Problem(
                        f"{q_path}.options[{o_index}].value",
                        f"a value is one of the steps 0, 0.25, 0.5, 0.75 or 1, "
                        f"not {option['value']}",
                    )
        if 0 not in values:
            yield Problem(f"{q_path}.options", "offer a scored 'not in place' option (value 0)")
        for target in sorted(targets - values):
            if target in SCALE and target > 0:
                yield Problem(
                    f"{q_path}.options",
                    f"the practice's target {target} is no answer here: offer an option of "
                    f"value {target}, so a team at its target can say so",
                )
