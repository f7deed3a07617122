"""Criteria as the engine and the pages read them: a version's rows loaded once.

``criteria_for`` gives a version's questions, options and the scoring engine's input,
narrowed to a round's scope (``round_criteria``): only what applies to the round's kind of
system, with the targets of its risk tier. A published version never changes, so each
process keeps the last few it loaded, whole and per scope (frozen dataclasses, nothing
rendered); a draft is loaded anew on every call.

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
from ..models import (
    AssessmentRound,
    Option,
    Practice,
    PracticeWeight,
    Question,
    QuestionnaireVersion,
)


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
    traces_to: tuple[str, ...] = ()  # "framework:reference", where the question comes from
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
    change once the version is published; narrowed to ``scope`` (everything applies when
    its kind is None)."""

    version_pk: int
    content_hash: str
    engine: scoring.Criteria
    practices: tuple[PracticeView, ...]  # questionnaire order
    options_by_pk: dict[int, tuple[int, OptionView]]  # option pk -> (question pk, option)
    question_keys: dict[int, str]
    option_keys: dict[int, str]
    conditions: frozenset[int]  # questions that decide whether another one is shown
    scope: scoring.Scope = scoring.Scope()

    def in_scope(self, scope: scoring.Scope) -> VersionCriteria:
        """These criteria for a round of ``scope`` (see ``scoring.Criteria.in_scope``)."""
        engine = self.engine.in_scope(scope)
        asked = {question.key for question in engine.questions}
        questions = {pk for pk, key in self.question_keys.items() if key in asked}
        practices = tuple(
            dataclasses.replace(p, questions=tuple(q for q in p.questions if q.pk in questions))
            for p in self.practices
            if any(q.pk in questions for q in p.questions)
        )
        options = {pk: owner for pk, owner in self.options_by_pk.items() if owner[0] in questions}
        return VersionCriteria(
            version_pk=self.version_pk,
            content_hash=self.content_hash,
            engine=engine,
            practices=practices,
            options_by_pk=options,
            question_keys={pk: key for pk, key in self.question_keys.items() if pk in questions},
            option_keys={pk: key for pk, key in self.option_keys.items() if pk in options},
            conditions=self.conditions & questions,
            scope=scope,
        )


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


def criteria_for(
    version: QuestionnaireVersion, scope: scoring.Scope | None = None
) -> VersionCriteria:
    """The criteria of a version, narrowed to ``scope`` when one is given. The key of a
    published one includes its content hash and publication time, so a restored database
    that reuses a primary key is never served another version's rows."""
    scope = scope or scoring.Scope()
    if version.is_draft:
        # Whole without a scope, as a published version's are below (the admin's preview).
        criteria = load_criteria(version)
        return criteria if scope == scoring.Scope() else criteria.in_scope(scope)
    return _published_criteria(
        version.pk, version.content_hash, version.published_at, scope.kind, scope.tier
    )


def round_criteria(assessment_round: AssessmentRound) -> VersionCriteria:
    """The criteria a round is answered and scored on: its version, narrowed to its scope."""
    return criteria_for(assessment_round.version, scoring.Scope(*assessment_round.scope))


@lru_cache(maxsize=64)
def _published_criteria(
    version_pk: int,
    content_hash: str,
    published_at: datetime.datetime | None,
    kind: str | None,
    tier: str | None,
) -> VersionCriteria:
    if kind is None and tier is None:
        return load_criteria(QuestionnaireVersion.objects.get(pk=version_pk))
    whole = _published_criteria(version_pk, content_hash, published_at, None, None)
    return whole.in_scope(scoring.Scope(kind, tier))


def load_criteria(version: QuestionnaireVersion) -> VersionCriteria:
    """Five queries, whatever the size of the questionnaire. Raises ValueError or KeyError
    for criteria the engine refuses (publishing reports them)."""
    version_pk = version.pk
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
                applies_to=p.applies_to,
                tier_targets={
                    w.discipline.slug: w.tier_targets
                    for w in weights
                    if w.practice_id == p.pk and w.tier_targets
                },
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
                applies_to=q.applies_to,
            )
            for q in questions
        ),
        rule=version.readiness_rule,
        kinds=tuple(kind["key"] for kind in version.kinds),
        tiers=tuple(tier["key"] for tier in version.tiers),
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
                traces_to=tuple(q.traces_to),
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
