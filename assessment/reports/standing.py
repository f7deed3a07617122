"""Where teams stand, for a reader: each team's latest closed round (and whether its scores
are withheld from the reader, ``privacy``), its readiness against target, and the
completion of its open rounds. Read by the organization's dashboard and the managers' home
page in the same few queries whatever the number of teams.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from ..models import AssessmentRound, ReportSnapshot, Response, Team
from . import charts, privacy
from .document import discipline_names


@dataclass(frozen=True)
class LatestRound:
    """A team's latest closed round with answers, as one reader finds it."""

    snapshot_pk: int
    round_pk: int
    title: str
    respondents: int
    reader_submitted: bool

    def withheld(self, min_group_size: int) -> str | None:
        """Why its scores are withheld from the reader (``privacy.TOO_FEW``), or None."""
        return privacy.withheld(
            is_open=False,
            respondents=self.respondents,
            reader_submitted=self.reader_submitted,
            min_group_size=min_group_size,
        )


def latest_rounds(teams: list[Team], reader) -> dict[int, LatestRound]:
    """Team pk -> its latest closed round with answers, and whether ``reader`` submitted a
    response to it, in one query that reads the snapshots' index, not their documents. A
    round closed with no responses says nothing about the team: it is passed over."""
    submitted = Response.objects.filter(
        round=OuterRef("round"), respondent=reader, status=Response.Status.SUBMITTED
    )
    listed = (
        ReportSnapshot.objects.filter(round__team__in=teams, respondents__gt=0)
        .annotate(reader_submitted=Exists(submitted))
        .order_by("round__team_id", "-round__closed_at", "-round_id")
        .values_list(
            "round__team_id", "pk", "round_id", "round__title", "respondents", "reader_submitted"
        )
    )
    latest: dict[int, LatestRound] = {}
    for team_pk, *entry in listed:
        latest.setdefault(team_pk, LatestRound(*entry))
    return latest


@dataclass(frozen=True)
class OpenRound:
    """An open round and its completion: never scores (``privacy.STILL_OPEN``)."""

    round_pk: int
    title: str
    submitted: int
    members: int


def open_rounds(teams: list[Team]) -> dict[int, tuple[OpenRound, ...]]:
    """Team pk -> its open rounds, newest first, each with how many of its counted members
    (``with_counted_members``) submitted, in one query."""
    submitted = (
        Response.objects.filter(round=OuterRef("pk"), status=Response.Status.SUBMITTED)
        .order_by()
        .values("round")
        .annotate(count=Count("pk"))
        .values("count")
    )
    listed = (
        AssessmentRound.objects.filter(team__in=teams, status=AssessmentRound.Status.OPEN)
        .with_counted_members()
        .annotate(submitted=Coalesce(Subquery(submitted), 0))
        .order_by("team_id", "-opened_at", "-pk")
        .values_list("team_id", "pk", "title", "submitted", "counted_members")
    )
    opened: dict[int, list[OpenRound]] = {}
    for team_pk, *entry in listed:
        opened.setdefault(team_pk, []).append(OpenRound(*entry))
    return {team_pk: tuple(entries) for team_pk, entries in opened.items()}


@dataclass(frozen=True)
class Snapshot:
    """What a board reads of a latest round's snapshot."""

    members: int
    scores: dict[str, Any]


def snapshots_of(latest: dict[int, LatestRound]) -> dict[int, Snapshot]:
    """Snapshot pk -> its member count and small ``scores`` part, in one query."""
    listed = ReportSnapshot.objects.filter(
        pk__in=[entry.snapshot_pk for entry in latest.values()]
    ).values_list("pk", "members", "scores")
    return {pk: Snapshot(members, scores) for pk, members, scores in listed}


@dataclass(frozen=True)
class Readiness:
    """Readiness in one discipline against its target."""

    discipline: str  # its name
    readiness: float | None
    target: float | None

    @property
    def band(self) -> str:
        return charts.band(self.readiness, self.target)


def readiness_of(
    scores: dict[str, Any], disciplines: tuple[tuple[str, str], ...]
) -> tuple[Readiness, ...]:
    """Readiness and target in each of ``disciplines`` (slug, name) from a snapshot's
    scores."""
    figures = scores.get("disciplines", {})
    return tuple(
        Readiness(name, figures.get(slug, {}).get("readiness"), figures.get(slug, {}).get("target"))
        for slug, name in disciplines
    )


@dataclass(frozen=True)
class HeatCell:
    score: float | None
    heat: str


@dataclass(frozen=True)
class TeamStanding:
    """A team as a reader finds it: its latest closed round, its readiness against target
    there (none while withheld from the reader), and its open rounds' completion; on the
    dashboard, its practice scores too."""

    team: Team
    latest: LatestRound | None
    members: int | None  # when the latest round closed
    withheld: str | None  # privacy.TOO_FEW, or None
    readiness: tuple[Readiness, ...]  # per discipline; empty while withheld
    open_rounds: tuple[OpenRound, ...]
    cells: tuple[HeatCell, ...] = ()  # per practice column asked for; empty while withheld

    @property
    def scored(self) -> bool:
        return self.latest is not None and self.withheld is None


def standings(
    *,
    teams: list[Team],
    latest: dict[int, LatestRound],
    snapshots: dict[int, Snapshot],
    opened: dict[int, tuple[OpenRound, ...]],
    disciplines: tuple[tuple[str, str], ...] | None = None,
    practices: tuple[str, ...] = (),
) -> list[TeamStanding]:
    """Each team's standing from what ``latest_rounds``, ``snapshots_of`` and
    ``open_rounds`` read: readiness in ``disciplines`` (slug, name; by default those of
    the team's own snapshot) and the scores of ``practices`` (keys), unless withheld.
    Teams need their organization loaded (its minimum group size)."""
    result = []
    for team in teams:
        entry = latest.get(team.pk)
        withheld = entry.withheld(team.organization.min_group_size) if entry else None
        snapshot = snapshots.get(entry.snapshot_pk) if entry else None
        scores = snapshot.scores if snapshot is not None and withheld is None else None
        readiness: tuple[Readiness, ...] = ()
        cells: tuple[HeatCell, ...] = ()
        if scores is not None:
            columns = (
                disciplines
                if disciplines is not None
                else tuple(discipline_names(scores["labels"]).items())
            )
            readiness = readiness_of(scores, columns)
            cells = tuple(
                HeatCell(score, charts.heat(score))
                for score in (scores["practices"].get(key, {}).get("score") for key in practices)
            )
        result.append(
            TeamStanding(
                team=team,
                latest=entry,
                members=snapshot.members if snapshot else None,
                withheld=withheld,
                readiness=readiness,
                open_rounds=opened.get(team.pk, ()),
                cells=cells,
            )
        )
    return result


def team_standings(*, teams: list[Team], reader) -> list[TeamStanding]:
    """Each team's latest readiness where the reader may see it, and its open rounds, in
    three queries. Teams need their organization loaded (its minimum group size)."""
    if not teams:
        return []
    latest = latest_rounds(teams, reader)
    return standings(
        teams=teams, latest=latest, snapshots=snapshots_of(latest), opened=open_rounds(teams)
    )
