"""A team's trend: readiness over its closed rounds, and each practice's change.

Only rounds whose report the reader may see count (``privacy``): a round closed with too
few responses is listed as skipped, never drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import ReportSnapshot, Response, Team
from . import charts, numbers, privacy
from .document import discipline_names


@dataclass(frozen=True)
class PracticeChange:
    name: str
    previous: float | None
    latest: float | None

    @property
    def change(self) -> int | None:
        """The change in whole points, from the rounded percentages the trend shows, so
        that "63% to 63%" is never a change."""
        if self.previous is None or self.latest is None:
            return None
        return numbers.rounded_percent(self.latest) - numbers.rounded_percent(self.previous)


@dataclass(frozen=True)
class DisciplineTrend:
    name: str
    readiness: tuple[float | None, ...]  # per round
    target: float | None  # in the latest round


@dataclass(frozen=True)
class Trend:
    rounds: tuple[str, ...]
    respondents: tuple[int, ...]  # n per round
    chart: charts.LineChart
    table: tuple[DisciplineTrend, ...]
    changes: tuple[PracticeChange, ...]  # the largest change first
    added: tuple[str, ...]
    removed: tuple[str, ...]
    skipped: tuple[str, ...]  # closed rounds without a report: too few responses
    latest_title: str
    previous_title: str | None


def team_trend(*, team: Team, reader) -> Trend | None:
    """Readiness over the team's closed rounds the reader may see, and each practice's
    change since the one before; None when there is no such round. Two queries.

    Practices are matched by stable key, so rounds on different questionnaire versions
    still compare; practices found on one side only are listed as added or removed.
    """
    listed = list(
        ReportSnapshot.objects.filter(round__team=team)
        .order_by("round__closed_at", "round_id")
        .values_list("round_id", "round__title", "respondents", "scores")
    )
    answered = set(
        Response.objects.filter(
            round__team=team, respondent=reader, status=Response.Status.SUBMITTED
        ).values_list("round_id", flat=True)
    )
    minimum = team.organization.min_group_size
    snapshots, skipped = [], []
    for round_pk, title, respondents, scores in listed:
        reason = privacy.withheld(
            is_open=False,
            respondents=respondents,
            reader_submitted=round_pk in answered,
            min_group_size=minimum,
        )
        if reason:
            skipped.append(title)
        else:
            snapshots.append((title, respondents, scores))
    if not snapshots:
        return None
    titles = tuple(title for title, _, _ in snapshots)
    names: dict[str, str] = {}
    for _, _, scores in snapshots:
        names.update(discipline_names(scores["labels"]))
    latest_scores = snapshots[-1][2]
    table = tuple(
        DisciplineTrend(
            name,
            tuple(s["disciplines"].get(slug, {}).get("readiness") for _, _, s in snapshots),
            latest_scores["disciplines"].get(slug, {}).get("target"),
        )
        for slug, name in names.items()
    )
    respondents = tuple(n for _, n, _ in snapshots)
    latest = latest_scores["practices"]
    previous_scores = snapshots[-2][2] if len(snapshots) > 1 else None
    changes: tuple[PracticeChange, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    if previous_scores is not None:
        previous = previous_scores["practices"]
        changes = tuple(
            sorted(
                (
                    PracticeChange(
                        latest[key]["name"], previous[key]["score"], latest[key]["score"]
                    )
                    for key in latest_scores["practice_order"]
                    if key in previous
                ),
                key=lambda change: -abs(change.change or 0),
            )
        )
        added = tuple(
            latest[key]["name"] for key in latest_scores["practice_order"] if key not in previous
        )
        removed = tuple(
            previous[key]["name"] for key in previous_scores["practice_order"] if key not in latest
        )
    return Trend(
        rounds=titles,
        respondents=respondents,
        chart=charts.line_chart(
            titles,
            [(row.name, row.readiness) for row in table],
            respondents,
            [row.target for row in table],
        ),
        table=table,
        changes=changes,
        added=added,
        removed=removed,
        skipped=tuple(skipped),
        latest_title=titles[-1],
        previous_title=titles[-2] if len(titles) > 1 else None,
    )
