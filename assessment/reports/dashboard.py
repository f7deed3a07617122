"""An organization's dashboard: each team's readiness and practice scores from its latest
closed round with answers, read from the snapshots' small ``scores`` part."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class LatestRound:
    """A team's latest closed round with answers."""

    snapshot_pk: int
    title: str
    respondents: int


def latest_rounds(teams: list[Team]) -> dict[int, LatestRound]:
    """Team pk -> its latest closed round with answers, in one query that reads the
    snapshots' index, not their documents. A round closed with no responses says nothing
    about the team: it is passed over."""
    listed = (
        ReportSnapshot.objects.filter(round__team__in=teams, respondents__gt=0)
        .order_by("round__team_id", "-round__closed_at", "-round_id")
        .values_list("round__team_id", "pk", "round__title", "respondents")
    )
    latest: dict[int, LatestRound] = {}
    for team_pk, pk, title, respondents in listed:
        latest.setdefault(team_pk, LatestRound(pk, title, respondents))
    return latest


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def organization_dashboard(
    *,
    teams: list[Team],
    latest: dict[int, LatestRound],
    dimensions: list[tuple[str, str]],
    sort: str = "name",
    dimension: str = "",
    discipline: str = "",
) -> Dashboard:
    """Teams x practices from each team's latest closed round (``latest_rounds``), laid out
    on the comparison's ``dimensions`` (slug, name) in their current order. One query: the
    snapshots' scores."""
    scores_of = dict(
        ReportSnapshot.objects.filter(
            pk__in=[entry.snapshot_pk for entry in latest.values()]
        ).values_list("pk", "scores")
    )
    scored = {
        team_pk: (entry.title, scores_of[entry.snapshot_pk]) for team_pk, entry in latest.items()
    }
    names: dict[str, str] = {}
    practices: dict[str, PracticeColumn] = {}
    for _, scores in scored.values():
        names.update(discipline_names(scores["labels"]))
        for key in scores["practice_order"]:
            practice = scores["practices"][key]
            practices.setdefault(
                key,
                PracticeColumn(
                    key, practice["name"], practice["dimension"], tuple(practice["disciplines"])
                ),
            )
    used = {p.dimension for p in practices.values()}
    all_dimensions = tuple((slug, name) for slug, name in dimensions if slug in used)
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
        title, scores = scored.get(team.pk, (None, {"disciplines": {}, "practices": {}}))
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
