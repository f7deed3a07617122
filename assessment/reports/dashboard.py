"""An organization's dashboard: each team's readiness and practice scores from its latest
closed round with answers, read from the snapshots' small ``scores`` part."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from comparisons.models import Dimension

from ..models import ReportSnapshot, Team
from . import charts
from .document import discipline_names


@dataclass(frozen=True)
class HeatCell:
    score: float | None
    heat: str


@dataclass(frozen=True)
class TeamRow:
    team: Team
    round_title: str | None
    readiness: tuple[float | None, ...]  # per discipline column
    cells: tuple[HeatCell, ...]  # per practice column


@dataclass(frozen=True)
class PracticeColumn:
    key: str
    name: str
    dimension: str
    disciplines: tuple[str, ...]  # those it counts for


@dataclass(frozen=True)
class Dashboard:
    all_disciplines: tuple[tuple[str, str], ...]  # slug, name
    disciplines: tuple[tuple[str, str], ...]  # those shown
    dimensions: tuple[tuple[str, str], ...]
    practices: tuple[PracticeColumn, ...]
    rows: tuple[TeamRow, ...]
    means: tuple[float | None, ...]  # organization mean readiness per discipline
    sort: str
    dimension: str
    discipline: str


def latest_scores(teams: list[Team]) -> dict[int, tuple[str, dict[str, Any]]]:
    """Team pk -> (round title, snapshot scores) of its latest closed round with answers,
    in two queries. A round closed with no responses says nothing about the team: it is
    passed over."""
    listed = (
        ReportSnapshot.objects.filter(round__team__in=teams, respondents__gt=0)
        .order_by("round__team_id", "-round__closed_at", "-round_id")
        .values_list("pk", "round__team_id", "round__title")
    )
    chosen: dict[int, tuple[int, str]] = {}
    for pk, team_pk, title in listed:
        chosen.setdefault(team_pk, (pk, title))
    scores = dict(
        ReportSnapshot.objects.filter(pk__in=[pk for pk, _ in chosen.values()]).values_list(
            "pk", "scores"
        )
    )
    return {team_pk: (title, scores[pk]) for team_pk, (pk, title) in chosen.items()}


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def organization_dashboard(
    *, teams: list[Team], sort: str = "name", dimension: str = "", discipline: str = ""
) -> Dashboard:
    """Teams x practices from each team's latest closed round, in three queries."""
    latest = latest_scores(teams)
    names: dict[str, str] = {}
    practices: dict[str, PracticeColumn] = {}
    for _, scores in latest.values():
        names.update(discipline_names(scores["labels"]))
        for key in scores["practice_order"]:
            practice = scores["practices"][key]
            practices.setdefault(
                key,
                PracticeColumn(
                    key, practice["name"], practice["dimension"], tuple(practice["disciplines"])
                ),
            )
    all_dimensions = tuple(
        Dimension.objects.filter(slug__in={p.dimension for p in practices.values()}).values_list(
            "slug", "name"
        )
    )
    order = {slug: index for index, (slug, _) in enumerate(all_dimensions)}
    columns = tuple(
        sorted(
            (
                p
                for p in practices.values()
                if (not dimension or p.dimension == dimension)
                and (not discipline or discipline in p.disciplines)
            ),
            key=lambda p: order.get(p.dimension, len(order)),
        )
    )
    shown = tuple(
        (slug, name) for slug, name in names.items() if not discipline or slug == discipline
    )
    rows = []
    for team in teams:
        title, scores = latest.get(team.pk, (None, {"disciplines": {}, "practices": {}}))
        practice_scores, discipline_scores = scores["practices"], scores["disciplines"]
        rows.append(
            TeamRow(
                team=team,
                round_title=title,
                readiness=tuple(
                    discipline_scores.get(slug, {}).get("readiness") for slug, _ in shown
                ),
                cells=tuple(
                    HeatCell(score, charts.heat(score))
                    for score in (practice_scores.get(p.key, {}).get("score") for p in columns)
                ),
            )
        )
    if sort.startswith("discipline:") and shown:
        index = next((i for i, (slug, _) in enumerate(shown) if f"discipline:{slug}" == sort), 0)
        rows.sort(key=lambda row: (row.readiness[index] is None, -(row.readiness[index] or 0)))
    else:
        sort = "name"
    means = tuple(
        _mean([row.readiness[i] for row in rows if row.readiness[i] is not None])
        for i in range(len(shown))
    )
    return Dashboard(
        all_disciplines=tuple(names.items()),
        disciplines=shown,
        dimensions=all_dimensions,
        practices=columns,
        rows=tuple(rows),
        means=means,
        sort=sort,
        dimension=dimension,
        discipline=discipline,
    )
