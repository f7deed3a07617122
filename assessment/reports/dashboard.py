"""An organization's dashboard: each team's readiness against target and its practice
scores from its latest closed round with answers, read from the snapshots' small
``scores`` part. A team whose latest round is withheld from the reader (``privacy``)
shows its completion only; a team without a closed round, its open rounds' completion.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from ..models import Team
from .document import discipline_names
from .standing import LatestRound, OpenRound, TeamStanding, snapshots_of, standings

ASCENDING, DESCENDING = "asc", "desc"
OTHER_DIMENSION = "Other"


@dataclass(frozen=True)
class PracticeColumn:
    key: str
    name: str
    dimension: str
    disciplines: tuple[str, ...]  # those it counts for


@dataclass(frozen=True)
class ColumnGroup:
    """A dimension over the practice columns it holds."""

    name: str
    span: int


@dataclass(frozen=True)
class SortColumn:
    """A column the board sorts by, and the link that sorts by it."""

    key: str  # "name" or "discipline:<slug>"
    name: str
    direction: str | None  # "ascending" or "descending" while the board is sorted by it
    query: str  # the link's query string: this column, the other way round if sorted by it
    next_order: str

    @property
    def next_words(self) -> str:
        if self.key == "name":
            return "A to Z" if self.next_order == ASCENDING else "Z to A"
        return "lowest first" if self.next_order == ASCENDING else "highest first"


@dataclass(frozen=True)
class Mean:
    readiness: float | None
    respondents: int  # n, over the teams it averages
    teams: int


@dataclass(frozen=True)
class Dashboard:
    all_disciplines: tuple[tuple[str, str], ...]  # slug, name
    disciplines: tuple[tuple[str, str], ...]  # those shown
    dimensions: tuple[tuple[str, str], ...]
    practices: tuple[PracticeColumn, ...]
    groups: tuple[ColumnGroup, ...]
    rows: tuple[TeamStanding, ...]  # readiness per discipline shown, cells per practice column
    means: tuple[Mean, ...]  # organization mean readiness per discipline shown
    name_column: SortColumn
    discipline_columns: tuple[SortColumn, ...]
    sort: str
    order: str
    dimension: str
    discipline: str

    @property
    def sorted_by(self) -> SortColumn:
        return next(
            column
            for column in (self.name_column, *self.discipline_columns)
            if column.direction is not None
        )


def default_order(sort: str) -> str:
    return ASCENDING if sort == "name" else DESCENDING


def _mean(rows: list[TeamStanding], index: int) -> Mean:
    counted = [row for row in rows if row.scored and row.readiness[index].readiness is not None]
    if not counted:
        return Mean(None, 0, 0)
    total = sum(row.readiness[index].readiness for row in counted)
    respondents = sum(row.latest.respondents for row in counted)
    return Mean(total / len(counted), respondents, len(counted))


def _practice_columns(
    snapshots, dimensions: list[tuple[str, str]], dimension: str, discipline: str
) -> tuple[tuple[tuple[str, str], ...], str, tuple[PracticeColumn, ...], tuple[ColumnGroup, ...]]:
    """The dimensions present, the dimension filter ("" unless one of them), the practice
    columns the filters keep (in the dimensions' order) and the dimension groups over
    them."""
    practices: dict[str, PracticeColumn] = {}
    for snapshot in snapshots:
        for key in snapshot.scores["practice_order"]:
            practice = snapshot.scores["practices"][key]
            practices.setdefault(
                key,
                PracticeColumn(
                    key, practice["name"], practice["dimension"], tuple(practice["disciplines"])
                ),
            )
    used = {p.dimension for p in practices.values()}
    present = tuple((slug, name) for slug, name in dimensions if slug in used)
    order = {slug: index for index, (slug, _) in enumerate(present)}
    names = dict(present)
    if dimension not in names:
        dimension = ""
    kept = sorted(
        (
            p
            for p in practices.values()
            if (not dimension or p.dimension == dimension)
            and (not discipline or discipline in p.disciplines)
        ),
        key=lambda p: order.get(p.dimension, len(order)),
    )
    groups: list[ColumnGroup] = []
    for practice in kept:
        name = names.get(practice.dimension, OTHER_DIMENSION)
        if groups and groups[-1].name == name:
            groups[-1] = ColumnGroup(name, groups[-1].span + 1)
        else:
            groups.append(ColumnGroup(name, 1))
    return present, dimension, tuple(kept), tuple(groups)


def _sort_columns(
    shown: tuple[tuple[str, str], ...], sort: str, order: str, filters: dict[str, str]
) -> tuple[SortColumn, tuple[SortColumn, ...]]:
    def column(key: str, name: str) -> SortColumn:
        active = key == sort
        next_order = default_order(key)
        if active:
            next_order = DESCENDING if order == ASCENDING else ASCENDING
        query = urlencode({**filters, "sort": key, "order": next_order})
        direction = ("ascending" if order == ASCENDING else "descending") if active else None
        return SortColumn(key, name, direction, query, next_order)

    return column("name", "Team"), tuple(column(f"discipline:{slug}", name) for slug, name in shown)


def organization_dashboard(
    *,
    teams: list[Team],
    latest: dict[int, LatestRound],
    opened: dict[int, tuple[OpenRound, ...]],
    min_group_size: int,
    dimensions: list[tuple[str, str]],
    sort: str = "name",
    order: str = "",
    dimension: str = "",
    discipline: str = "",
) -> Dashboard:
    """Teams x practices from each team's latest closed round (``standing.latest_rounds``),
    laid out on the comparison's ``dimensions`` (slug, name) in their current order, sorted
    by name or by readiness in a discipline, either way. One query: the snapshots."""
    snapshots = snapshots_of(latest)
    visible = [
        snapshots[entry.snapshot_pk]
        for entry in latest.values()
        if entry.withheld(min_group_size) is None and entry.snapshot_pk in snapshots
    ]
    names: dict[str, str] = {}
    for snapshot in visible:
        names.update(discipline_names(snapshot.scores["labels"]))
    if discipline not in names:
        discipline = ""
    present, dimension, columns, groups = _practice_columns(
        visible, dimensions, dimension, discipline
    )
    shown = tuple(
        (slug, name) for slug, name in names.items() if not discipline or slug == discipline
    )
    rows = standings(
        teams=teams,
        latest=latest,
        snapshots=snapshots,
        opened=opened,
        disciplines=shown,
        practices=tuple(p.key for p in columns),
    )
    keys = {"name"} | {f"discipline:{slug}" for slug, _ in shown}
    if sort not in keys:
        sort = "name"
    if order not in (ASCENDING, DESCENDING):
        order = default_order(sort)
    if sort == "name":
        rows.sort(key=lambda row: row.team.name.lower(), reverse=order == DESCENDING)
    else:
        index = [f"discipline:{slug}" for slug, _ in shown].index(sort)
        sign = -1 if order == DESCENDING else 1

        def by_readiness(row: TeamStanding) -> tuple:
            value = row.readiness[index].readiness if row.scored else None
            # Teams without a figure come last either way, by name.
            return (value is None, sign * (value or 0), row.team.name.lower())

        rows.sort(key=by_readiness)
    filters = {
        name: value
        for name, value in (("dimension", dimension), ("discipline", discipline))
        if value
    }
    name_column, discipline_columns = _sort_columns(shown, sort, order, filters)
    return Dashboard(
        all_disciplines=tuple(names.items()),
        disciplines=shown,
        dimensions=present,
        practices=columns,
        groups=groups,
        rows=tuple(rows),
        means=tuple(_mean(rows, index) for index in range(len(shown))),
        name_column=name_column,
        discipline_columns=discipline_columns,
        sort=sort,
        order=order,
        dimension=dimension,
        discipline=discipline,
    )


def board_state(
    *,
    teams: list[Team],
    latest: dict[int, LatestRound],
    opened: dict[int, tuple[OpenRound, ...]],
    min_group_size: int,
) -> tuple:
    """What the board shows of each team, for its cache key: the team, its latest round
    and whether its scores are withheld from this reader, and its open rounds'
    completion. Readers who may see the same share one rendering."""
    return tuple(
        (
            team.pk,
            team.name,
            None
            if (entry := latest.get(team.pk)) is None
            else (
                entry.snapshot_pk,
                entry.title,
                entry.respondents,
                entry.withheld(min_group_size),
            ),
            opened.get(team.pk, ()),
        )
        for team in teams
    )
