"""The report document: a round's submitted answers scored by the engine, with every label
a page needs, so a closed round's snapshot never depends on rows that may change later
(names of teams, disciplines or dimensions, the order they are shown in).

A report is one JSON document (``REPORT_FORMAT``, docs/report-format.md). Pages, the JSON
export and the CSV exports are all built from it; a closed round's is stored as its
snapshot when it closes.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from comparisons.models import Discipline

from .. import scoring
from ..criteria.loading import layout_for, round_criteria
from ..models import Answer, AssessmentRound, ReportSnapshot, Response

REPORT_FORMAT = "readiness-report/2"


def submissions_for(assessment_round: AssessmentRound) -> list[scoring.Submission]:
    """The submitted responses of a round as engine input, in two queries."""
    criteria = round_criteria(assessment_round)
    rows = (
        Answer.objects.filter(
            response__round=assessment_round, response__status=Response.Status.SUBMITTED
        )
        .order_by()  # the model's ordering would join five tables for nothing
        .values_list("response_id", "question_id", "option_id", "comment", "evidence")
    )
    answers: dict[int, dict[str, str | None]] = {}
    comments: dict[int, dict[str, str]] = {}
    evidence: dict[int, dict[str, str]] = {}
    for response_pk, question_pk, option_pk, comment, link in rows:
        key = criteria.question_keys.get(question_pk)
        if key is None:
            continue  # outside the round's scope
        answers.setdefault(response_pk, {})[key] = (
            criteria.option_keys[option_pk] if option_pk is not None else None
        )
        if comment:
            comments.setdefault(response_pk, {})[key] = comment
        if link:
            evidence.setdefault(response_pk, {})[key] = link
    submitted = (
        Response.objects.filter(round=assessment_round, status=Response.Status.SUBMITTED)
        .order_by()
        .values_list("pk", flat=True)
    )
    # The engine only tells respondents apart; the response's id does that without fail
    # (pseudonyms are for exports) and never leaves the engine.
    return [
        scoring.Submission(
            respondent=str(pk),
            answers=answers.get(pk, {}),
            comments=comments.get(pk, {}),
            evidence=evidence.get(pk, {}),
        )
        for pk in sorted(submitted)
    ]


def report_document(*, assessment_round: AssessmentRound) -> dict[str, Any]:
    """Score a round now and describe the result as a self-contained document."""
    version = assessment_round.version
    team = assessment_round.team
    criteria = round_criteria(assessment_round)
    layout = layout_for(criteria)
    submissions = submissions_for(assessment_round)
    disciplines = list(
        Discipline.objects.filter(slug__in=criteria.engine.disciplines).values_list("slug", "name")
    )
    # The document lists disciplines and dimensions in the order shown today; the engine
    # keeps its input in a frozen order of its own.
    engine = dataclasses.replace(
        criteria.engine,
        disciplines=tuple(slug for slug, _ in disciplines),
        dimensions=tuple(d.slug for d in layout.dimensions),
    )
    report = scoring.score(
        engine, submissions, scope=criteria.scope, floor=settings.READINESS_COVERAGE_FLOOR
    )
    # A round below the minimum group size is never shown; its stored document keeps no
    # per-question detail either.
    details = len(submissions) >= team.organization.min_group_size
    return {
        "format": REPORT_FORMAT,
        "team": {"name": team.name, "organization": team.organization.name},
        "scope": scope_of(assessment_round),
        "round": {
            "title": assessment_round.title,
            "status": assessment_round.status,
            "opened_at": assessment_round.opened_at.isoformat(),
            "closed_at": assessment_round.closed_at.isoformat()
            if assessment_round.closed_at
            else None,
            "due_on": assessment_round.due_on.isoformat() if assessment_round.due_on else None,
        },
        "questionnaire": {
            "slug": version.questionnaire.slug,
            "name": version.questionnaire.name,
            "version": version.number,
            "content_hash": version.content_hash,
            "readiness_rule": version.readiness_rule,
        },
        "computed_at": timezone.now().isoformat(),
        "respondents": len(submissions),
        "members": AssessmentRound.objects.with_counted_members()
        .values_list("counted_members", flat=True)
        .get(pk=assessment_round.pk),
        "labels": {
            # Lists, not objects: PostgreSQL's jsonb does not keep the order of keys.
            "disciplines": [{"slug": slug, "name": name} for slug, name in disciplines],
            "dimensions": [{"slug": d.slug, "name": d.name} for d in layout.dimensions],
            "questions": {
                q.key: {
                    "text": q.text,
                    "number": q.number,
                    "options": {o.key: o.label for o in q.options},
                    "traces_to": list(q.traces_to),
                }
                for q in layout.questions_by_pk.values()
            },
        },
        "per_question_details": details,
        "report": report.to_dict() if details else without_details(report.to_dict()),
    }


def scope_of(assessment_round: AssessmentRound) -> dict[str, str] | None:
    """What the round assessed, with the names of its kind and tier; None for a round
    opened before scopes existed."""
    if not assessment_round.system_kind:
        return None
    version = assessment_round.version
    return {
        "system": assessment_round.system_name,
        "kind": assessment_round.system_kind,
        "kind_name": version.kind_name(assessment_round.system_kind),
        "tier": assessment_round.risk_tier,
        "tier_name": version.tier_name(assessment_round.risk_tier),
    }


def without_details(report: dict[str, Any]) -> dict[str, Any]:
    """The report without what could point at a person while few have answered.

    Below the organization's minimum group size a manager who sees
    who submitted could match counts, spreads and comments to names, so those are left
    out everywhere: page, JSON and CSV. Scores and the advice texts stay.
    """
    for question in report["questions"]:
        question.update(distribution=[], comments=[], evidence=[], spread=None, contested=False)
    report["contested"] = []
    for priorities in report["priorities"]:
        for priority in priorities:
            priority["comments"] = []
            for advice in priority["advice"]:
                advice["count"] = None
    return report


def snapshot_scores(document: dict[str, Any]) -> dict[str, Any]:
    """The small part of a report that dashboards and trends read."""
    report = document["report"]
    return {
        "disciplines": {
            d["discipline"]: {"readiness": d["readiness"], "target": d["target"]}
            for d in report["disciplines"]
        },
        "practices": {
            p["key"]: {
                "name": p["name"],
                "dimension": p["dimension"],
                "score": p["score"],
                "disciplines": [d["discipline"] for d in p["disciplines"] if d["weight"] > 0],
            }
            for p in report["practices"]
        },
        # jsonb forgets the order of object keys, so the order is kept in lists.
        "practice_order": [p["key"] for p in report["practices"]],
        "labels": {"disciplines": document["labels"]["disciplines"]},
    }


def discipline_names(labels: dict[str, Any]) -> dict[str, str]:
    """Discipline slug -> name, in the order the document shows disciplines."""
    return {entry["slug"]: entry["name"] for entry in labels["disciplines"]}


@transaction.atomic
def snapshot_store(*, assessment_round: AssessmentRound) -> ReportSnapshot:
    """Freeze the report of a closed round so later edits never change it."""
    document = report_document(assessment_round=assessment_round)
    snapshot, _ = ReportSnapshot.objects.update_or_create(
        round=assessment_round,
        defaults={
            "report": document,
            "scores": snapshot_scores(document),
            "questionnaire_name": document["questionnaire"]["name"],
            "version_number": document["questionnaire"]["version"],
            "content_hash": document["questionnaire"]["content_hash"],
            "respondents": document["respondents"],
            "members": document["members"],
            "computed_at": parse_datetime(document["computed_at"]),
        },
    )
    return snapshot


def round_document(*, assessment_round: AssessmentRound) -> dict[str, Any]:
    """The report document of a closed round: its snapshot. (An open round has none:
    scores appear when it closes, see ``privacy``.)"""
    return ReportSnapshot.objects.values_list("report", flat=True).get(round=assessment_round)
