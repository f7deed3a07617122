"""The CSV exports of a report: one row per practice and discipline, and every answer
under a pseudonym, streamed in chunks."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import Any

from django.db.models import FloatField
from django.db.models.functions import Cast

from .. import scoring
from ..criteria.loading import round_criteria
from ..models import Answer, AssessmentRound, Response
from . import numbers
from .document import discipline_names


class Echo:
    """A file-like object whose write returns the line, for streaming csv output."""

    def write(self, value: str) -> str:
        return value


def practice_rows(document: dict[str, Any]) -> Iterator[list[Any]]:
    """One CSV row per practice and discipline, in the units and rounding of the page:
    scores, targets and coverage in whole percent, gaps and lifts in points."""
    report = document["report"]
    order = {slug: i for i, slug in enumerate(discipline_names(document["labels"]))}
    yield ["practice", "practice_name", "dimension", "discipline", "weight", "score_pct",
           "target_pct", "gap_points", "lift_points", "coverage_pct", "scored_answers",
           "with_evidence", "weakest_link"]  # fmt: skip
    for practice in report["practices"]:
        counted = [pd for pd in practice["disciplines"] if pd["weight"] > 0]
        for pd in sorted(counted, key=lambda pd: order.get(pd["discipline"], len(order))):
            yield [
                practice["key"],
                practice["name"],
                practice["dimension"],
                pd["discipline"],
                pd["weight"],
                numbers.percent(practice["score"]),
                numbers.percent(pd["target"]),
                numbers.points(pd["gap"]),
                numbers.points(pd["lift"]),
                numbers.percent(practice.get("coverage")),
                practice.get("scored_answers", ""),
                practice.get("evidenced", ""),
                "yes" if pd.get("weakest_link") else "",
            ]


# What a spreadsheet may take for the start of a formula: OWASP's list, a line break, and
# the full-width forms that spreadsheets in East Asian locales fold to ASCII.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def spreadsheet_safe(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula: text that starts with a trigger,
    also after leading spaces (which a spreadsheet may drop), gets a leading apostrophe.
    Numbers, and text that is only a number, stay as they are."""
    if not isinstance(value, str):
        return value
    if value[:1] not in FORMULA_TRIGGERS and value.lstrip()[:1] not in FORMULA_TRIGGERS:
        return value
    return value if PLAIN_NUMBER.fullmatch(value) else f"'{value}"


def answer_rows(assessment_round: AssessmentRound) -> Iterator[list[Any]]:
    """Every answer of the submitted responses that the respondent could see, under the
    response's pseudonym, ordered by pseudonym (never by when people answered); then every
    comment and evidence link on its own row, without a pseudonym, by question and text.
    One query. Answers to questions hidden by their condition, or outside the round's
    scope, are left out, as the engine leaves them out of the scores.

    Comments and links stand apart from the answers because one of them can give its
    writer away ("I set up the on-call rota"); beside a pseudonym it would give away every
    other answer of theirs too. The report's JSON lists them per question the same way."""
    criteria = round_criteria(assessment_round).engine
    position = {question.key: index for index, question in enumerate(criteria.questions)}
    yield ["response", "question", "question_text", "option", "option_label", "value_pct",
           "comment", "evidence"]  # fmt: skip
    rows = (
        Answer.objects.filter(
            response__round=assessment_round, response__status=Response.Status.SUBMITTED
        )
        .order_by(
            "response__pseudonym", "question__practice__order", "question__order", "question_id"
        )
        # A float, not a Decimal built per row: values have at most three decimals.
        .annotate(option_value=Cast("option__value", FloatField()))
        .values_list(
            "response__pseudonym",
            "question__key",
            "question__text",
            "option__key",
            "option__label",
            "option_value",
            "option__unscored",
            "comment",
            "evidence",
        )
    )
    notes: list[tuple[int, str, str, str, str]] = []  # position, key, text, comment, link

    def visible(rows: list[tuple]) -> Iterator[list[Any]]:
        shown = scoring.visible_questions(criteria, {row[1]: row[3] for row in rows})
        for name, key, text, option, label, value, unscored, comment, link in rows:
            if key in shown:
                if comment or link:
                    notes.append((position[key], key, text, comment, link))
                if option:
                    yield [name, key, text, option, label, unscored or numbers.percent(value),
                           "", ""]  # fmt: skip

    batch: list[tuple] = []
    for row in rows.iterator(chunk_size=2000):
        if batch and row[0] != batch[0][0]:  # rows come response by response
            yield from visible(batch)
            batch = []
        batch.append(row)
    if batch:
        yield from visible(batch)
    for _, key, text, comment, link in sorted(notes):
        yield ["", key, text, "", "", "", comment, link]


CSV_ROWS_PER_CHUNK = 500


def csv_lines(rows: Iterator[list[Any]]) -> Iterator[str]:
    """CSV text in chunks of a few hundred lines: a response pays a fixed price per chunk,
    which, at one line a chunk, was a third of a large export's time. Every cell of every
    export passes ``spreadsheet_safe`` here: names, texts and labels come from criteria
    that editors write for every organization, comments from respondents."""
    writer = csv.writer(Echo())
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow([spreadsheet_safe(cell) for cell in row]))
        if len(chunk) == CSV_ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)
