"""Helpers to answer rounds in tests through the real services."""

from __future__ import annotations

from assessment.answering import AnswerInput, answers_save
from assessment.models import AssessmentRound, Option, Question
from assessment.rounds import response_submit


def option_of(version, question_key: str, option_key: str) -> Option:
    return Option.objects.get(question__version=version, question__key=question_key, key=option_key)


def question_of(version, question_key: str) -> Question:
    return Question.objects.get(version=version, key=question_key)


def answer(assessment_round: AssessmentRound, user, choices: dict[str, str], comments=None):
    """Save answers given as {question key: option key} (and optional comments)."""
    comments = comments or {}
    version = assessment_round.version
    inputs = [
        AnswerInput(
            question_pk=question_of(version, q).pk,
            option_pk=option_of(version, q, o).pk,
            comment=comments.get(q),
        )
        for q, o in choices.items()
    ]
    return answers_save(assessment_round=assessment_round, respondent=user, answers=inputs)


SMALL_ALL = {"code-in-vcs": "all", "reviews": "some", "has-models": "yes", "drift-alerts": "manual"}


def answer_and_submit(assessment_round, user, choices=None, comments=None):
    answer(assessment_round, user, choices or SMALL_ALL, comments)
    return response_submit(assessment_round=assessment_round, respondent=user)


def scope_of(version) -> dict[str, str]:
    """Keyword arguments of ``round_open`` for a scope of the version's own, if it has
    scopes: its last kind of system and its last risk tier."""
    if not version.scoped:
        return {}
    return {
        "system_name": "Claims assistant",
        "system_kind": version.kinds[-1]["key"],
        "risk_tier": version.tiers[-1]["key"],
    }
