"""Services for versioned criteria: the file format, validation, publishing, new drafts.

A questionnaire version is read and written as one JSON document (``FORMAT``, described in
docs/questionnaire-format.md and checked against schemas/questionnaire.schema.json).
The same document is what validation looks at and what the content hash is taken of, so
the importer, the exporter, publishing and the admin agree on one definition of "valid".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from jsonschema import Draft202012Validator
from simple_history.utils import bulk_create_with_history

from comparisons.models import Dimension, Discipline

from .models import (
    Option,
    Practice,
    PracticeWeight,
    Question,
    Questionnaire,
    QuestionnaireVersion,
)

FORMAT = "readiness-questionnaire/1"
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "questionnaire.schema.json"
DEFAULT_QUESTIONNAIRE = Path(__file__).resolve().parent / "data" / "ai-engineering-readiness.json"


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


@dataclass(frozen=True)
class ImportResult:
    version: QuestionnaireVersion
    created: bool
    message: str


@dataclass
class VersionDocument:
    """A version as the file format, plus which database row each JSON path came from."""

    data: dict[str, Any]
    objects: dict[str, models.Model] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


# Numbers ----------------------------------------------------------------------------------


def number(value: Decimal) -> int | float:
    """A stored decimal as the shortest JSON number that reads back to the same decimal."""
    normalized = value.normalize()
    if normalized == normalized.to_integral_value():
        return int(normalized)
    return float(normalized)


def decimal(value: int | float) -> Decimal:
    return Decimal(str(value))


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
        "disciplines": {
            weight.discipline.slug: {
                "weight": number(weight.weight),
                "target": number(weight.target),
            }
            for weight in weights
        },
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
        out["options"] = [option(o) for o in data["options"]]
        return out

    return [
        {
            "key": p["key"],
            "name": p["name"],
            "description": p.get("description", ""),
            "dimension": p["dimension"],
            "disciplines": {
                slug: {
                    "weight": number(decimal(w["weight"])),
                    "target": number(decimal(w["target"])),
                }
                for slug, w in p["disciplines"].items()
            },
            "questions": [question(q) for q in p["questions"]],
        }
        for p in practices
    ]


def content_hash(data: dict[str, Any]) -> str:
    """SHA-256 of what a version scores: its rule, notes and practices, not its number."""
    content = {
        "readiness_rule": data["version"].get("readiness_rule", "mean"),
        "notes": data["version"].get("notes", ""),
        "practices": normalized_practices(data["practices"]),
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def version_export(*, version: QuestionnaireVersion) -> str:
    return document_dumps(version_document(version).data)


# Validation -------------------------------------------------------------------------------

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
    return problems


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
        if not 0 <= weighting["target"] <= 1:
            yield Problem(f"{where}.target", "a target must be between 0 and 1")
        if weighting["weight"] < 0:
            yield Problem(f"{where}.weight", "a weight cannot be negative")
        for what in ("weight", "target"):
            if not has_three_decimals(weighting[what]):
                yield Problem(f"{where}.{what}", TOO_PRECISE)
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


def validate_document(data: Any) -> list[Problem]:
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


# Writing ----------------------------------------------------------------------------------


def _write_practices(version: QuestionnaireVersion, practices: list[dict[str, Any]]) -> None:
    """Create the rows of a version from a validated document's practices."""
    dimensions = {d.slug: d for d in Dimension.objects.all()}
    disciplines = {d.slug: d for d in Discipline.objects.all()}
    questions_by_key: dict[str, Question] = {}
    options_by_key: dict[tuple[str, str], Option] = {}
    for p_order, practice_data in enumerate(practices):
        practice = Practice.objects.create(
            version=version,
            key=practice_data["key"],
            name=practice_data["name"],
            description=practice_data.get("description", ""),
            dimension=dimensions[practice_data["dimension"]],
            order=p_order,
        )
        bulk_create_with_history(
            [
                PracticeWeight(
                    practice=practice,
                    discipline=disciplines[slug],
                    weight=decimal(weighting["weight"]),
                    target=decimal(weighting["target"]),
                )
                for slug, weighting in practice_data["disciplines"].items()
            ],
            PracticeWeight,
        )
        for q_order, question_data in enumerate(practice_data["questions"]):
            condition = question_data.get("show_if")
            question = Question.objects.create(
                version=version,
                practice=practice,
                key=question_data["key"],
                text=question_data["text"],
                help_text=question_data.get("help", ""),
                weight=decimal(question_data.get("weight", 1)),
                required=question_data.get("required", True),
                order=q_order,
                show_if_question=questions_by_key[condition["question"]] if condition else None,
            )
            questions_by_key[question.key] = question
            created = bulk_create_with_history(
                [
                    Option(
                        question=question,
                        key=option_data["key"],
                        label=option_data["label"],
                        value=decimal(option_data["value"]) if "value" in option_data else None,
                        unscored=option_data.get("unscored", ""),
                        advice=option_data.get("advice", ""),
                        order=o_order,
                    )
                    for o_order, option_data in enumerate(question_data["options"])
                ],
                Option,
            )
            for option in created:
                options_by_key[(question.key, option.key)] = option
            if condition:
                question.show_if_options.set(
                    [options_by_key[(condition["question"], key)] for key in condition["options"]]
                )


def questionnaire_import(*, data: Any, publish: bool = True) -> ImportResult:
    """Load a whole version from the file format, in one transaction, all or nothing.

    The same content under an existing version number is a no-op; different content under a
    published or retired number is refused; a draft of that number is replaced.
    """
    problems = validate_document(data)
    if problems:
        raise CriteriaError(problems)
    with transaction.atomic():
        meta = data["questionnaire"]
        questionnaire, _ = Questionnaire.objects.get_or_create(
            slug=meta["slug"],
            defaults={"name": meta["name"], "description": meta.get("description", "")},
        )
        number_ = data["version"]["number"]
        existing = (
            QuestionnaireVersion.objects.select_for_update()
            .filter(questionnaire=questionnaire, number=number_)
            .first()
        )
        digest = content_hash(data)
        if existing is not None and not existing.is_draft:
            if existing.content_hash == digest:
                return ImportResult(existing, False, f"{existing} is already loaded; no change.")
            next_number = questionnaire.versions.aggregate(models.Max("number"))["number__max"] + 1
            raise CriteriaError(
                [
                    Problem(
                        "$.version.number",
                        f"{existing} is {existing.status} with different content. Import "
                        f"the file as a new version (set version.number to {next_number}).",
                    )
                ]
            )
        if existing is not None:
            existing.practices.all().delete()
            version = existing
            version.readiness_rule = data["version"].get("readiness_rule", "mean")
            version.notes = data["version"].get("notes", "")
            version.save(update_fields=["readiness_rule", "notes"])
        else:
            version = QuestionnaireVersion.objects.create(
                questionnaire=questionnaire,
                number=number_,
                readiness_rule=data["version"].get("readiness_rule", "mean"),
                notes=data["version"].get("notes", ""),
            )
        _write_practices(version, data["practices"])
        if publish:
            version = questionnaire_publish(version=version)
    verb = "published" if publish else "saved as a draft"
    return ImportResult(version, True, f"{version} {verb}.")


def questionnaire_import_file(*, path: Path | str, publish: bool = True) -> ImportResult:
    return questionnaire_import(data=parse_document(Path(path).read_bytes()), publish=publish)


def parse_document(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CriteriaError([Problem("$", f"not a JSON document: {error}")]) from error
    except RecursionError as error:
        raise CriteriaError([Problem("$", "the JSON document is nested too deeply")]) from error


# Lifecycle --------------------------------------------------------------------------------


@transaction.atomic
def questionnaire_publish(*, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Validate the whole draft, then freeze it under its content hash."""
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    version.check_editable()
    version.content_hash = content_hash(valid_version_data(version))
    engine_refusal = _engine_refusal(version)
    if engine_refusal:
        raise CriteriaError([Problem("$", engine_refusal)])
    version.status = QuestionnaireVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.full_clean()
    version.save(update_fields=["content_hash", "status", "published_at"])
    return version


def _engine_refusal(version: QuestionnaireVersion) -> str:
    """Why the scoring engine would refuse the version's criteria, or "" when it accepts
    them: a published version must never be one that rounds cannot score."""
    from .services import load_criteria  # services read criteria; they never write them

    try:
        load_criteria(version.pk)
    except (ValueError, KeyError) as error:
        return f"the scoring engine cannot use this version: {error}"
    return ""


@transaction.atomic
def questionnaire_retire(*, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """No new rounds may use a retired version; its rounds and reports stay."""
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != QuestionnaireVersion.Status.PUBLISHED:
        raise ValidationError("Only a published version can be retired.")
    version.status = QuestionnaireVersion.Status.RETIRED
    version.save(update_fields=["status"])
    return version


@transaction.atomic
def version_new_draft(*, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """A deep copy of a version as a new draft: same keys, the next version number."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=version.questionnaire_id)
    data = valid_version_data(version)
    next_number = questionnaire.versions.aggregate(models.Max("number"))["number__max"] + 1
    draft = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=next_number,
        readiness_rule=version.readiness_rule,
        notes=version.notes,
    )
    _write_practices(draft, data["practices"])
    return draft
