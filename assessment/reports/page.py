"""The report page's view of a report document: names, bands, chart geometry.

Everything here reads the document only (a closed round's snapshot or an open round's live
document), so a closed report looks the same however the criteria change later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_datetime

from . import charts
from .document import discipline_names

LEVEL_NAMES = ("Initial", "Emerging", "Developing", "Established", "Leading")


@dataclass(frozen=True)
class Headline:
    slug: str
    name: str
    readiness: float | None
    target: float | None
    level: int | None
    target_level: int | None
    band: str

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level] if self.level is not None else "No data"


@dataclass(frozen=True)
class Cell:
    discipline: str
    score: float | None
    target: float | None
    band: str


@dataclass(frozen=True)
class ComparisonRow:
    dimension: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class DisciplineChart:
    slug: str
    name: str
    chart: charts.BarChart


@dataclass(frozen=True)
class Priority:
    rank: int
    practice: str
    dimension: str
    score: float
    target: float
    lift: float
    advice: tuple[dict[str, Any], ...]
    comments: tuple[str, ...]


@dataclass(frozen=True)
class PriorityList:
    slug: str
    name: str
    items: tuple[Priority, ...]


@dataclass(frozen=True)
class Distribution:
    number: int
    text: str
    contested: bool
    spread: float | None
    options: tuple[tuple[str, int, float], ...]  # label, count, share of the answers


@dataclass(frozen=True)
class ReportView:
    document: dict[str, Any]
    headlines: tuple[Headline, ...]
    comparison: tuple[ComparisonRow, ...]
    discipline_names: tuple[str, ...]
    charts: tuple[DisciplineChart, ...]
    priorities: tuple[PriorityList, ...]
    contested: tuple[Distribution, ...]
    distributions: tuple[Distribution, ...]
    show_distributions: bool
    min_responses: int
    computed_at: datetime

    @property
    def is_live(self) -> bool:
        return self.document["round"]["status"] == "open"


def report_view(document: dict[str, Any]) -> ReportView:
    """Shape a report document for the page: names, bands and chart geometry."""
    report = document["report"]
    labels = document["labels"]
    disciplines = discipline_names(labels)
    # The engine lists disciplines in its own order; the page in the order of the labels.
    results = {d["discipline"]: d for d in report["disciplines"]}
    ranked_for = dict(zip(results, report["priorities"], strict=True))
    headlines = tuple(
        Headline(
            slug=slug,
            name=name,
            readiness=results[slug]["readiness"],
            target=results[slug]["target"],
            level=results[slug]["level"],
            target_level=results[slug]["target_level"],
            band=charts.band(results[slug]["readiness"], results[slug]["target"]),
        )
        for slug, name in disciplines.items()
    )
    order = {slug: i for i, slug in enumerate(disciplines)}
    cells: dict[str, list[Cell]] = {}
    for cell in sorted(report["cells"], key=lambda cell: order[cell["discipline"]]):
        cells.setdefault(cell["dimension"], []).append(
            Cell(
                discipline=disciplines[cell["discipline"]],
                score=cell["score"],
                target=cell["target"],
                band=charts.band(cell["score"], cell["target"]),
            )
        )
    comparison = tuple(
        ComparisonRow(dimension=entry["name"], cells=tuple(cells.get(entry["slug"], ())))
        for entry in labels["dimensions"]
    )
    dimension_names = {entry["slug"]: entry["name"] for entry in labels["dimensions"]}
    bar_charts = tuple(
        DisciplineChart(
            slug=slug,
            name=name,
            chart=charts.bar_chart(
                [
                    (p["name"], p["score"], pd["target"])
                    for p in report["practices"]
                    for pd in p["disciplines"]
                    if pd["discipline"] == slug and pd["weight"] > 0
                ]
            ),
        )
        for slug, name in disciplines.items()
    )
    priorities = tuple(
        PriorityList(
            slug=slug,
            name=disciplines[slug],
            items=tuple(
                Priority(
                    rank=p["rank"],
                    practice=p["name"],
                    dimension=dimension_names.get(p["dimension"], p["dimension"]),
                    score=p["score"],
                    target=p["target"],
                    lift=p["lift"],
                    advice=tuple(
                        {**a, "number": labels["questions"][a["question"]]["number"]}
                        for a in p["advice"]
                    ),
                    comments=tuple(p["comments"]),
                )
                for p in ranked_for[slug]
            ),
        )
        for slug in disciplines
    )
    distributions = tuple(
        sorted(
            (_distribution(q, labels["questions"]) for q in report["questions"]),
            key=lambda d: d.number,
        )
    )
    return ReportView(
        document=document,
        headlines=headlines,
        comparison=comparison,
        discipline_names=tuple(disciplines.values()),
        charts=bar_charts,
        priorities=priorities,
        contested=tuple(d for d in distributions if d.contested),
        distributions=distributions,
        show_distributions=document["per_question_details"],
        min_responses=settings.READINESS_MIN_RESPONSES_FOR_DISTRIBUTION,
        computed_at=parse_datetime(document["computed_at"]),
    )


def _distribution(question: dict[str, Any], labels: dict[str, Any]) -> Distribution:
    label = labels[question["key"]]
    answered = sum(entry["count"] for entry in question["distribution"])
    return Distribution(
        number=label["number"],
        text=label["text"],
        contested=question["contested"],
        spread=question["spread"],
        options=tuple(
            (
                label["options"][entry["option"]],
                entry["count"],
                entry["count"] / answered if answered else 0.0,
            )
            for entry in question["distribution"]
        ),
    )
