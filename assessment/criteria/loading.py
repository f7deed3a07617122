"""Criteria as the engine and the pages read them: a version's rows loaded once.

``criteria_for`` gives a version's questions, options and the scoring engine's input. A
published version never changes, so each process keeps the last few it loaded (frozen
dataclasses, nothing rendered); a draft is loaded anew on every call.

What may change under a published version is the comparison it is laid out on: staff
rename and reorder dimensions in the admin. So names and order of dimensions are never
kept: ``layout_for`` reads them on every call and numbers the questions as the respond
page shows them (by dimension, then practice).
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from functools import lru_cache

from comparisons.models import Dimension

from .. import scoring
from ..models import Option, Practice, PracticeWeight, Question, QuestionnaireVersion


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
    options: tuple[OptionView, ...]
    condition_pk: int | None  # the question this one depends on
    number: int = 0  # 1-based position on the respond page, set by ``layout_for``


@dataclass(frozen=True)
class PracticeView:
    pk: int
    key: str
    name: str
    description: str
    dimension: str  # slug
    questions: tuple[QuestionView, ...]


@dataclass(frozen=True)
class VersionCriteria:
    """A version's criteria: the engine's input plus what pages need, nothing that can
    change once the version is published."""

    version_pk: int
    content_hash: str
    engine: scoring.Criteria
    practices: tuple[PracticeView, ...]  # questionnaire order
    options_by_pk: dict[int, tuple[int, OptionView]]  # option pk -> (question pk, option)
    question_keys: dict[int, str]
    option_keys: dict[int, str]
    conditions: frozenset[int]  # questions that decide whether another one is shown


@dataclass(frozen=True)
class DimensionView:
    slug: str
    name: str
    practices: tuple[PracticeView, ...]


@dataclass(frozen=True)
class Layout:
    """The criteria laid out on the comparison's dimensions as they are named today."""

    dimensions: tuple[DimensionView, ...]
    questions_by_pk: dict[int, QuestionView]  # numbered

    def practice(self, pk: int) -> PracticeView | None:
        return next((p for d in self.dimensions for p in d.practices if p.pk == pk), None)


def criteria_for(version: QuestionnaireVersion) -> VersionCriteria:
    """The criteria of a version. The key of a published one includes its content hash and
    publication time, so a restored database that reuses a primary key is never served
    another version's rows."""
    if version.is_draft:
        return load_criteria(version.pk)
    return _published_criteria(version.pk, version.content_hash, version.published_at)


@lru_cache(maxsize=32)
def _published_criteria(
    version_pk: int, content_hash: str, published_at: datetime.datetime | None
) -> VersionCriteria:
    return load_criteria(version_pk)


def load_criteria(version_pk: int) -> VersionCriteria:
    """Five queries, whatever the size of the questionnaire. Raises ValueError or KeyError
    for criteria the engine refuses (publishing reports them)."""
    version = QuestionnaireVersion.objects.get(pk=version_pk)
    practices = list(
        Practice.objects.filter(version_id=version_pk)
        .select_related("dimension")
        .order_by("order", "pk")
    )
    weights = list(
        PracticeWeight.objects.filter(practice__version_id=version_pk, weight__gt=0)
        .select_related("discipline")
        .order_by("discipline__slug")
    )
    questions = list(
        Question.objects.filter(version_id=version_pk)
        .prefetch_related("show_if_options")
        .order_by("practice__order", "practice_id", "order", "pk")
    )
    options = list(Option.objects.filter(question__version_id=version_pk).order_by("order", "pk"))

    options_by_question: dict[int, list[Option]] = {}
    for option in options:
        options_by_question.setdefault(option.question_id, []).append(option)
    question_keys = {q.pk: q.key for q in questions}
    practice_keys = {p.pk: p.key for p in practices}
    # By slug: the order staff give disciplines and dimensions can change, the engine's
    # input cannot. Pages show them in their current order (``layout_for``, the report's
    # labels).
    disciplines = sorted({w.discipline.slug for w in weights})
    dimensions = sorted({p.dimension.slug for p in practices})

    engine = scoring.Criteria(
        disciplines=tuple(disciplines),
        dimensions=tuple(dimensions),
        practices=tuple(
            scoring.Practice(
                key=p.key,
                name=p.name,
                dimension=p.dimension.slug,
                # Weight 0 means "not part of that discipline": such rows are left out.
                weights={w.discipline.slug: w.weight for w in weights if w.practice_id == p.pk},
                targets={w.discipline.slug: w.target for w in weights if w.practice_id == p.pk},
            )
            for p in practices
        ),
        questions=tuple(
            scoring.Question(
                key=q.key,
                practice=practice_keys[q.practice_id],
                text=q.text,
                weight=q.weight,
                required=q.required,
                options=tuple(
                    scoring.Option(
                        key=o.key,
                        label=o.label,
                        value=o.value,
                        advice=o.advice,
                        unscored=o.unscored,
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
        ),
        rule=version.readiness_rule,
    )

    option_views = {
        o.pk: OptionView(pk=o.pk, key=o.key, label=o.label, unscored=o.unscored) for o in options
    }
    questions_of: dict[int, list[QuestionView]] = {}
    for q in questions:
        questions_of.setdefault(q.practice_id, []).append(
            QuestionView(
                pk=q.pk,
                key=q.key,
                text=q.text,
                help_text=q.help_text,
                required=q.required,
                options=tuple(option_views[o.pk] for o in options_by_question.get(q.pk, [])),
                condition_pk=q.show_if_question_id,
            )
        )
    return VersionCriteria(
        version_pk=version_pk,
        content_hash=version.content_hash,
        engine=engine,
        practices=tuple(
            PracticeView(
                pk=p.pk,
                key=p.key,
                name=p.name,
                description=p.description,
                dimension=p.dimension.slug,
                questions=tuple(questions_of.get(p.pk, ())),
            )
            for p in practices
        ),
        options_by_pk={o.pk: (o.question_id, option_views[o.pk]) for o in options},
        question_keys=question_keys,
        option_keys={o.pk: o.key for o in options},
        conditions=frozenset(q.show_if_question_id for q in questions if q.show_if_question_id),
    )


def layout_for(criteria: VersionCriteria) -> Layout:
    """The criteria grouped by dimension, in the dimensions' current order and names, with
    questions numbered as shown. One query: dimension names are never kept."""
    used = {p.dimension for p in criteria.practices}
    dimensions = Dimension.objects.filter(slug__in=used).values_list("slug", "name")
    numbered: dict[int, QuestionView] = {}
    laid_out = []
    for slug, name in dimensions:
        practices = []
        for practice in criteria.practices:
            if practice.dimension != slug:
                continue
            questions = tuple(
                dataclasses.replace(q, number=len(numbered) + i)
                for i, q in enumerate(practice.questions, start=1)
            )
            numbered.update((q.pk, q) for q in questions)
            practices.append(dataclasses.replace(practice, questions=questions))
        laid_out.append(DimensionView(slug=slug, name=name, practices=tuple(practices)))
    return Layout(dimensions=tuple(laid_out), questions_by_pk=numbered)
