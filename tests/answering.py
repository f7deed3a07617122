"""Helpers to answer rounds in tests through the real services."""

from __future__ import annotations

from assessment.answering import AnswerInput, answers_save
from assessment.models import AssessmentRound, Option, Question
from assessment.rounds import response_submit
from tests.factories import MembershipFactory


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
# The weakest and the strongest answers to the small questionnaire, models in production.
LOW = {"code-in-vcs": "none", "reviews": "none", "has-models": "yes", "drift-alerts": "none"}
HIGH = {"code-in-vcs": "all", "reviews": "all", "has-models": "yes", "drift-alerts": "owned"}


def answer_and_submit(assessment_round, user, choices=None, comments=None):
    answer(assessment_round, user, choices or SMALL_ALL, comments)
    return response_submit(assessment_round=assessment_round, respondent=user)


def submitted_by(assessment_round, count: int, choices=None, comments=None, also=()) -> list:
    """The users in ``also`` and ``count`` new members of the round's team answer
    ``choices`` (or LOW and HIGH in turn) and submit; returns the new members."""
    for user in also:
        answer_and_submit(assessment_round, user, choices or LOW, comments)
    users = []
    for index in range(count):
        user = MembershipFactory(team=assessment_round.team).user
        answer_and_submit(assessment_round, user, choices or (HIGH if index % 2 else LOW), comments)
        users.append(user)
    return users


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
