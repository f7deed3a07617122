"""The admin's preview of a questionnaire version: the respond page's questions, read-only,
with the scoring the version implies (per practice, which disciplines it counts for, with
what weight, share of readiness and target, per risk tier when the version has tiers) and
where each part comes from (the practice's rationale, what each question traces to) and
which kinds of system it is asked of."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from .. import scoring
from ..answering import QuestionState, sheet_build
from ..criteria.crosswalk import trace_labels
from ..criteria.document import decimal
from ..criteria.loading import PracticeView, QuestionView, VersionCriteria, criteria_for, layout_for
from ..models import PracticeWeight, QuestionnaireVersion


@dataclass(frozen=True)
class Weighting:
    """How one practice counts for one discipline."""

    discipline: str
    weight: Decimal
    target: Decimal
    share: float  # of the discipline's readiness when every practice is scored
    tier_targets: tuple[Decimal, ...] = ()  # the target for each tier of the version, in order

    @property
    def counts(self) -> bool:
        return self.weight > 0


@dataclass(frozen=True)
class PreviewItem:
    state: QuestionState
    condition: str  # when the question shows, for conditional questions
    asked_of: tuple[str, ...] = ()  # names of the kinds of system; empty: every kind
    traces: tuple[str, ...] = ()  # one label per framework it traces to


@dataclass(frozen=True)
class PreviewSection:
    practice: PracticeView
    weightings: tuple[Weighting, ...]
    items: tuple[PreviewItem, ...]
    rationale: str = ""
    asked_of: tuple[str, ...] = ()  # names of the kinds of system; empty: every kind


@dataclass(frozen=True)
class PreviewDimension:
    name: str
    sections: tuple[PreviewSection, ...]


def practice_weightings(version: QuestionnaireVersion) -> dict[int, tuple[Weighting, ...]]:
    rows = list(
        PracticeWeight.objects.filter(practice__version=version)
        .select_related("discipline")
        .order_by("discipline__order", "discipline__slug")
    )
    totals: dict[int, Decimal] = {}
    for row in rows:
        totals[row.discipline_id] = totals.get(row.discipline_id, Decimal(0)) + row.weight
    by_practice: dict[int, list[Weighting]] = {}
    for row in rows:
        total = totals[row.discipline_id]
        by_practice.setdefault(row.practice_id, []).append(
            Weighting(
                discipline=row.discipline.name,
                weight=row.weight,
                target=row.target,
                share=float(row.weight / total) if total else 0.0,
                tier_targets=tuple(
                    decimal(row.tier_targets[tier["key"]])
                    if tier["key"] in row.tier_targets
                    else row.target
                    for tier in version.tiers
                ),
            )
        )
    return {pk: tuple(weightings) for pk, weightings in by_practice.items()}


def condition_text(
    criteria: VersionCriteria, questions: dict[int, QuestionView], question: QuestionView
) -> str:
    if question.condition_pk is None:
        return ""
    condition = questions[question.condition_pk]
    engine_question = next(q for q in criteria.engine.questions if q.key == question.key)
    keys = engine_question.show_if.options if engine_question.show_if else frozenset()
    labels = [option.label for option in condition.options if option.key in keys]
    return f"Shown only when question {condition.number} is answered: {' or '.join(labels)}."


def kind_names(version: QuestionnaireVersion, kinds: frozenset[str] | None) -> tuple[str, ...]:
    """The names of ``kinds`` in the version's order; empty for every kind."""
    return tuple(kind["name"] for kind in version.kinds if kinds and kind["key"] in kinds)


def version_preview(version: QuestionnaireVersion) -> tuple[PreviewDimension, ...]:
    """The questionnaire as a respondent sees it before answering, with the scoring.

    Conditional questions are shown too (a respondent sees them once the condition holds),
    each with the condition that reveals it. Raises ValueError for a draft whose criteria
    the scoring engine cannot load; its problems say why.
    """
    criteria = criteria_for(version)
    layout = layout_for(criteria)
    sheet = sheet_build(criteria, layout, {})
    weightings = practice_weightings(version)
    rationales = dict(version.practices.values_list("pk", "rationale"))
    practices: dict[str, scoring.Practice] = {p.key: p for p in criteria.engine.practices}
    questions: dict[str, scoring.Question] = {q.key: q for q in criteria.engine.questions}
    return tuple(
        PreviewDimension(
            name=dimension.name,
            sections=tuple(
                PreviewSection(
                    practice=section.practice,
                    weightings=weightings.get(section.practice.pk, ()),
                    items=tuple(
                        PreviewItem(
                            state=dataclasses.replace(state, visible=True),
                            condition=condition_text(
                                criteria, layout.questions_by_pk, state.question
                            ),
                            # A question is asked where its practice is, unless it names
                            # fewer kinds itself.
                            asked_of=kind_names(
                                version,
                                questions[state.question.key].applies_to
                                or practices[section.practice.key].applies_to,
                            ),
                            traces=trace_labels(state.question.traces_to),
                        )
                        for state in section.questions
                    ),
                    rationale=rationales.get(section.practice.pk, ""),
                    asked_of=kind_names(version, practices[section.practice.key].applies_to),
                )
                for section in dimension.sections
            ),
        )
        for dimension in sheet.dimensions
    )
