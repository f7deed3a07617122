"""The report page's view of a report document: names, bands, chart geometry, the summary.

Everything here reads the document only (a closed round's snapshot), so a closed report
looks the same however the criteria change later. Documents of format
``readiness-report/1`` (before scopes, the coverage floor and evidence) still render:
what they lack is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime

from . import charts
from .document import discipline_names

# Names of the five steps of the options' scale (docs/scoring.md): how a practice is done,
# not the maturity levels of any published MLOps model.
LEVEL_NAMES = ("Not in place", "Ad hoc", "Partial", "Established", "Embedded")
SUMMARY_STEPS = 3


def level_name(level: int | None) -> str:
    return LEVEL_NAMES[level] if level is not None else "No data"


@dataclass(frozen=True)
class Headline:
    """Readiness in one discipline."""

    slug: str
    name: str
    readiness: float | None  # None: nothing scored, or not enough answers
    target: float | None
    level: int | None
    target_level: int | None
    band: str
    coverage: float | None
    missing: tuple[str, ...]  # practices that count but have no score
    weakest_links: tuple[tuple[str, float], ...]  # (practice, score)
    unknowns: int

    @property
    def level_name(self) -> str:
        return level_name(self.level)

    @property
    def target_level_name(self) -> str:
        return level_name(self.target_level)

    @property
    def not_enough(self) -> bool:
        """Answers arrived, but too few of the discipline's weight is answered to score."""
        return self.readiness is None and self.coverage is not None


@dataclass(frozen=True)
class Cell:
    discipline: str
    score: float | None
    target: float | None
    band: str
    not_enough: bool  # its practices were asked, but too little was answered


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
class Gain:
    """What reaching its target in one discipline would do."""

    discipline: str
    lift: float
    score: float
    target: float
    rank: int


@dataclass(frozen=True)
class Step:
    """A next step: a practice below target, once, with its gain in each discipline."""

    practice: str
    dimension: str
    gains: tuple[Gain, ...]
    advice: tuple[dict[str, Any], ...]
    comments: tuple[str, ...]

    @property
    def total(self) -> float:
        return sum(gain.lift for gain in self.gains)


@dataclass(frozen=True)
class Unknown:
    number: int
    text: str
    dont_know: int
    visible_to: int

    @property
    def share(self) -> float:
        return self.dont_know / self.visible_to if self.visible_to else 0.0


@dataclass(frozen=True)
class PracticeRow:
    name: str
    dimension: str
    score: float | None
    coverage: float | None
    scored_answers: int | None
    evidenced: int | None
    weakest_link: bool


@dataclass(frozen=True)
class Distribution:
    number: int
    text: str
    contested: bool
    spread: float | None
    options: tuple[tuple[str, int, float], ...]  # label, count, share of the answers
    traces_to: tuple[str, ...]


@dataclass(frozen=True)
class ReportView:
    document: dict[str, Any]
    scope: dict[str, str] | None  # None: a round from before scopes
    respondents: int
    members: int
    floor: float | None  # None: a report from before the coverage floor
    headlines: tuple[Headline, ...]
    comparison: tuple[ComparisonRow, ...]
    discipline_names: tuple[str, ...]
    charts: tuple[DisciplineChart, ...]
    steps: tuple[Step, ...]  # the largest total gain first
    unknowns: tuple[Unknown, ...]
    practices: tuple[PracticeRow, ...]
    contested: tuple[Distribution, ...]
    distributions: tuple[Distribution, ...]
    computed_at: datetime

    @property
    def summary_steps(self) -> tuple[Step, ...]:
        return self.steps[:SUMMARY_STEPS]

    @property
    def weakest_links(self) -> tuple[tuple[str, str, float], ...]:
        """(discipline, practice, score) across disciplines."""
        return tuple(
            (h.name, practice, score) for h in self.headlines for practice, score in h.weakest_links
        )

    @property
    def example(self) -> Headline | None:
        """A discipline with a readiness, to explain the numbers with."""
        return next((h for h in self.headlines if h.readiness is not None), None)

    @property
    def example_step(self) -> Step | None:
        return self.steps[0] if self.steps else None


def report_view(document: dict[str, Any]) -> ReportView:
    """Shape a report document for the page."""
    report = document["report"]
    labels = document["labels"]
    disciplines = discipline_names(labels)
    practice_names = {p["key"]: p["name"] for p in report["practices"]}
    practice_scores = {p["key"]: p["score"] for p in report["practices"]}
    dimension_names = {entry["slug"]: entry["name"] for entry in labels["dimensions"]}
    # The engine lists disciplines in its own order; the page in the order of the labels.
    results = {d["discipline"]: d for d in report["disciplines"]}
    headlines = tuple(
        _headline(slug, name, results[slug], practice_names, practice_scores)
        for slug, name in disciplines.items()
    )
    return ReportView(
        document=document,
        scope=document.get("scope"),
        respondents=document["respondents"],
        members=document["members"],
        floor=report.get("floor"),
        headlines=headlines,
        comparison=_comparison(report, labels, disciplines),
        discipline_names=tuple(disciplines.values()),
        charts=tuple(
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
        ),
        steps=_steps(report, labels, disciplines, dimension_names),
        unknowns=tuple(
            Unknown(
                number=labels["questions"][q["key"]]["number"],
                text=labels["questions"][q["key"]]["text"],
                dont_know=q["dont_know"],
                visible_to=q["visible_to"],
            )
            for key in report.get("unknowns", ())
            for q in report["questions"]
            if q["key"] == key
        ),
        practices=tuple(
            PracticeRow(
                name=p["name"],
                dimension=dimension_names.get(p["dimension"], p["dimension"]),
                score=p["score"],
                coverage=p.get("coverage"),
                scored_answers=p.get("scored_answers"),
                evidenced=p.get("evidenced"),
                weakest_link=any(pd.get("weakest_link") for pd in p["disciplines"]),
            )
            for p in report["practices"]
        ),
        contested=tuple(d for d in _distributions(report, labels) if d.contested),
        distributions=_distributions(report, labels),
        computed_at=parse_datetime(document["computed_at"]),
    )


def _headline(
    slug: str,
    name: str,
    result: dict[str, Any],
    practice_names: dict[str, str],
    practice_scores: dict[str, float | None],
) -> Headline:
    return Headline(
        slug=slug,
        name=name,
        readiness=result["readiness"],
        target=result["target"],
        level=result["level"],
        target_level=result["target_level"],
        band=charts.band(result["readiness"], result["target"]),
        coverage=result.get("coverage"),
        missing=tuple(practice_names[key] for key in result.get("missing", ())),
        weakest_links=tuple(
            (practice_names[key], practice_scores[key]) for key in result.get("weakest_links", ())
        ),
        unknowns=result.get("unknowns", 0),
    )


def _comparison(
    report: dict[str, Any], labels: dict[str, Any], disciplines: dict[str, str]
) -> tuple[ComparisonRow, ...]:
    order = {slug: i for i, slug in enumerate(disciplines)}
    cells: dict[str, list[Cell]] = {}
    for cell in sorted(report["cells"], key=lambda cell: order[cell["discipline"]]):
        cells.setdefault(cell["dimension"], []).append(
            Cell(
                discipline=disciplines[cell["discipline"]],
                score=cell["score"],
                target=cell["target"],
                band=charts.band(cell["score"], cell["target"]),
                not_enough=cell["score"] is None and cell.get("coverage") is not None,
            )
        )
    return tuple(
        ComparisonRow(dimension=entry["name"], cells=tuple(cells.get(entry["slug"], ())))
        for entry in labels["dimensions"]
    )


def _steps(
    report: dict[str, Any],
    labels: dict[str, Any],
    disciplines: dict[str, str],
    dimension_names: dict[str, str],
) -> tuple[Step, ...]:
    """The priorities of every discipline merged: a practice that raises two disciplines is
    one step with a gain in each, ranked by its total gain (then its best rank)."""
    ranked = dict(zip((d["discipline"] for d in report["disciplines"]), report["priorities"],
                      strict=True))  # fmt: skip
    steps: dict[str, dict[str, Any]] = {}
    for slug, name in disciplines.items():
        for p in ranked.get(slug, ()):
            step = steps.setdefault(
                p["practice"],
                {
                    "practice": p["name"],
                    "dimension": dimension_names.get(p["dimension"], p["dimension"]),
                    "gains": [],
                    "advice": tuple(
                        {**a, "number": labels["questions"][a["question"]]["number"]}
                        for a in p["advice"]
                    ),
                    "comments": tuple(p["comments"]),
                },
            )
            step["gains"].append(Gain(name, p["lift"], p["score"], p["target"], p["rank"]))
    merged = [Step(**{**step, "gains": tuple(step["gains"])}) for step in steps.values()]
    return tuple(sorted(merged, key=lambda s: (-round(s.total, 12), min(g.rank for g in s.gains))))


def _distributions(report: dict[str, Any], labels: dict[str, Any]) -> tuple[Distribution, ...]:
    return tuple(
        sorted(
            (_distribution(q, labels["questions"]) for q in report["questions"]),
            key=lambda d: d.number,
        )
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
        traces_to=tuple(label.get("traces_to", ())),
    )
