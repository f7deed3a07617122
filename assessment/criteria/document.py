"""The questionnaire file format: a version read into one JSON document, and back.

A questionnaire version is read and written as one JSON document (``FORMAT``, described in
docs/questionnaire-format.md and checked against schemas/questionnaire.schema.json).
The same document is what validation looks at (``validation``) and what the content hash
is taken of, so the importer, the exporter, publishing and the admin agree on one
definition of "valid".
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models

from ..models import (
    Option,
    Practice,
    PracticeWeight,
    Question,
    QuestionnaireVersion,
)

FORMAT = "readiness-questionnaire/1"
PACKAGE_DIR = Path(__file__).resolve().parent.parent
SCHEMA_PATH = PACKAGE_DIR / "schemas" / "questionnaire.schema.json"
# The default questionnaire's latest version, and its first (kept for the history of
# organizations that started on it, and for the demo's trend across versions).
DEFAULT_QUESTIONNAIRE = PACKAGE_DIR / "data" / "ai-engineering-readiness.json"
FIRST_VERSION = PACKAGE_DIR / "data" / "ai-engineering-readiness-v1.json"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a questionnaire version, located by its JSON path."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class CriteriaError(Exception):
    """Raised with every problem at once, so a person can fix them in one pass."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class VersionDocument:
    """A version as the file format, plus which database row each JSON path came from."""

    data: dict[str, Any]
    objects: dict[str, models.Model] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def part_of(self, row: models.Model) -> tuple[str, dict[str, Any]]:
        """The JSON path and the part of ``data`` that a version, practice or question
        was read into."""
        if isinstance(row, QuestionnaireVersion):
            return "$.version", self.data["version"]
        for p_index, practice in enumerate(self.data["practices"]):
            path = f"$.practices[{p_index}]"
            if self.objects[path] == row:
                return path, practice
            for q_index, question in enumerate(practice["questions"]):
                if self.objects[f"{path}.questions[{q_index}]"] == row:
                    return f"{path}.questions[{q_index}]", question
        raise LookupError(f"{row!r} is not part of this version")


# Numbers ----------------------------------------------------------------------------------


def number(value: Decimal) -> int | float:
    """A stored decimal as the shortest JSON number that reads back to the same decimal."""
    normalized = value.normalize()
    if normalized == normalized.to_integral_value():
        return int(normalized)
    return float(normalized)


def decimal(value: int | float) -> Decimal:
    return Decimal(str(value))


def weighting_targets(weighting: dict[str, Any]) -> dict[str, int | float]:
    """A discipline weighting's targets as {"default": target, tier: target, ...}, whether
    the file gives one ``target`` or ``targets`` per tier."""
    return (
        dict(weighting["targets"]) if "targets" in weighting else {"default": weighting["target"]}
    )


# Export -----------------------------------------------------------------------------------


def version_document(version: QuestionnaireVersion) -> VersionDocument:
    """Read a version into the file format in a fixed number of queries."""
    questionnaire = version.questionnaire
    practices = list(version.practices.select_related("dimension").order_by("order", "pk"))
    weights = PracticeWeight.objects.filter(practice__version=version).select_related("discipline")
    weights_by_practice: dict[int, list[PracticeWeight]] = {}
    for weight in sorted(weights, key=lambda w: (w.discipline.order, w.discipline.slug)):
        weights_by_practice.setdefault(weight.practice_id, []).append(weight)
    questions = list(
        Question.objects.filter(practice__version=version)
        .select_related("show_if_question")
        .prefetch_related("show_if_options")
        .order_by("order", "pk")
    )
    options = Option.objects.filter(question__practice__version=version).order_by("order", "pk")
    options_by_question: dict[int, list[Option]] = {}
    for option in options:
        options_by_question.setdefault(option.question_id, []).append(option)
    questions_by_practice: dict[int, list[Question]] = {}
    for question in questions:
        questions_by_practice.setdefault(question.practice_id, []).append(question)

    document = VersionDocument(data={})
    document.data = {
        "format": FORMAT,
        "questionnaire": {
            "slug": questionnaire.slug,
            "name": questionnaire.name,
            "description": questionnaire.description,
        },
        "version": {
            "number": version.number,
            "readiness_rule": version.readiness_rule,
            "notes": version.notes,
            # Scopes only where the version has them, so older files export as they were.
            **({"kinds": version.kinds, "tiers": version.tiers} if version.kinds else {}),
        },
        "practices": [
            _practice_data(
                document,
                f"$.practices[{p_index}]",
                practice,
                weights_by_practice.get(practice.pk, []),
                questions_by_practice.get(practice.pk, []),
                options_by_question,
            )
            for p_index, practice in enumerate(practices)
        ],
    }
    return document


def _practice_data(
    document: VersionDocument,
    path: str,
    practice: Practice,
    weights: list[PracticeWeight],
    questions: list[Question],
    options_by_question: dict[int, list[Option]],
) -> dict[str, Any]:
    document.objects[path] = practice
    for weight in weights:
        document.objects[f"{path}.disciplines['{weight.discipline.slug}']"] = weight
    return {
        "key": practice.key,
        "name": practice.name,
        "description": practice.description,
        "dimension": practice.dimension.slug,
        **({"applies_to": practice.applies_to} if practice.applies_to is not None else {}),
        **({"rationale": practice.rationale} if practice.rationale else {}),
        "disciplines": {weight.discipline.slug: _weighting_data(weight) for weight in weights},
        "questions": [
            _question_data(
                document,
                f"{path}.questions[{q_index}]",
                question,
                options_by_question.get(question.pk, []),
            )
            for q_index, question in enumerate(questions)
        ],
    }


def _weighting_data(weight: PracticeWeight) -> dict[str, Any]:
    if not weight.tier_targets:
        return {"weight": number(weight.weight), "target": number(weight.target)}
    targets = {"default": number(weight.target)}
    targets.update((tier, number(decimal(target))) for tier, target in weight.tier_targets.items())
    return {"weight": number(weight.weight), "targets": targets}


def _question_data(
    document: VersionDocument, path: str, question: Question, options: list[Option]
) -> dict[str, Any]:
    document.objects[path] = question
    data: dict[str, Any] = {
        "key": question.key,
        "text": question.text,
        "help": question.help_text,
        "weight": number(question.weight),
        "required": question.required,
    }
    condition = question.show_if_question
    if condition is not None:
        if condition.version_id != question.version_id:
            document.problems.append(
                Problem(f"{path}.show_if", "the condition points at another version's question")
            )
        chosen = sorted(question.show_if_options.all(), key=lambda o: (o.order, o.pk))
        if any(option.question_id != condition.pk for option in chosen):
            document.problems.append(
                Problem(
                    f"{path}.show_if.options",
                    f"the condition names options that are not options of {condition.key!r}",
                )
            )
        data["show_if"] = {
            "question": condition.key,
            "options": [option.key for option in chosen],
        }
    if question.applies_to is not None:
        data["applies_to"] = question.applies_to
    if question.traces_to:
        data["traces_to"] = question.traces_to
    data["options"] = []
    for o_index, option in enumerate(options):
        document.objects[f"{path}.options[{o_index}]"] = option
        option_data: dict[str, Any] = {"key": option.key, "label": option.label}
        if option.unscored:
            option_data["unscored"] = option.unscored
        elif option.value is not None:
            option_data["value"] = number(option.value)
        option_data["advice"] = option.advice
        data["options"].append(option_data)
    return data


def document_dumps(data: dict[str, Any]) -> str:
    """The file form: stable key order as built, two-space indent, trailing newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def normalized_practices(practices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Practices of a valid document in the exporter's shape: defaults filled in, numbers
    written the way the database gives them back."""

    def option(data: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"key": data["key"], "label": data["label"]}
        if "unscored" in data:
            out["unscored"] = data["unscored"]
        else:
            out["value"] = number(decimal(data["value"]))
        out["advice"] = data.get("advice", "")
        return out

    def question(data: dict[str, Any]) -> dict[str, Any]:
        out = {
            "key": data["key"],
            "text": data["text"],
            "help": data.get("help", ""),
            "weight": number(decimal(data.get("weight", 1))),
            "required": data.get("required", True),
        }
        if "show_if" in data:
            out["show_if"] = data["show_if"]
        for name in ("applies_to", "traces_to"):
            if data.get(name):
                out[name] = data[name]
        out["options"] = [option(o) for o in data["options"]]
        return out

    def weighting(data: dict[str, Any]) -> dict[str, Any]:
        targets = weighting_targets(data)
        out: dict[str, Any] = {"weight": number(decimal(data["weight"]))}
        if len(targets) == 1:  # only the default: the same as one target
            out["target"] = number(decimal(targets["default"]))
        else:
            out["targets"] = {tier: number(decimal(value)) for tier, value in targets.items()}
        return out

    def practice(data: dict[str, Any]) -> dict[str, Any]:
        out = {
            "key": data["key"],
            "name": data["name"],
            "description": data.get("description", ""),
            "dimension": data["dimension"],
        }
        for name in ("applies_to", "rationale"):
            if data.get(name):
                out[name] = data[name]
        out["disciplines"] = {slug: weighting(w) for slug, w in data["disciplines"].items()}
        out["questions"] = [question(q) for q in data["questions"]]
        return out

    return [practice(p) for p in practices]


def content_hash(data: dict[str, Any]) -> str:
    """SHA-256 of a version's content: its rule, notes, scopes and practices, not its
    number. (A version without scopes hashes as it did before scopes existed.)"""
    content = {
        "readiness_rule": data["version"].get("readiness_rule", "mean"),
        "notes": data["version"].get("notes", ""),
        "practices": normalized_practices(data["practices"]),
    }
    for name in ("kinds", "tiers"):
        if data["version"].get(name):
            content[name] = [
                {"key": item["key"], "name": item["name"],
                 "description": item.get("description", "")}
                for item in data["version"][name]
            ]  # fmt: skip
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def version_export(*, version: QuestionnaireVersion) -> str:
    return document_dumps(version_document(version).data)


def _refuse_constant(name: str) -> float:
    # Python's json module reads NaN, Infinity and -Infinity, which JSON itself does not
    # have; a weight of NaN would pass every range check (NaN compares false).
    raise CriteriaError(
        [Problem("$", f"{name} is not a JSON number: write a finite number such as 0.5")]
    )


def parse_document(raw: bytes) -> Any:
    """The JSON document of a file, or CriteriaError. Text the database cannot store (a NUL
    character, a lone surrogate) is refused by validation, wherever it is."""
    try:
        return json.loads(raw, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CriteriaError([Problem("$", f"not a JSON document: {error}")]) from error
    except RecursionError as error:
        raise CriteriaError([Problem("$", "the JSON document is nested too deeply")]) from error
    except ValueError as error:  # an integer longer than Python converts from text
        limit = sys.get_int_max_str_digits()
        raise CriteriaError(
            [Problem("$", f"a number in the file has more than {limit:,} digits")]
        ) from error
