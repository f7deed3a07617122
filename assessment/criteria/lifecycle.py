"""Writing criteria: import a document as a version, publish, retire, new draft.

Every change runs in one transaction, all or nothing; a published version is frozen under
its content hash, and only after the scoring engine has accepted it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from comparisons.models import Dimension, Discipline

from ..models import (
    Option,
    Practice,
    PracticeWeight,
    Question,
    Questionnaire,
    QuestionnaireVersion,
)
from .document import (
    CriteriaError,
    Problem,
    content_hash,
    decimal,
    parse_document,
    weighting_targets,
)
from .loading import load_criteria
from .validation import valid_version_data, validate_document


@dataclass(frozen=True)
class ImportResult:
    version: QuestionnaireVersion
    created: bool
    message: str


def _version_fields(version_data: dict[str, Any]) -> dict[str, Any]:
    """The version row's own fields from a document's ``version``."""
    return {
        "readiness_rule": version_data.get("readiness_rule", "mean"),
        "notes": version_data.get("notes", ""),
        **{
            name: [
                {
                    "key": item["key"],
                    "name": item["name"],
                    "description": item.get("description", ""),
                }
                for item in version_data.get(name, [])
            ]  # fmt: skip
            for name in ("kinds", "tiers")
        },
    }


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
            applies_to=practice_data.get("applies_to"),
            rationale=practice_data.get("rationale", ""),
        )
        weights = []
        for slug, weighting in practice_data["disciplines"].items():
            targets = weighting_targets(weighting)
            weights.append(
                PracticeWeight(
                    practice=practice,
                    discipline=disciplines[slug],
                    weight=decimal(weighting["weight"]),
                    target=decimal(targets.pop("default")),
                    tier_targets=targets,
                )
            )
        bulk_create_with_history(weights, PracticeWeight)
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
                applies_to=question_data.get("applies_to"),
                traces_to=question_data.get("traces_to", []),
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
            fields = _version_fields(data["version"])
            for name, value in fields.items():
                setattr(version, name, value)
            version.save(update_fields=list(fields))
        else:
            version = QuestionnaireVersion.objects.create(
                questionnaire=questionnaire, number=number_, **_version_fields(data["version"])
            )
        _write_practices(version, data["practices"])
        if publish:
            version = questionnaire_publish(version=version)
    verb = "published" if publish else "saved as a draft"
    return ImportResult(version, True, f"{version} {verb}.")


def questionnaire_import_file(*, path: Path | str, publish: bool = True) -> ImportResult:
    return questionnaire_import(data=parse_document(Path(path).read_bytes()), publish=publish)


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
    try:
        load_criteria(version)
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
        questionnaire=questionnaire, number=next_number, **_version_fields(data["version"])
    )
    _write_practices(draft, data["practices"])
    return draft
