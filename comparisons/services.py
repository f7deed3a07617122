"""Reads of the comparison model, shaped for the page and for reports."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Dimension, Discipline, Foundation, Source, Stance


@dataclass(frozen=True)
class ComparisonRow:
    dimension: Dimension
    cells: tuple[tuple[Discipline, Stance | None], ...]  # one per discipline, in order


@dataclass(frozen=True)
class ComparisonTable:
    disciplines: tuple[Discipline, ...]
    rows: tuple[ComparisonRow, ...]
    shared: tuple[Foundation, ...]
    added: tuple[Foundation, ...]
    sources: tuple[Source, ...]


def comparison_table() -> ComparisonTable:
    """The dimensions as rows and the disciplines as columns, in four queries."""
    disciplines = tuple(Discipline.objects.all())
    dimensions = tuple(Dimension.objects.all())
    stances = {
        (stance.dimension_id, stance.discipline_id): stance
        for stance in Stance.objects.select_related("source")
    }
    foundations = tuple(Foundation.objects.select_related("source"))
    rows = tuple(
        ComparisonRow(
            dimension=dimension,
            cells=tuple((d, stances.get((dimension.pk, d.pk))) for d in disciplines),
        )
        for dimension in dimensions
    )
    sources = {
        s.source.pk: s.source for s in (*stances.values(), *foundations) if s.source is not None
    }
    return ComparisonTable(
        disciplines=disciplines,
        rows=rows,
        shared=tuple(f for f in foundations if f.kind == Foundation.Kind.SHARED),
        added=tuple(f for f in foundations if f.kind == Foundation.Kind.ADDED),
        sources=tuple(sorted(sources.values(), key=lambda s: (s.published_on, s.title))),
    )
