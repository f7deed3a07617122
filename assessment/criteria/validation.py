"""Validation of a questionnaire document: the JSON Schema first, then every rule the
schema cannot express, each problem located by its JSON path."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from comparisons.models import Dimension, Discipline

from ..models import Practice, Question, QuestionnaireVersion
from .document import (
    SCHEMA_PATH,
    CriteriaError,
    Problem,
    decimal,
    version_document,
    weighting_targets,
)
from .scoping import scope_problems

TOO_PRECISE = "use at most three decimal places"


def has_three_decimals(value: int | float) -> bool:
    exponent = decimal(value).normalize().as_tuple().exponent
    return not isinstance(exponent, int) or exponent >= -3


@cache
def schema_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_problems(data: Any) -> list[Problem]:
    errors = sorted(schema_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    return [Problem(error.json_path, error.message) for error in errors]


def document_problems(data: dict[str, Any]) -> list[Problem]:
    """Every rule the schema cannot express, checked over the whole document."""
    problems: list[Problem] = []
    dimensions = set(Dimension.objects.values_list("slug", flat=True))
    disciplines = set(Discipline.objects.values_list("slug", flat=True))
    practice_keys: set[str] = set()
    earlier_questions: dict[str, set[str]] = {}  # question key -> its option keys
    for p_index, practice in enumerate(data["practices"]):
        path = f"$.practices[{p_index}]"
        problems.extend(_practice_problems(path, practice, practice_keys, dimensions, disciplines))
        for q_index, question in enumerate(practice["questions"]):
            q_path = f"{path}.questions[{q_index}]"
            problems.extend(_question_problems(q_path, question, earlier_questions))
            earlier_questions.setdefault(
                question["key"], {option["key"] for option in question["options"]}
            )
    return [*problems, *scope_problems(data, dimensions)]


def _practice_problems(
    path: str,
    practice: dict[str, Any],
    seen: set[str],
    dimensions: set[str],
    disciplines: set[str],
) -> Iterator[Problem]:
    if practice["key"] in seen:
        yield Problem(f"{path}.key", f"practice key {practice['key']!r} is used twice")
    seen.add(practice["key"])
    if practice["dimension"] not in dimensions:
        yield Problem(f"{path}.dimension", f"unknown dimension {practice['dimension']!r}")
    for slug, weighting in practice["disciplines"].items():
        where = f"{path}.disciplines['{slug}']"
        if slug not in disciplines:
            yield Problem(where, f"unknown discipline {slug!r}")
        if weighting["weight"] < 0:
            yield Problem(f"{where}.weight", "a weight cannot be negative")
        if not has_three_decimals(weighting["weight"]):
            yield Problem(f"{where}.weight", TOO_PRECISE)
        targets = weighting_targets(weighting)
        for tier, target in targets.items():
            at = f"{where}.target" if "target" in weighting else f"{where}.targets.{tier}"
            if not 0 <= target <= 1:
                yield Problem(at, "a target must be between 0 and 1")
            if not has_three_decimals(target):
                yield Problem(at, TOO_PRECISE)
    if not any(weighting["weight"] > 0 for weighting in practice["disciplines"].values()):
        yield Problem(
            f"{path}.disciplines",
            "the practice counts for no discipline: give at least one a weight above 0",
        )
    if not practice["questions"]:
        yield Problem(f"{path}.questions", "the practice has no questions")


def _question_problems(
    path: str, question: dict[str, Any], earlier: dict[str, set[str]]
) -> Iterator[Problem]:
    if question["key"] in earlier:
        yield Problem(f"{path}.key", f"question key {question['key']!r} is used twice")
    weight = question.get("weight", 1)
    if weight <= 0:
        yield Problem(f"{path}.weight", "a question's weight must be above 0")
    if not has_three_decimals(weight):
        yield Problem(f"{path}.weight", TOO_PRECISE)
    options = question["options"]
    if len(options) < 2:
        yield Problem(f"{path}.options", "a question needs at least two options")
    if not any("value" in option for option in options):
        yield Problem(f"{path}.options", "a question needs at least one scored option")
    option_keys: set[str] = set()
    for o_index, option in enumerate(options):
        if option["key"] in option_keys:
            yield Problem(
                f"{path}.options[{o_index}].key", f"option key {option['key']!r} is used twice"
            )
        option_keys.add(option["key"])
        if "value" in option and not 0 <= option["value"] <= 1:
            yield Problem(f"{path}.options[{o_index}].value", "a value must be between 0 and 1")
        if "value" in option and not has_three_decimals(option["value"]):
            yield Problem(f"{path}.options[{o_index}].value", TOO_PRECISE)
    condition = question.get("show_if")
    if condition is not None:
        target = condition["question"]
        if target not in earlier:
            yield Problem(
                f"{path}.show_if.question",
                f"the condition must point at an earlier question of this version; "
                f"{target!r} is not one",
            )
        else:
            for key in condition["options"]:
                if key not in earlier[target]:
                    yield Problem(
                        f"{path}.show_if.options",
                        f"{key!r} is not an option of question {target!r}",
                    )
        if not condition["options"]:
            yield Problem(f"{path}.show_if.options", "the condition names no option")


def unstorable_problems(data: Any) -> list[Problem]:
    """Values no database column takes, wherever they are in the document (keys too): a
    NUL character (PostgreSQL refuses it), a lone surrogate (not Unicode, so no encoding
    writes it) and a number that is not finite. Paths quote odd keys with ``repr`` so the
    problems themselves can be shown."""
    problems: list[Problem] = []
    pending: list[tuple[str, Any]] = [("$", data)]  # a stack, not recursion: any depth
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            problems.extend(Problem(path, message) for message in _text_problems(value))
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(Problem(path, f"{value} is not a number: use a finite number"))
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                plain = isinstance(key, str) and key.isidentifier() and key.isascii()
                key_path = f"{path}.{key}" if plain else f"{path}[{key!r}]"
                if isinstance(key, str):
                    problems.extend(Problem(key_path, m) for m in _text_problems(key, "name"))
                pending.append((key_path, item))
        elif isinstance(value, list):
            pending.extend((f"{path}[{i}]", item) for i, item in reversed(list(enumerate(value))))
    return problems


def _text_problems(text: str, what: str = "text") -> Iterator[str]:
    if "\x00" in text:
        yield f"the {what} contains a NUL character (\\u0000), which cannot be stored"
    try:
        text.encode()
    except UnicodeEncodeError:
        yield (
            f"the {what} contains a lone surrogate (a \\ud800 to \\udfff escape without its "
            "pair), which is not valid Unicode"
        )


def validate_document(data: Any) -> list[Problem]:
    problems = unstorable_problems(data)
    if problems:
        # Other checks would quote these values back, and no page could show them.
        return problems
    problems = schema_problems(data)
    if problems:
        # Semantic checks assume the structure is right; report structure first.
        return problems
    return document_problems(data)


def version_problems(version: QuestionnaireVersion) -> list[Problem]:
    try:
        valid_version_data(version)
    except CriteriaError as error:
        return list(error.problems)
    return []


def valid_version_data(version: QuestionnaireVersion) -> dict[str, Any]:
    """The version as a document, or CriteriaError listing everything wrong with it."""
    document = version_document(version)
    problems = [*document.problems, *validate_document(document.data)]
    if problems:
        raise CriteriaError(problems)
    return document.data


def edit_problems(
    row: QuestionnaireVersion | Practice | Question, changes: dict[str, Any]
) -> list[Problem]:
    """The problems that setting ``changes`` (fields of the file format, such as
    ``kinds``, ``applies_to`` or ``traces_to``; empty means left out) on a row of a draft
    would add, by the importer's rules.

    The draft as a document is checked before and after the change; what was wrong before
    stays for the draft's problem list (preview, publish), so one edit is judged by what it
    breaks, wherever that shows (a kind taken away that a question still names).
    """
    version = row if isinstance(row, QuestionnaireVersion) else row.version
    document = version_document(version)
    schema_before = set(schema_problems(document.data))
    rules_before = set(document_problems(document.data))
    _, part = document.part_of(row)
    for name, value in changes.items():
        if value in (None, "", [], {}):
            part.pop(name, None)
        else:
            part[name] = value
    new = [p for p in schema_problems(document.data) if p not in schema_before]
    if new:
        return new  # structure first, as on import: the rules below assume it
    return [p for p in document_problems(document.data) if p not in rules_before]
