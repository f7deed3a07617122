"""Services for rounds, responses and answers: the I/O around the scoring engine.

Each service takes keyword arguments, runs in one transaction (one answer's save: in one
guarded statement, see ``answers_save``), and raises ``AssessmentError`` (with an HTTP
status the view passes on) when a request is not allowed, leaving the database unchanged.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from comparisons.models import Dimension

from . import scoring
from .models import (
    MAX_COMMENT_LENGTH,
    Answer,
    AssessmentRound,
    Membership,
    Option,
    Practice,
    PracticeWeight,
    Question,
    QuestionnaireVersion,
    Response,
    Team,
)


class AssessmentError(Exception):
    """A refused request: a clear message and the 4xx status that goes with it."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


# Criteria as the engine and the respond page see them -------------------------------------


@dataclass(frozen=True)
class OptionView:
    pk: int
    key: str
    label: str
    unscored: str


@dataclass(frozen=True)
class QuestionView:
    pk: int
    key: str
    text: str
    help_text: str
    required: bool
    number: int  # 1-based position in the questionnaire
    options: tuple[OptionView, ...]
    condition_pk: int | None  # the question this one depends on


@dataclass(frozen=True)
class PracticeView:
    pk: int
    key: str
    name: str
    description: str
    questions: tuple[QuestionView, ...]


@dataclass(frozen=True)
class DimensionView:
    slug: str
    name: str
    practices: tuple[PracticeView, ...]


@dataclass(frozen=True)
class VersionCriteria:
    """A frozen version, loaded once: the engine's input plus what pages need to render."""

    version_pk: int
    content_hash: str
    engine: scoring.Criteria
    dimensions: tuple[DimensionView, ...]
    questions_by_pk: dict[int, QuestionView]
    options_by_pk: dict[int, tuple[int, OptionView]]  # option pk -> (question pk, option)
    question_keys: dict[int, str]
    option_keys: dict[int, str]
    conditions: frozenset[int]  # questions that decide whether another one is shown


def criteria_for(version: QuestionnaireVersion) -> VersionCriteria:
    """The criteria of a version. Frozen versions never change, so each process keeps
    them; the key includes the publication time so a restored or re-created database
    that reuses a primary key cannot be served another version's rows."""
    return _criteria_of(version.pk, version.status, version.content_hash, version.published_at)


def _criteria_of(
    pk: int, status: str, content_hash: str, published_at: datetime.datetime | None
) -> VersionCriteria:
    if status == QuestionnaireVersion.Status.DRAFT:
        return load_criteria(pk)
    return _cached_criteria(pk, content_hash, published_at)


@lru_cache(maxsize=32)
def _cached_criteria(version_pk: int, content_hash: str, published_at: object) -> VersionCriteria:
    return load_criteria(version_pk)


def load_criteria(version_pk: int) -> VersionCriteria:
    """Seven queries, whatever the size of the questionnaire."""
    version = QuestionnaireVersion.objects.get(pk=version_pk)
    practices = list(
        Practice.objects.filter(version_id=version_pk)
        .select_related("dimension")
        .order_by("order", "pk")
    )
    weights = list(
        PracticeWeight.objects.filter(practice__version_id=version_pk).select_related("discipline")
    )
    questions = list(
        Question.objects.filter(version_id=version_pk)
        .prefetch_related("show_if_options")
        .order_by("practice__order", "practice_id", "order", "pk")
    )
    options = list(Option.objects.filter(question__version_id=version_pk).order_by("order", "pk"))

    counted = [w for w in weights if w.weight > 0]
    disciplines = sorted({w.discipline for w in counted}, key=lambda d: (d.order, d.slug))
    dimension_rows = list(Dimension.objects.filter(practices__version_id=version_pk).distinct())
    options_by_question: dict[int, list[Option]] = {}
    for option in options:
        options_by_question.setdefault(option.question_id, []).append(option)
    question_keys = {q.pk: q.key for q in questions}
    practice_keys = {p.pk: p.key for p in practices}

    engine_practices = tuple(
        scoring.Practice(
            key=p.key,
            name=p.name,
            dimension=p.dimension.slug,
            # Weight 0 means "not part of that discipline": leave such rows out.
            weights={w.discipline.slug: w.weight for w in counted if w.practice_id == p.pk},
            targets={w.discipline.slug: w.target for w in counted if w.practice_id == p.pk},
        )
        for p in practices
    )
    engine_questions = tuple(
        scoring.Question(
            key=q.key,
            practice=practice_keys[q.practice_id],
            text=q.text,
            weight=q.weight,
            required=q.required,
            options=tuple(
                scoring.Option(
                    key=o.key, label=o.label, value=o.value, advice=o.advice, unscored=o.unscored
                )
                for o in options_by_question.get(q.pk, [])
            ),
            show_if=scoring.Condition(
                # A condition on another version's question has no key here: KeyError,
                # which publishing reports (drafts are checked before they are used).
                question=question_keys[q.show_if_question_id],
                options=frozenset(o.key for o in q.show_if_options.all()),
            )
            if q.show_if_question_id
            else None,
        )
        for q in questions
    )
    engine = scoring.Criteria(
        disciplines=tuple(d.slug for d in disciplines),
        dimensions=tuple(d.slug for d in dimension_rows),
        practices=engine_practices,
        questions=engine_questions,
        rule=version.readiness_rule,
    )

    option_views = {
        o.pk: OptionView(pk=o.pk, key=o.key, label=o.label, unscored=o.unscored) for o in options
    }
    question_views: dict[int, QuestionView] = {}
    practice_views: dict[int, list[QuestionView]] = {}
    # Questions are numbered as the respond page shows them: by dimension, then practice.
    practice_dimension = {p.pk: p.dimension_id for p in practices}
    dimension_position = {d.pk: i for i, d in enumerate(dimension_rows)}
    shown_order = sorted(
        range(len(questions)),
        key=lambda i: (dimension_position[practice_dimension[questions[i].practice_id]], i),
    )
    numbers = {questions[i].pk: n for n, i in enumerate(shown_order, start=1)}
    for q in questions:
        view = QuestionView(
            pk=q.pk,
            key=q.key,
            text=q.text,
            help_text=q.help_text,
            required=q.required,
            number=numbers[q.pk],
            options=tuple(option_views[o.pk] for o in options_by_question.get(q.pk, [])),
            condition_pk=q.show_if_question_id,
        )
        question_views[q.pk] = view
        practice_views.setdefault(q.practice_id, []).append(view)
    dimension_views = tuple(
        DimensionView(
            slug=dimension.slug,
            name=dimension.name,
            practices=tuple(
                PracticeView(
                    pk=p.pk,
                    key=p.key,
                    name=p.name,
                    description=p.description,
                    questions=tuple(practice_views.get(p.pk, ())),
                )
                for p in practices
                if p.dimension_id == dimension.pk
            ),
        )
        for dimension in dimension_rows
    )
    return VersionCriteria(
        version_pk=version_pk,
        content_hash=version.content_hash,
        engine=engine,
        dimensions=dimension_views,
        questions_by_pk=question_views,
        options_by_pk={o.pk: (o.question_id, option_views[o.pk]) for o in options},
        question_keys=question_keys,
        option_keys={o.pk: o.key for o in options},
        conditions=frozenset(q.show_if_question_id for q in questions if q.show_if_question_id),
    )


# Rounds -----------------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *,
    team: Team,
    version: QuestionnaireVersion,
    title: str,
    opened_by,
    due_on: datetime.date | None = None,
) -> AssessmentRound:
    """Open a round for a team on a published questionnaire version."""
    if version.status != QuestionnaireVersion.Status.PUBLISHED:
        raise AssessmentError("Rounds can only use a published questionnaire version.")
    assessment_round = AssessmentRound(
        team=team, version=version, title=title.strip(), due_on=due_on, opened_by=opened_by
    )
    try:
        assessment_round.full_clean()
        with transaction.atomic():
            assessment_round.save()
    except ValidationError as error:
        raise AssessmentError(" ".join(error.messages)) from error
    except IntegrityError as error:  # the same title, opened a moment ago in another tab
        raise AssessmentError(f"{team} already has a round called “{title.strip()}”.") from error
    return assessment_round


@transaction.atomic
def round_close(*, assessment_round: AssessmentRound) -> AssessmentRound:
    """Close a round for good and store its report as a snapshot."""
    locked = AssessmentRound.objects.select_for_update().get(pk=assessment_round.pk)
    if not locked.is_open:
        return locked
    locked.status = AssessmentRound.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    from .reports import snapshot_store  # reports build on services, not the reverse

    snapshot_store(assessment_round=locked)
    return locked


# Responses and answers --------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerInput:
    """One question's answer as posted. A field that was not sent is left as stored, so a
    tab that only changes a comment never clears the option another tab chose."""

    question_pk: int
    option_pk: int | None  # None: leave the stored option as it is
    comment: str | None  # None: leave the stored comment as it is


def _id(raw: str) -> int | None:
    """A database id written in ASCII digits, or None."""
    if raw.isascii() and raw.isdigit() and len(raw) <= 18:
        return int(raw)
    return None


def parse_answer_fields(data, only: Iterable[int] | None = None) -> list[AnswerInput]:
    """Read ``q-<question pk>`` (option pk) and ``c-<question pk>`` (comment) fields.

    A question with neither an option nor a comment sent is not an answer and is skipped.
    Raises AssessmentError for anything that is not a well-formed id.
    """
    allowed = set(only) if only is not None else None
    answers: dict[int, AnswerInput] = {}
    for name in data:
        prefix, _, raw_pk = name.partition("-")
        if prefix not in {"q", "c"}:
            continue
        question_pk = _id(raw_pk)
        if question_pk is None:
            raise AssessmentError(f"Unknown field {name[:40]!r}.")
        if allowed is not None and question_pk not in allowed:
            raise AssessmentError("That question is not part of this section.")
        raw_option = data.get(f"q-{question_pk}", "")
        option_pk = _id(raw_option) if raw_option else None
        if raw_option and option_pk is None:
            raise AssessmentError("That option does not exist.")
        comment = data.get(f"c-{question_pk}") if f"c-{question_pk}" in data else None
        if comment is not None:
            # Browsers send line breaks as CR LF but count them as one character
            # against maxlength: store them as LF so the 2,000 limit means the same.
            comment = comment.replace("\r\n", "\n")
        if option_pk is not None or comment is not None:
            answers[question_pk] = AnswerInput(question_pk, option_pk, comment)
    return [answers[pk] for pk in sorted(answers)]


def _validate_answers(criteria: VersionCriteria, answers: Sequence[AnswerInput]) -> None:
    for answer in answers:
        if answer.option_pk is None and answer.comment is None:
            raise AssessmentError("An answer needs an option or a comment.")
        if answer.question_pk not in criteria.questions_by_pk:
            raise AssessmentError("That question is not part of this round's questionnaire.")
        if answer.option_pk is not None:
            owner = criteria.options_by_pk.get(answer.option_pk)
            if owner is None or owner[0] != answer.question_pk:
                raise AssessmentError("That option does not belong to the question.")
        if answer.comment is not None and "\x00" in answer.comment:
            raise AssessmentError("A comment cannot contain a null character.")
        if answer.comment is not None and len(answer.comment) > MAX_COMMENT_LENGTH:
            raise AssessmentError(
                f"A comment can be at most {MAX_COMMENT_LENGTH:,} characters; "
                f"this one has {len(answer.comment):,}."
            )


# Saving answers runs on every click of every respondent, so it is two SQL statements of
# its own: a read of the round and the response, then one guarded upsert per answer, which
# needs no transaction around it when it is the only write. Built with the ORM inside a
# transaction, the same work took eight round trips to the database and cost more than
# twice as much in the load bench (bench/load.py). Table names come from the models; every
# value is a parameter.


@dataclass(frozen=True)
class _SaveStatements:
    state: str
    upserts: dict[tuple[str, ...], str]  # by the fields sent: ("option",), ("comment",), both


@lru_cache(maxsize=2)
def _save_statements(vendor: str) -> _SaveStatements:
    """The statements for one database vendor.

    ``state`` reads the round's status and version, the respondent's response and its
    answers, and yields no row unless the respondent is a member of the round's team.

    An upsert writes only while the round is open and the response a draft, checked in
    the same statement. On PostgreSQL it locks the round (FOR SHARE, which any update of
    the round waits for) and then the response (FOR NO KEY UPDATE); PostgreSQL takes the
    locks of one statement in the order its locking clauses are written. Closing and
    submitting lock in the same order, round first: a close or a submit waits for a save
    in flight, and a save that comes after one sees the round closed or the response
    submitted and writes nothing. SQLite has no row locks; it runs one writing statement
    at a time anyway.
    """
    table = {
        model: connection.ops.quote_name(model._meta.db_table)
        for model in (AssessmentRound, QuestionnaireVersion, Membership, Response, Answer)
    }
    postgres = vendor == "postgresql"
    state = (
        # The publication time comes as text, parsed once: every row repeats it, and
        # converting a timestamp on each of them cost more than the rest of the read.
        "SELECT a.status, v.id, v.status, v.content_hash, CAST(v.published_at AS TEXT), "  # noqa: S608
        "r.id, r.status, s.question_id, s.option_id, s.comment "
        f"FROM {table[AssessmentRound]} a "
        f"JOIN {table[QuestionnaireVersion]} v ON v.id = a.version_id "
        f"LEFT JOIN {table[Response]} r ON r.round_id = a.id AND r.respondent_id = %s "
        f"LEFT JOIN {table[Answer]} s ON s.response_id = r.id "
        f"WHERE a.id = %s AND EXISTS (SELECT 1 FROM {table[Membership]} m "
        "WHERE m.team_id = a.team_id AND m.user_id = %s)"
    )
    insert = (
        f"INSERT INTO {table[Answer]} "  # noqa: S608
        "(response_id, question_id, option_id, comment, updated_at) "
        f"SELECT r.id, %s, %s, %s, %s FROM {table[Response]} r "
        f"JOIN {table[AssessmentRound]} a ON a.id = r.round_id "
        "WHERE r.round_id = %s AND r.respondent_id = %s AND r.status = %s AND a.status = %s"
        + (" FOR SHARE OF a FOR NO KEY UPDATE OF r" if postgres else "")
        + " ON CONFLICT (response_id, question_id) DO UPDATE SET updated_at = "
        "excluded.updated_at"
    )
    # A field that was not sent keeps its stored value: it is left out of the update.
    assign = {"option": "option_id = excluded.option_id", "comment": "comment = excluded.comment"}
    upserts = {
        fields: insert + "".join(f", {assign[field]}" for field in fields)
        for fields in (("option",), ("comment",), ("option", "comment"))
    }
    return _SaveStatements(state, upserts)


def _timestamp(text: str | None) -> datetime.datetime | None:
    """A timestamp cast to text by SQL; SQLite stores it without a time zone (UTC)."""
    value = parse_datetime(text) if text is not None else None
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, datetime.UTC)
    return value


@dataclass(frozen=True)
class AnswerState:
    """Where a respondent stands in a round, as a save reads it."""

    criteria: VersionCriteria
    response_pk: int | None  # None before the first save
    answers: dict[int, StoredAnswer]


def _answer_state(cursor, statements: _SaveStatements, round_pk: int, respondent) -> AnswerState:
    """The round's criteria and the respondent's answers; refuses what may not change."""
    cursor.execute(statements.state, [respondent.pk, round_pk, respondent.pk])
    rows = cursor.fetchall()
    if not rows:
        raise AssessmentError("There is no such round among your team's assessments.", 404)
    round_status, version_pk, version_status, content_hash, published_at = rows[0][:5]
    response_pk, response_status = rows[0][5:7]
    if round_status != AssessmentRound.Status.OPEN:
        raise AssessmentError("This round is closed, so answers can no longer change.", 409)
    if response_status == Response.Status.SUBMITTED:
        raise AssessmentError("You have submitted this assessment; it can no longer change.", 409)
    return AnswerState(
        criteria=_criteria_of(version_pk, version_status, content_hash, _timestamp(published_at)),
        response_pk=response_pk,
        answers={
            question_pk: StoredAnswer(option_pk, comment)
            for *_, question_pk, option_pk, comment in rows
            if question_pk is not None
        },
    )


@dataclass(frozen=True)
class SaveResult:
    criteria: VersionCriteria
    # The answers as read just before the save. Another tab saving at the same moment
    # may be missing from them: they only decide what the reply redraws.
    before: dict[int, StoredAnswer]
    after: dict[int, StoredAnswer]


def answers_save(*, round_pk: int, respondent, answers: Sequence[AnswerInput]) -> SaveResult:
    """Save answers of a member of the round's team, touching only the fields that were
    sent, so two tabs never clash. One answer costs two statements from the second save
    on; several, or the first with its response, are saved together or not at all."""
    statements = _save_statements(connection.vendor)
    with connection.cursor() as cursor:
        state = _answer_state(cursor, statements, round_pk, respondent)
        _validate_answers(state.criteria, answers)
        if not answers:  # nothing to write; the read above still checked the access
            return SaveResult(state.criteria, state.answers, state.answers)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        guard = [round_pk, respondent.pk, Response.Status.DRAFT, AssessmentRound.Status.OPEN]
        first = state.response_pk is None
        # Several answers, or the response with the first one: all of it or nothing.
        with transaction.atomic() if first or len(answers) > 1 else nullcontext():
            if first:
                # When another tab inserted the row first, the unique constraint refuses
                # ours and get_or_create reads theirs.
                Response.objects.get_or_create(round_id=round_pk, respondent=respondent)
            for a in answers:
                fields = (*(["option"] if a.option_pk is not None else []),
                          *(["comment"] if a.comment is not None else []))  # fmt: skip
                cursor.execute(
                    statements.upserts[fields],
                    [a.question_pk, a.option_pk, a.comment or "", now, *guard],
                )
                if cursor.rowcount != 1:
                    # Closed or submitted since the read: say which, else say it plainly.
                    _answer_state(cursor, statements, round_pk, respondent)
                    raise AssessmentError(
                        "Your answer could not be saved. Reload the page and try again.", 409
                    )
    return SaveResult(state.criteria, state.answers, answers_applied(state.answers, answers))


@dataclass(frozen=True)
class Progress:
    answered: int
    visible: int
    required_missing: tuple[int, ...]  # question pks, questionnaire order

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.visible) if self.visible else 100


@dataclass(frozen=True)
class StoredAnswer:
    option_pk: int | None
    comment: str


def stored_answers(response: Response | None) -> dict[int, StoredAnswer]:
    if response is None:
        return {}
    # No ordering: the default one (Answer -> Response -> round, Question -> version ->
    # questionnaire, practice) would join five tables to sort rows that go into a dict.
    rows = response.answers.order_by().values_list("question_id", "option_id", "comment")
    return {
        question_pk: StoredAnswer(option_pk, comment) for question_pk, option_pk, comment in rows
    }


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


def progress_of(
    criteria: VersionCriteria, answers: dict[int, StoredAnswer], visible: frozenset[int]
) -> Progress:
    answered = sum(1 for pk in visible if pk in answers and answers[pk].option_pk is not None)
    missing = tuple(
        q.pk
        for q in criteria.questions_by_pk.values()
        if q.pk in visible
        and q.required
        and (q.pk not in answers or answers[q.pk].option_pk is None)
    )
    return Progress(answered=answered, visible=len(visible), required_missing=missing)


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
    criteria = criteria_for(assessment_round.version)
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


# Completion -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompletionRow:
    name: str
    role: str
    status: str  # "submitted", "in progress", "not started"


@dataclass(frozen=True)
class Completion:
    rows: tuple[CompletionRow, ...]  # submitted first, then in progress, then not started

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def submitted(self) -> int:
        return self.count("submitted")

    @property
    def in_progress(self) -> int:
        return self.count("in progress")


def round_completion(*, assessment_round: AssessmentRound) -> Completion:
    """Who has submitted, who is in progress and who has not started: names, no answers."""
    statuses = dict(
        Response.objects.filter(round=assessment_round).values_list("respondent_id", "status")
    )
    memberships = Membership.objects.filter(team_id=assessment_round.team_id).select_related("user")
    label = {Response.Status.SUBMITTED: "submitted", Response.Status.DRAFT: "in progress"}
    rows = [
        CompletionRow(
            name=m.user.get_full_name() or m.user.get_username(),
            role=m.get_role_display(),
            status=label.get(statuses.get(m.user_id), "not started"),
        )
        for m in memberships
    ]
    order = {"submitted": 0, "in progress": 1, "not started": 2}
    return Completion(tuple(sorted(rows, key=lambda row: (order[row.status], row.name.lower()))))


# The respond page -------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionState:
    question: QuestionView
    option_pk: int | None
    comment: str
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


def _section_state(
    practice: PracticeView, answers: dict[int, StoredAnswer], visible: frozenset[int]
) -> SectionState:
    empty = StoredAnswer(None, "")
    states = tuple(
        QuestionState(
            question=q,
            option_pk=answers.get(q.pk, empty).option_pk,
            comment=answers.get(q.pk, empty).comment,
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


def sheet_build(criteria: VersionCriteria, answers: dict[int, StoredAnswer]) -> Sheet:
    visible = visible_question_pks(criteria, answers)
    return Sheet(
        dimensions=tuple(
            DimensionState(
                dimension.slug,
                dimension.name,
                tuple(_section_state(p, answers, visible) for p in dimension.practices),
            )
            for dimension in criteria.dimensions
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


def save_reply(saved: SaveResult, question_pks: Iterable[int]) -> SaveReply:
    criteria = saved.criteria
    saved_pks = set(question_pks)
    visible = visible_question_pks(criteria, saved.after)
    if criteria.conditions.isdisjoint(saved_pks):
        changed: frozenset[int] = frozenset()  # no question depends on these
    else:
        changed = visible ^ visible_question_pks(criteria, saved.before)
    touched = saved_pks | changed
    sections = [
        _section_state(practice, saved.after, visible)
        for dimension in criteria.dimensions
        for practice in dimension.practices
        if any(q.pk in touched for q in practice.questions)
    ]
    return SaveReply(
        progress=progress_of(criteria, saved.after, visible),
        sections=sections,
        changed=[q for section in sections for q in section.questions if q.pk in changed],
    )


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
        )
    return result


def own_sheet(*, assessment_round: AssessmentRound, respondent) -> tuple[Response | None, Sheet]:
    """A respondent's response (None before the first save) and their answers laid over the
    round's questionnaire."""
    response = response_of(assessment_round=assessment_round, respondent=respondent)
    criteria = criteria_for(assessment_round.version)
    return response, sheet_build(criteria, stored_answers(response))


def response_of(*, assessment_round: AssessmentRound, respondent) -> Response | None:
    return Response.objects.filter(round=assessment_round, respondent=respondent).order_by().first()


@dataclass(frozen=True)
class AssessmentItem:
    """A round as one respondent sees it on the home page."""

    round: AssessmentRound
    status: str  # "not started", "in progress", "submitted"
    progress: Progress | None


def assessments_for(*, user) -> list[AssessmentItem]:
    """Rounds of the user's teams with the user's own progress, in three queries."""
    rounds = list(
        AssessmentRound.objects.for_respondent(user)
        .select_related("team", "version__questionnaire")
        .order_by("-status", "-opened_at")  # "open" sorts after "closed": open ones first
    )
    responses = {r.round_id: r for r in Response.objects.filter(respondent=user, round__in=rounds)}
    answers: dict[int, dict[int, StoredAnswer]] = {}
    rows = Answer.objects.filter(
        response__in=[r for r in responses.values() if not r.is_submitted]
    ).values_list("response__round_id", "question_id", "option_id", "comment")
    for round_pk, question_pk, option_pk, comment in rows:
        answers.setdefault(round_pk, {})[question_pk] = StoredAnswer(option_pk, comment)
    items = []
    for assessment_round in rounds:
        response = responses.get(assessment_round.pk)
        progress = None
        if response is not None and response.is_submitted:
            status = "submitted"
        elif not assessment_round.is_open:
            continue  # closed before this person submitted: nothing left to do
        else:
            status = "in progress" if response else "not started"
            criteria = criteria_for(assessment_round.version)
            stored = answers.get(assessment_round.pk, {})
            progress = progress_of(criteria, stored, visible_question_pks(criteria, stored))
        items.append(AssessmentItem(assessment_round, status, progress))
    return items
