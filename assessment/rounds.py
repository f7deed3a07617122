"""Rounds: opening, closing (which stores the report's snapshot) and submitting a response.

Each service runs in one transaction and raises ``AssessmentError`` when a request is not
allowed, leaving the database unchanged. Closing and submitting lock the round's row first,
as saving an answer does (``answering.answers_save``), so the three never interleave.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import notifications
from .answering import progress_of, stored_answers, visible_question_pks
from .criteria.loading import round_criteria
from .errors import AssessmentError
from .models import AssessmentRound, QuestionnaireVersion, Response, Team
from .reports.document import snapshot_store


@transaction.atomic
def round_open(
    *,
    team: Team,
    version: QuestionnaireVersion,
    title: str,
    opened_by,
    due_on: datetime.date | None = None,
    system_name: str = "",
    system_kind: str = "",
    risk_tier: str = "",
) -> AssessmentRound:
    """Open a round for a team on a published questionnaire version, recording what it
    assesses: the system, its kind and its risk tier (required by a version with scopes,
    refused by one without). A team has at most one open round per questionnaire and
    system."""
    if version.status != QuestionnaireVersion.Status.PUBLISHED:
        raise AssessmentError(
            "Rounds can only use a published questionnaire version.", field="version"
        )
    title, system_name = title.strip(), system_name.strip()
    if not title:
        raise AssessmentError("Give the round a title.", field="title")
    _check_scope(version, system_name, system_kind, risk_tier)
    Team.objects.select_for_update().filter(pk=team.pk).first()  # one opening at a time
    if AssessmentRound.objects.filter(team=team, title=title).exists():
        raise AssessmentError(f"{team} already has a round called “{title}”.", field="title")
    already = AssessmentRound.objects.filter(
        team=team,
        version__questionnaire=version.questionnaire_id,
        status=AssessmentRound.Status.OPEN,
        system_name__iexact=system_name,
    ).first()
    if already is not None:
        system = f" for “{system_name}”" if system_name else ""
        raise AssessmentError(
            f"{team} already has an open round on {version.questionnaire.name}{system}: "
            f"“{already.title}”. Close it first, or open the new round for another system."
        )
    assessment_round = AssessmentRound(
        team=team,
        version=version,
        title=title,
        due_on=due_on,
        opened_by=opened_by,
        system_name=system_name,
        system_kind=system_kind,
        risk_tier=risk_tier,
    )
    try:
        assessment_round.full_clean()
        with transaction.atomic():
            assessment_round.save()
    except ValidationError as error:
        raise AssessmentError(" ".join(error.messages)) from error
    except IntegrityError as error:  # the same title, opened a moment ago in another tab
        raise AssessmentError(
            f"{team} already has a round called “{title}”.", field="title"
        ) from error
    notifications.round_opened(assessment_round=assessment_round)
    return assessment_round


def _check_scope(
    version: QuestionnaireVersion, system_name: str, system_kind: str, risk_tier: str
) -> None:
    if not version.scoped:
        if system_kind or risk_tier:
            raise AssessmentError(
                f"{version} has no kinds of system or risk tiers: leave them empty."
            )
        return
    if not system_name:
        raise AssessmentError("Name the system the team answers for.", field="system_name")
    if system_kind not in {kind["key"] for kind in version.kinds}:
        raise AssessmentError(
            f"Choose the kind of system this round assesses ({version}).", field="system_kind"
        )
    if risk_tier not in {tier["key"] for tier in version.tiers}:
        raise AssessmentError(
            f"Choose the risk tier this round assesses ({version}).", field="risk_tier"
        )


@transaction.atomic
def round_close(*, assessment_round: AssessmentRound) -> AssessmentRound:
    """Close a round for good and store its report as a snapshot."""
    locked = AssessmentRound.objects.select_for_update().get(pk=assessment_round.pk)
    if not locked.is_open:
        return locked
    locked.status = AssessmentRound.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    snapshot_store(assessment_round=locked)
    notifications.round_closed(assessment_round=locked)
    return locked


@transaction.atomic
def response_submit(*, assessment_round: AssessmentRound, respondent) -> Response:
    """Submit a response once every visible required question has an answer.

    Submitting twice (a double click) returns the already submitted response.
    """
    AssessmentRound.objects.select_for_update().filter(pk=assessment_round.pk).first()
    response = (
        Response.objects.select_for_update()
        .filter(round=assessment_round, respondent=respondent)
        .first()
    )
    if response is not None and response.is_submitted:
        return response
    assessment_round.refresh_from_db(fields=["status"])
    if not assessment_round.is_open:
        raise AssessmentError("This round is closed, so it can no longer be submitted.", 409)
    if response is None:
        raise AssessmentError("Answer the questions before submitting.", 409)
    criteria = round_criteria(assessment_round)
    answers = stored_answers(response)
    progress = progress_of(criteria, answers, visible_question_pks(criteria, answers))
    if progress.required_missing:
        count = len(progress.required_missing)
        raise AssessmentError(
            f"{count} required question{'s are' if count != 1 else ' is'} still unanswered.",
            409,
        )
    response.status = Response.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.save(update_fields=["status", "submitted_at", "updated_at"])
    return response
