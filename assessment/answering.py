"""Answering: saving a respondent's answers, and laying them over the questionnaire.

``answers_save`` is the autosave behind every click of every respondent; it runs in one
transaction that locks the round first, as closing and submitting do, so a close or a
submit waits for a save in flight and a save after one sees the round closed or the
response submitted. The rest is pure: what a respondent sees (``sheet_build``), how far
they are (``progress_of``) and what the page redraws after a save (``save_reply``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from . import scoring
from .criteria.loading import Layout, PracticeView, QuestionView, VersionCriteria, round_criteria
from .errors import AssessmentError
from .models import Answer, AssessmentRound, Response


@dataclass(frozen=True)
class AnswerInput:
    """One question's answer as posted. A field that was not sent is left as stored, so a
    tab that only changes a comment never clears the option another tab chose."""

    question_pk: int
    option_pk: int | None  # None: leave the stored option as it is
    comment: str | None  # None: leave the stored comment as it is
    evidence: str | None = None  # a link; None: leave the stored link as it is


@dataclass(frozen=True)
class StoredAnswer:
    option_pk: int | None
    comment: str
    evidence: str = ""


def stored_answers(response: Response | None) -> dict[int, StoredAnswer]:
    if response is None:
        return {}
    # No ordering: the default one would join five tables to sort rows that go into a dict.
    rows = response.answers.order_by().values_list(
        "question_id", "option_id", "comment", "evidence"
    )
    return {pk: StoredAnswer(option_pk, comment, link) for pk, option_pk, comment, link in rows}


def answers_applied(
    answers: dict[int, StoredAnswer], changes: Sequence[AnswerInput]
) -> dict[int, StoredAnswer]:
    """The stored answers as they are after ``answers_save`` applied ``changes``."""
    result = dict(answers)
    for change in changes:
        previous = answers.get(change.question_pk, StoredAnswer(None, ""))
        result[change.question_pk] = StoredAnswer(
            previous.option_pk if change.option_pk is None else change.option_pk,
            previous.comment if change.comment is None else change.comment,
            previous.evidence if change.evidence is None else change.evidence,
        )
    return result


# Saving -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveResult:
    criteria: VersionCriteria
    before: dict[int, StoredAnswer]  # as stored when the save began (the round was locked)
    after: dict[int, StoredAnswer]


def _check_answers(criteria: VersionCriteria, answers: Sequence[AnswerInput]) -> None:
    for answer in answers:
        if answer.option_pk is None and answer.comment is None and answer.evidence is None:
            raise AssessmentError("An answer needs an option, a comment or a link.")
        if answer.question_pk not in criteria.question_keys:
            raise AssessmentError("That question is not part of this round's questionnaire.")
        if answer.option_pk is not None:
            owner = criteria.options_by_pk.get(answer.option_pk)
            if owner is None or owner[0] != answer.question_pk:
                raise AssessmentError("That option does not belong to the question.")


def answers_save(
    *, assessment_round: AssessmentRound, respondent, answers: Sequence[AnswerInput]
) -> SaveResult:
    """Save a member's answers, touching only the fields that were sent, so two tabs never
    clash: all of them or none. The caller has checked that the respondent is a member of
    the round's team (``selectors.respondent_round``)."""
    criteria = round_criteria(assessment_round)
    _check_answers(criteria, answers)
    with transaction.atomic():
        return _save_locked(criteria, assessment_round, respondent, answers)


def _save_locked(
    criteria: VersionCriteria,
    assessment_round: AssessmentRound,
    respondent,
    answers: Sequence[AnswerInput],
) -> SaveResult:
    # The round's row first, as round_close and response_submit lock it: they wait for
    # this save, and this save waits for them. (FOR NO KEY UPDATE: inserting a response,
    # whose foreign key points at the round, does not wait for it.)
    status = (
        AssessmentRound.objects.select_for_update(no_key=True)
        .filter(pk=assessment_round.pk)
        .values_list("status", flat=True)
        .get()
    )
    if status != AssessmentRound.Status.OPEN:
        raise AssessmentError("This round is closed, so answers can no longer change.", 409)
    response = Response.objects.filter(round=assessment_round, respondent=respondent).first()
    if response is not None and response.is_submitted:
        raise AssessmentError("You have submitted this assessment; it can no longer change.", 409)
    before = stored_answers(response)
    if not answers:  # nothing to write: the checks above still ran
        return SaveResult(criteria, before, before)
    if response is None:
        response = Response.objects.create(round=assessment_round, respondent=respondent)
    # One upsert per set of fields sent: a field that was not sent keeps its stored value.
    by_fields: dict[tuple[str, ...], list[Answer]] = {}
    for answer in answers:
        sent = {"option": answer.option_pk, "comment": answer.comment, "evidence": answer.evidence}
        fields = tuple(name for name, value in sent.items() if value is not None)
        by_fields.setdefault(fields, []).append(
            Answer(
                response=response,
                question_id=answer.question_pk,
                option_id=answer.option_pk,
                comment=answer.comment or "",
                evidence=answer.evidence or "",
            )
        )
    for fields, rows in by_fields.items():
        Answer.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["response", "question"],
            update_fields=[*fields, "updated_at"],
        )
    return SaveResult(criteria, before, answers_applied(before, answers))


# What a respondent sees -------------------------------------------------------------------


def visible_question_pks(
    criteria: VersionCriteria, answers: dict[int, StoredAnswer]
) -> frozenset[int]:
    chosen = {
        criteria.question_keys[pk]: criteria.option_keys[a.option_pk]
        for pk, a in answers.items()
        if a.option_pk is not None and pk in criteria.question_keys
    }
    visible_keys = scoring.visible_questions(criteria.engine, chosen)
    return frozenset(pk for pk, key in criteria.question_keys.items() if key in visible_keys)


@dataclass(frozen=True)
class Progress:
    answered: int
    visible: int
    required_missing: tuple[int, ...]  # question pks, questionnaire order

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.visible) if self.visible else 100


def progress_of(
    criteria: VersionCriteria, answers: dict[int, StoredAnswer], visible: frozenset[int]
) -> Progress:
    answered = sum(1 for pk in visible if pk in answers and answers[pk].option_pk is not None)
    missing = tuple(
        q.pk
        for practice in criteria.practices
        for q in practice.questions
        if q.pk in visible
        and q.required
        and (q.pk not in answers or answers[q.pk].option_pk is None)
    )
    return Progress(answered=answered, visible=len(visible), required_missing=missing)


@dataclass(frozen=True)
class QuestionState:
    question: QuestionView
    option_pk: int | None
    comment: str
    evidence: str
    visible: bool

    @property
    def pk(self) -> int:
        return self.question.pk


@dataclass(frozen=True)
class SectionState:
    practice: PracticeView
    questions: tuple[QuestionState, ...]
    answered: int
    visible: int

    @property
    def complete(self) -> bool:
        return self.answered == self.visible


@dataclass(frozen=True)
class DimensionState:
    slug: str
    name: str
    sections: tuple[SectionState, ...]


@dataclass(frozen=True)
class Sheet:
    """One respondent's answers laid over the questionnaire, as the respond page shows it."""

    dimensions: tuple[DimensionState, ...]
    progress: Progress

    @property
    def missing(self) -> list[QuestionView]:
        """The required questions the respondent sees but has not answered, in order."""
        pks = set(self.progress.required_missing)
        return [
            state.question
            for dimension in self.dimensions
            for section in dimension.sections
            for state in section.questions
            if state.pk in pks
        ]


def section_state(
    practice: PracticeView, answers: dict[int, StoredAnswer], visible: frozenset[int]
) -> SectionState:
    empty = StoredAnswer(None, "")
    states = tuple(
        QuestionState(
            question=q,
            option_pk=answers.get(q.pk, empty).option_pk,
            comment=answers.get(q.pk, empty).comment,
            evidence=answers.get(q.pk, empty).evidence,
            visible=q.pk in visible,
        )
        for q in practice.questions
    )
    shown = [s for s in states if s.visible]
    return SectionState(
        practice=practice,
        questions=states,
        answered=sum(1 for s in shown if s.option_pk is not None),
        visible=len(shown),
    )


def sheet_build(
    criteria: VersionCriteria, layout: Layout, answers: dict[int, StoredAnswer]
) -> Sheet:
    visible = visible_question_pks(criteria, answers)
    return Sheet(
        dimensions=tuple(
            DimensionState(
                dimension.slug,
                dimension.name,
                tuple(section_state(p, answers, visible) for p in dimension.practices),
            )
            for dimension in layout.dimensions
        ),
        progress=progress_of(criteria, answers, visible),
    )


@dataclass(frozen=True)
class SaveReply:
    """What the page redraws after an autosave: the progress, the counts of the sections
    the save touched, and the questions it showed or hid."""

    progress: Progress
    sections: list[SectionState]
    changed: list[QuestionState]


def save_reply(saved: SaveResult, layout: Layout, question_pks: Iterable[int]) -> SaveReply:
    criteria = saved.criteria
    saved_pks = set(question_pks)
    visible = visible_question_pks(criteria, saved.after)
    if criteria.conditions.isdisjoint(saved_pks):
        changed: frozenset[int] = frozenset()  # no question depends on these
    else:
        changed = visible ^ visible_question_pks(criteria, saved.before)
    touched = saved_pks | changed
    sections = [
        section_state(practice, saved.after, visible)
        for dimension in layout.dimensions
        for practice in dimension.practices
        if any(q.pk in touched for q in practice.questions)
    ]
    return SaveReply(
        progress=progress_of(criteria, saved.after, visible),
        sections=sections,
        changed=[q for section in sections for q in section.questions if q.pk in changed],
    )
