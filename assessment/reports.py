"""Reports: a round's submitted answers scored by the engine, live or from a snapshot.

A report is one JSON document (``REPORT_FORMAT``, docs/report-format.md): the engine's
result plus every label a page needs, so a closed round's snapshot never depends on rows
that may change later (names of teams, disciplines or dimensions). Pages, the JSON export
and the CSV export are all built from that document.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import html
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, FloatField, Max, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe

from comparisons.models import Discipline

from . import charts, scoring
from .models import Answer, AssessmentRound, Membership, ReportSnapshot, Response, Team
from .services import AssessmentError, criteria_for
from .templatetags.readiness import pct

REPORT_FORMAT = "readiness-report/1"
LEVEL_NAMES = ("Initial", "Emerging", "Developing", "Established", "Leading")


def pseudonym(response_pk: int) -> str:
    """A stable name for a response that reveals neither the person nor the row id."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"response:{response_pk}".encode(), hashlib.sha256
    ).hexdigest()
    return f"R-{digest[:8]}"


# Building the document --------------------------------------------------------------------


def submissions_for(assessment_round: AssessmentRound) -> list[scoring.Submission]:
    """The submitted responses of a round as engine input, in two queries."""
    criteria = criteria_for(assessment_round.version)
    rows = (
        Answer.objects.filter(
            response__round=assessment_round, response__status=Response.Status.SUBMITTED
        )
        .order_by()  # the model's ordering would join five tables for nothing
        .values_list("response_id", "question_id", "option_id", "comment")
    )
    answers: dict[int, dict[str, str | None]] = {}
    comments: dict[int, dict[str, str]] = {}
    for response_pk, question_pk, option_pk, comment in rows:
        key = criteria.question_keys[question_pk]
        answers.setdefault(response_pk, {})[key] = (
            criteria.option_keys[option_pk] if option_pk is not None else None
        )
        if comment:
            comments.setdefault(response_pk, {})[key] = comment
    submitted = (
        Response.objects.filter(round=assessment_round, status=Response.Status.SUBMITTED)
        .order_by()
        .values_list("pk", flat=True)
    )
    return [
        scoring.Submission(
            respondent=pseudonym(pk), answers=answers.get(pk, {}), comments=comments.get(pk, {})
        )
        for pk in sorted(submitted)
    ]


def report_document(*, assessment_round: AssessmentRound) -> dict[str, Any]:
    """Score a round now and describe the result as a self-contained document."""
    version = assessment_round.version
    team = assessment_round.team
    criteria = criteria_for(version)
    submissions = submissions_for(assessment_round)
    report = scoring.score(criteria.engine, submissions)
    disciplines = dict(
        Discipline.objects.filter(slug__in=criteria.engine.disciplines).values_list("slug", "name")
    )
    questions = {q.key: q for q in criteria.questions_by_pk.values()}
    details = len(submissions) >= settings.READINESS_MIN_RESPONSES_FOR_DISTRIBUTION
    return {
        "format": REPORT_FORMAT,
        "team": {"name": team.name, "organization": team.organization.name},
        "round": {
            "title": assessment_round.title,
            "status": assessment_round.status,
            "opened_at": assessment_round.opened_at.isoformat(),
            "closed_at": assessment_round.closed_at.isoformat()
            if assessment_round.closed_at
            else None,
            "due_on": assessment_round.due_on.isoformat() if assessment_round.due_on else None,
        },
        "questionnaire": {
            "slug": version.questionnaire.slug,
            "name": version.questionnaire.name,
            "version": version.number,
            "content_hash": version.content_hash,
            "readiness_rule": version.readiness_rule,
        },
        "computed_at": timezone.now().isoformat(),
        "respondents": len(submissions),
        "members": team.memberships.count(),
        "labels": {
            # Lists, not objects: PostgreSQL's jsonb does not keep the order of keys.
            "disciplines": [
                {"slug": slug, "name": disciplines[slug]} for slug in criteria.engine.disciplines
            ],
            "dimensions": [{"slug": d.slug, "name": d.name} for d in criteria.dimensions],
            "questions": {
                key: {
                    "text": q.text,
                    "number": q.number,
                    "options": {o.key: o.label for o in q.options},
                }
                for key, q in questions.items()
            },
        },
        "per_question_details": details,
        "report": report.to_dict() if details else without_details(report.to_dict()),
    }


def without_details(report: dict[str, Any]) -> dict[str, Any]:
    """The report without what could point at a person while few have answered.

    Below the threshold (``READINESS_MIN_RESPONSES_FOR_DISTRIBUTION``) a manager who sees
    who submitted could match counts, spreads and comments to names, so those are left
    out everywhere: page, JSON and CSV. Scores and the advice texts stay.
    """
    for question in report["questions"]:
        question.update(distribution=[], comments=[], spread=None, contested=False)
    report["contested"] = []
    for priorities in report["priorities"]:
        for priority in priorities:
            priority["comments"] = []
            for advice in priority["advice"]:
                advice["count"] = None
    return report


def snapshot_scores(document: dict[str, Any]) -> dict[str, Any]:
    """The small part of a report that dashboards and trends read."""
    report = document["report"]
    return {
        "disciplines": {
            d["discipline"]: {"readiness": d["readiness"], "target": d["target"]}
            for d in report["disciplines"]
        },
        "practices": {
            p["key"]: {
                "name": p["name"],
                "dimension": p["dimension"],
                "score": p["score"],
                "disciplines": [d["discipline"] for d in p["disciplines"] if d["weight"] > 0],
            }
            for p in report["practices"]
        },
        # jsonb forgets the order of object keys, so the order is kept in lists.
        "practice_order": [p["key"] for p in report["practices"]],
        "labels": {"disciplines": document["labels"]["disciplines"]},
    }


def discipline_names(labels: dict[str, Any]) -> dict[str, str]:
    """Discipline slug -> name, in discipline order."""
    return {entry["slug"]: entry["name"] for entry in labels["disciplines"]}


@transaction.atomic
def snapshot_store(*, assessment_round: AssessmentRound) -> ReportSnapshot:
    """Freeze the report of a closed round so later edits never change it."""
    document = report_document(assessment_round=assessment_round)
    snapshot, _ = ReportSnapshot.objects.update_or_create(
        round=assessment_round,
        defaults={
            "report": document,
            "scores": snapshot_scores(document),
            "questionnaire_name": document["questionnaire"]["name"],
            "version_number": document["questionnaire"]["version"],
            "content_hash": document["questionnaire"]["content_hash"],
            "respondents": document["respondents"],
            "members": document["members"],
            "computed_at": parse_datetime(document["computed_at"]),
        },
    )
    return snapshot


def round_document(*, assessment_round: AssessmentRound) -> dict[str, Any]:
    """The snapshot of a closed round, or the live document of an open one."""
    if assessment_round.is_open:
        return report_document(assessment_round=assessment_round)
    return ReportSnapshot.objects.values_list("report", flat=True).get(round=assessment_round)


# The page's view of a document ------------------------------------------------------------


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
    headlines = tuple(
        Headline(
            slug=d["discipline"],
            name=disciplines[d["discipline"]],
            readiness=d["readiness"],
            target=d["target"],
            level=d["level"],
            target_level=d["target_level"],
            band=charts.band(d["readiness"], d["target"]),
        )
        for d in report["disciplines"]
    )
    cells: dict[str, list[Cell]] = {}
    for cell in report["cells"]:
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
                for p in ranked
            ),
        )
        for slug, ranked in zip(disciplines, report["priorities"], strict=True)
    )
    distributions = tuple(_distribution(q, labels["questions"]) for q in report["questions"])
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


# Exports ----------------------------------------------------------------------------------


class Echo:
    """A file-like object whose write returns the line, for streaming csv output."""

    def write(self, value: str) -> str:
        return value


def practice_rows(document: dict[str, Any]) -> Iterator[list[Any]]:
    """One CSV row per practice and discipline: score, target, gap, lift."""
    report = document["report"]
    disciplines = discipline_names(document["labels"])
    yield ["practice", "practice_name", "dimension", "discipline", "weight", "score",
           "target", "gap", "lift"]  # fmt: skip
    for practice in report["practices"]:
        for pd in practice["disciplines"]:
            if pd["weight"] <= 0 or pd["discipline"] not in disciplines:
                continue
            yield [
                practice["key"],
                practice["name"],
                practice["dimension"],
                pd["discipline"],
                pd["weight"],
                _csv_number(practice["score"]),
                _csv_number(pd["target"]),
                _csv_number(pd["gap"]),
                _csv_number(pd["lift"]),
            ]


def _csv_number(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def answers_export_check(*, assessment_round: AssessmentRound) -> None:
    """Answers leave the app only from a closed round with enough responses.

    While a round is open, two exports around one named person's submission would show
    which answers are theirs; below the threshold the completion page's names and a
    handful of rows could be matched. Raises AssessmentError otherwise.
    """
    minimum = settings.READINESS_MIN_RESPONSES_FOR_DISTRIBUTION
    if assessment_round.is_open:
        raise AssessmentError("The answers can be exported once the round is closed.", 409)
    submitted = ReportSnapshot.objects.values_list("respondents", flat=True).get(
        round=assessment_round
    )
    if submitted < minimum:
        raise AssessmentError(
            f"The answers can be exported when at least {minimum} responses are submitted; "
            f"this round has {submitted}.",
            409,
        )


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula (a comment may start with "=")."""
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def answer_rows(assessment_round: AssessmentRound) -> Iterator[list[Any]]:
    """Every answer of the submitted responses that the respondent could see, a pseudonym
    instead of a name; one query. Answers to questions hidden by their condition are left
    out, as the engine leaves them out of the scores."""
    criteria = criteria_for(assessment_round.version).engine
    yield ["response", "question", "question_text", "option", "option_label", "value",
           "comment"]  # fmt: skip
    rows = (
        Answer.objects.filter(
            response__round=assessment_round, response__status=Response.Status.SUBMITTED
        )
        .order_by("response_id", "question__practice__order", "question__order", "question_id")
        # A float, not a Decimal built per row: values have at most three decimals, so
        # "{:.3f}" writes them the same either way.
        .annotate(option_value=Cast("option__value", FloatField()))
        .values_list(
            "response_id",
            "question__key",
            "question__text",
            "option__key",
            "option__label",
            "option_value",
            "option__unscored",
            "comment",
        )
    )

    def visible(rows: list[tuple]) -> Iterator[list[Any]]:
        shown = scoring.visible_questions(criteria, {row[1]: row[3] for row in rows})
        name = pseudonym(rows[0][0])
        for _, key, text, option, label, value, unscored, comment in rows:
            if key in shown:
                number = unscored or ("" if value is None else f"{value:.3f}")
                yield [
                    name,
                    key,
                    text,
                    option or "",
                    label or "",
                    number,
                    spreadsheet_safe(comment),
                ]

    batch: list[tuple] = []
    for row in rows.iterator(chunk_size=2000):
        if batch and row[0] != batch[0][0]:  # rows come response by response
            yield from visible(batch)
            batch = []
        batch.append(row)
    if batch:
        yield from visible(batch)


CSV_ROWS_PER_CHUNK = 500


def csv_lines(rows: Iterator[list[Any]]) -> Iterator[str]:
    """CSV text in chunks of a few hundred lines: a response pays a fixed price per chunk,
    which, at one line a chunk, was a third of a large export's time."""
    writer = csv.writer(Echo())
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow(row))
        if len(chunk) == CSV_ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


# Trend and dashboard ----------------------------------------------------------------------


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
    readiness_html: str = ""  # ``readiness`` as the table's <td> elements
    heat_html: str = ""  # ``cells`` as the heatmap's <td> elements


# The dashboard has a cell per team and practice (1,500 for 100 teams). Its rows' cells are
# built here rather than by template loops, which cost tens of microseconds a cell and were
# most of the page's time; the markup is what the loops in dashboard.html produced.


@lru_cache(maxsize=8192)
def _heat_cell(score: float | None) -> tuple[HeatCell, str]:
    """A heatmap cell and its HTML; snapshots are frozen, so scores recur on every request."""
    cell = HeatCell(score, charts.heat(score))
    return cell, f'<td class="heat {html.escape(cell.heat)}">{html.escape(pct(score))}</td>'


@lru_cache(maxsize=8192)
def _readiness_cell(readiness: float | None) -> str:
    return f"<td>{html.escape(pct(readiness))}</td>"


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


# What the dashboard reads of each snapshot, kept per process: (respondents, scores or None
# until needed). A snapshot never changes once stored, so, like the criteria of a frozen
# version, it can be kept; the key holds the round's closing time, so a primary key used
# again (after a rollback, say) is never taken for an older snapshot.
_snapshot_reads: OrderedDict[tuple[int, datetime], tuple[int, dict[str, Any] | None]] = (
    OrderedDict()
)
_snapshot_reads_lock = threading.Lock()
SNAPSHOT_READS_KEPT = 4096


def _latest_scores(teams: list[Team]) -> dict[int, tuple[str, dict[str, Any]]]:
    """Team pk -> (round title, snapshot scores) of its latest closed round with answers.

    A round closed with no responses says nothing about the team: it is passed over. One
    narrow query lists the teams' snapshots, newest first; their respondent counts and
    scores are read from the database once per process. Reading them on every request was
    most of the page's time: a JSON document to decode per team, and on SQLite both sit
    after the whole report in the row, so even the count meant reading past it.
    """
    listed = list(
        ReportSnapshot.objects.filter(round__team__in=teams)
        .order_by("round__team_id", "-round__closed_at", "-round_id")
        .values_list("pk", "round__closed_at", "round__team_id", "round__title")
    )
    keys = {pk: (pk, closed_at) for pk, closed_at, _, _ in listed}
    with _snapshot_reads_lock:
        known = {key: _snapshot_reads[key] for key in keys.values() if key in _snapshot_reads}
    unread = [pk for pk, key in keys.items() if key not in known]
    if unread:
        counts = ReportSnapshot.objects.filter(pk__in=unread).values_list("pk", "respondents")
        known.update({keys[pk]: (respondents, None) for pk, respondents in counts})
    chosen: dict[int, tuple[int, str]] = {}
    for pk, _, team_pk, title in listed:
        if team_pk not in chosen and known[keys[pk]][0] > 0:
            chosen[team_pk] = (pk, title)
    unscored = [pk for pk, _ in chosen.values() if known[keys[pk]][1] is None]
    if unscored:
        rows = ReportSnapshot.objects.filter(pk__in=unscored).values_list("pk", "scores")
        known.update({keys[pk]: (known[keys[pk]][0], scores) for pk, scores in rows})
    with _snapshot_reads_lock:
        for key in keys.values():
            _snapshot_reads[key] = known[key]
            _snapshot_reads.move_to_end(key)
        while len(_snapshot_reads) > SNAPSHOT_READS_KEPT:
            _snapshot_reads.popitem(last=False)
    # The scores are shared between requests: read them, never change them.
    return {team_pk: (title, known[keys[pk]][1]) for team_pk, (pk, title) in chosen.items()}


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def organization_dashboard(
    *, teams: list[Team], sort: str = "name", dimension: str = "", discipline: str = ""
) -> Dashboard:
    """Teams x practices from each team's latest closed round, in two queries (four the
    first time a process reads the snapshots)."""
    from comparisons.models import Dimension

    latest = _latest_scores(teams)
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
        cells = [_heat_cell(practice_scores.get(p.key, {}).get("score")) for p in columns]
        readiness = tuple(discipline_scores.get(slug, {}).get("readiness") for slug, _ in shown)
        rows.append(
            TeamRow(
                team=team,
                round_title=title,
                readiness=readiness,
                cells=tuple(cell for cell, _ in cells),
                readiness_html=mark_safe("".join(map(_readiness_cell, readiness))),  # noqa: S308
                heat_html=mark_safe("".join(td for _, td in cells)),  # noqa: S308
            )
        )
    if sort.startswith("discipline:"):
        index = next((i for i, (slug, _) in enumerate(shown) if f"discipline:{slug}" == sort), 0)
        rows.sort(key=lambda row: (row.readiness[index] is None, -(row.readiness[index] or 0))
                  if shown else 0)  # fmt: skip
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


def live_report_state(assessment_round: AssessmentRound) -> str:
    """A digest of what an open round's report is computed from and may change: the
    submitted responses (whose answers can no longer change), the team's size and the
    names the page shows. Discipline and dimension names are left to the timeout."""
    submitted = Response.objects.filter(
        round=assessment_round, status=Response.Status.SUBMITTED
    ).aggregate(count=Count("pk"), total=Sum("pk"), last=Max("submitted_at"))
    members = Membership.objects.filter(team_id=assessment_round.team_id).count()
    team = assessment_round.team
    version = assessment_round.version
    shown = (
        sorted(submitted.items()),
        members,
        team.name,
        team.organization.name,
        assessment_round.title,
        assessment_round.due_on,
        version.questionnaire.name,
        settings.READINESS_MIN_RESPONSES_FOR_DISTRIBUTION,
    )
    return hashlib.sha256(repr(shown).encode()).hexdigest()
