"""Reports: a round's submitted answers scored by the engine, live or from a snapshot."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import scoring
from .models import Answer, AssessmentRound, ReportSnapshot, Response
from .services import criteria_for


def pseudonym(response_pk: int) -> str:
    """A stable name for a response that reveals neither the person nor the row id."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"response:{response_pk}".encode(), hashlib.sha256
    ).hexdigest()
    return f"R-{digest[:8]}"


@dataclass(frozen=True)
class RoundReport:
    """A scored round with its lineage: what it was computed from, and when."""

    report: scoring.Report
    questionnaire_name: str
    version_number: int
    content_hash: str
    respondents: int
    members: int
    computed_at: datetime
    is_snapshot: bool


def submissions_for(assessment_round: AssessmentRound) -> list[scoring.Submission]:
    """The submitted responses of a round as engine input, in one query."""
    criteria = criteria_for(assessment_round.version)
    rows = Answer.objects.filter(
        response__round=assessment_round, response__status=Response.Status.SUBMITTED
    ).values_list("response_id", "question_id", "option_id", "comment")
    answers: dict[int, dict[str, str | None]] = {}
    comments: dict[int, dict[str, str]] = {}
    for response_pk, question_pk, option_pk, comment in rows:
        key = criteria.question_keys[question_pk]
        answers.setdefault(response_pk, {})[key] = (
            criteria.option_keys[option_pk] if option_pk is not None else None
        )
        if comment:
            comments.setdefault(response_pk, {})[key] = comment
    submitted = Response.objects.filter(
        round=assessment_round, status=Response.Status.SUBMITTED
    ).values_list("pk", flat=True)
    return [
        scoring.Submission(
            respondent=pseudonym(pk),
            answers=answers.get(pk, {}),
            comments=comments.get(pk, {}),
        )
        for pk in sorted(submitted)
    ]


def round_report_compute(*, assessment_round: AssessmentRound) -> RoundReport:
    """Score the submitted responses of a round now."""
    version = assessment_round.version
    criteria = criteria_for(version)
    submissions = submissions_for(assessment_round)
    return RoundReport(
        report=scoring.score(criteria.engine, submissions),
        questionnaire_name=version.questionnaire.name,
        version_number=version.number,
        content_hash=version.content_hash,
        respondents=len(submissions),
        members=assessment_round.team.memberships.count(),
        computed_at=timezone.now(),
        is_snapshot=False,
    )


@transaction.atomic
def snapshot_store(*, assessment_round: AssessmentRound) -> ReportSnapshot:
    """Freeze the report of a closed round so later edits never change it."""
    live = round_report_compute(assessment_round=assessment_round)
    snapshot, _ = ReportSnapshot.objects.update_or_create(
        round=assessment_round,
        defaults={
            "report": live.report.to_dict(),
            "members": live.members,
            "questionnaire_name": live.questionnaire_name,
            "version_number": live.version_number,
            "content_hash": live.content_hash,
            "respondents": live.respondents,
            "computed_at": live.computed_at,
        },
    )
    return snapshot


def round_report(*, assessment_round: AssessmentRound) -> RoundReport:
    """The snapshot of a closed round, or the live report of an open one."""
    if assessment_round.is_open:
        return round_report_compute(assessment_round=assessment_round)
    snapshot = ReportSnapshot.objects.get(round=assessment_round)
    return RoundReport(
        report=scoring.Report.from_dict(snapshot.report),
        questionnaire_name=snapshot.questionnaire_name,
        version_number=snapshot.version_number,
        content_hash=snapshot.content_hash,
        respondents=snapshot.respondents,
        members=snapshot.members,
        computed_at=snapshot.computed_at,
        is_snapshot=True,
    )
