"""A team's trend: readiness over its closed rounds, and each practice's change."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import ReportSnapshot, Team
from . import charts
from .document import discipline_names


@dataclass(frozen=True)
class PracticeChange:
    name: str
    previous: float | None
    latest: float | None

    @property
    def change(self) -> float | None:
        if self.previous is None or self.latest is None:
            return None
        return self.latest - self.previous


@dataclass(frozen=True)
class Trend:
    rounds: tuple[str, ...]
    chart: charts.LineChart
    table: tuple[tuple[str, tuple[float | None, ...]], ...]  # discipline, readiness per round
    changes: tuple[PracticeChange, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    latest_title: str
    previous_title: str | None


def team_trend(*, team: Team) -> Trend | None:
    """Readiness over the team's closed rounds, and each practice's change since the last.

    Practices are matched by stable key, so rounds on different questionnaire versions
    still compare; practices found on one side only are listed as added or removed.
    """
    snapshots = list(
        ReportSnapshot.objects.filter(round__team=team)
        .order_by("round__closed_at", "round_id")
        .values_list("round__title", "scores")
    )
    if not snapshots:
        return None
    titles = tuple(title for title, _ in snapshots)
    names: dict[str, str] = {}
    for _, scores in snapshots:
        names.update(discipline_names(scores["labels"]))
    table = tuple(
        (
            name,
            tuple(scores["disciplines"].get(slug, {}).get("readiness") for _, scores in snapshots),
        )
        for slug, name in names.items()
    )
    latest_scores = snapshots[-1][1]
    latest = latest_scores["practices"]
    previous_scores = snapshots[-2][1] if len(snapshots) > 1 else None
    changes, added, removed = (), (), ()
    if previous_scores is not None:
        previous = previous_scores["practices"]
        changes = tuple(
            PracticeChange(latest[key]["name"], previous[key]["score"], latest[key]["score"])
            for key in latest_scores["practice_order"]
            if key in previous
        )
        added = tuple(
            latest[key]["name"] for key in latest_scores["practice_order"] if key not in previous
        )
        removed = tuple(
            previous[key]["name"] for key in previous_scores["practice_order"] if key not in latest
        )
    return Trend(
        rounds=titles,
        chart=charts.line_chart(titles, table),
        table=table,
        changes=changes,
        added=added,
        removed=removed,
        latest_title=titles[-1],
        previous_title=titles[-2] if len(titles) > 1 else None,
    )
