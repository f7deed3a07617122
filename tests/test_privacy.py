"""No respondent can be recognised: the privacy rule through HTTP, channel by channel.

The rule (assessment/reports/privacy.py): a round's scores exist for a reader only once
it is closed, and only when at least the organization's minimum group size k of people
*besides the reader* submitted. Otherwise every channel shows completion only: the report
page, its JSON, both CSVs, the PDF, the team's trend, the organization's dashboard and the
members' summary. These tests run on SQLite and on PostgreSQL (``.ci/run`` runs the suite
on both).
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from assessment.models import Organization, Response
from assessment.reports import privacy
from assessment.rounds import round_close, round_open
from tests import answering
from tests.answering import HIGH, LOW, answer, answer_and_submit
from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db

EXPORTS = ("report_json", "report_csv", "answers_csv", "report_pdf")
SECRET = "only-one-person-wrote-this"


def submitted_by(assessment_round, count: int, choices=None) -> list:
    """New members answer and submit (see tests/answering.py), each with a comment that
    must never be shown while scores are withheld."""
    comments = {"reviews": SECRET}
    return answering.submitted_by(assessment_round, count, choices, comments=comments)


def read(client: Client, user, url_name: str, assessment_round):
    client.force_login(user)
    return client.get(reverse(f"assessment:{url_name}", args=[assessment_round.pk]))


def body(response) -> str:
    """The response's text, without what differs on every response: the CSP nonce and the
    masked CSRF token."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    text = re.sub(r'nonce="[^"]+"', 'nonce=""', response.content.decode(errors="replace"))
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "CSRF", text)


def main_of(response) -> str:
    """The page's <main>, with the figures of completion (which may change) taken out."""
    html = body(response)
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"<strong>\d+ of \d+</strong>", "<strong>n of m</strong>", main)


def assert_scores_withheld(client, reader, assessment_round, reason: str) -> None:
    """Every channel the reader may open says why, and nothing scored or written leaks."""
    page = read(client, reader, "report", assessment_round)
    assert page.status_code == 200
    html = body(page)
    assert reason in html
    assert SECRET not in html
    assert "Readiness" not in main_of(page).split("withheld-heading")[1]
    for url_name in EXPORTS:
        refused = read(client, reader, url_name, assessment_round)
        assert refused.status_code == 409, url_name
        assert reason in body(refused)
        assert SECRET not in body(refused)
        assert refused["Content-Type"].startswith("text/"), url_name  # no file to download


def assert_scores_shown(client, reader, assessment_round, respondents: int) -> None:
    document = json.loads(body(read(client, reader, "report_json", assessment_round)))
    assert document["respondents"] == respondents
    assert reason_free(body(read(client, reader, "report", assessment_round)))


def dashboard(client: Client, lead, assessment_round) -> str:
    client.force_login(lead)
    organization = assessment_round.team.organization
    return body(client.get(reverse("assessment:dashboard", args=[organization.slug])))


def reason_free(html: str) -> bool:
    return privacy.TOO_FEW not in html and privacy.STILL_OPEN not in html


# While a round is open ------------------------------------------------------------------


def test_an_open_round_shows_completion_and_no_scores_on_any_channel(
    client, manager, member, org_lead, open_round
):
    submitted_by(open_round, 5)

    for reader in (manager, org_lead):
        assert_scores_withheld(client, reader, open_round, privacy.STILL_OPEN)
    assert read(client, member, "report", open_round).status_code == 404  # members: no summary yet
    board = dashboard(client, org_lead, open_round)
    assert "No closed round yet" in board and SECRET not in board
    completion = body(read(client, manager, "round_detail", open_round))
    assert "5 of 7" in completion.replace("</strong>", "").replace("<strong>", "")
    assert SECRET not in completion


def test_submissions_while_open_change_only_the_completion_count(client, manager, open_round):
    """Differencing: a manager who reads before and after each submission learns that
    someone submitted, never what they answered or wrote."""
    people = [MembershipFactory(team=open_round.team).user for _ in range(4)]
    pages, exports = [], []
    for index, person in enumerate(people):
        answer(open_round, person, HIGH if index % 2 else LOW, {"reviews": f"{SECRET} {index}"})
        person_client = Client()
        person_client.force_login(person)
        submitted = person_client.post(reverse("assessment:submit", args=[open_round.pk]))
        assert submitted.status_code == 302
        pages.append(main_of(read(client, manager, "report", open_round)))
        exports.append({name: body(read(client, manager, name, open_round)) for name in EXPORTS})

    assert len(set(pages)) == 1
    assert all(export == exports[0] for export in exports)
    assert SECRET not in pages[0] and SECRET not in json.dumps(exports[0])

    round_close(assessment_round=open_round)
    assert_scores_shown(client, manager, open_round, respondents=4)


def test_the_withheld_page_is_the_same_whatever_people_answered(
    client, manager, organization, small_version
):
    """Two teams, the same completion, opposite answers: their managers read the same page."""
    pages = []
    for name, choices in (("Low", LOW), ("High", HIGH)):
        team = TeamFactory(organization=organization, name=name, slug=name.lower())
        MembershipFactory(team=team, user=manager, role="manager")
        assessment_round = round_open(
            team=team, version=small_version, title="Q4", opened_by=manager
        )
        submitted_by(assessment_round, 2, choices)
        round_close(assessment_round=assessment_round)
        page = main_of(read(client, manager, "report", assessment_round))
        page = page.replace(name, "TEAM")
        for model in (team, assessment_round):
            page = page.replace(f"/{model.pk}/", "/PK/")
        pages.append(page)

    assert pages[0] == pages[1]
    assert privacy.TOO_FEW in pages[0]


# Closed with too few responses ----------------------------------------------------------


def test_a_round_closed_with_fewer_than_k_responses_reports_nothing(
    client, manager, member, org_lead, team, open_round
):
    submitted_by(open_round, 2)
    round_close(assessment_round=open_round)

    for reader in (manager, org_lead):
        assert_scores_withheld(client, reader, open_round, privacy.TOO_FEW)
    summary = body(read(client, member, "report", open_round))
    assert privacy.TOO_FEW in summary and SECRET not in summary
    board = dashboard(client, org_lead, open_round)
    row = board[board.index(">Payments</a>") :]
    row = row[: row.index("</tr>")]
    assert privacy.TOO_FEW in row and "%" not in row

    client.force_login(manager)
    team_page = client.get(reverse("assessment:team_detail", args=[team.pk]))
    assert team_page.context["trend"] is None  # no closed round with a report: no trend


def test_the_trend_skips_rounds_without_a_report(client, manager, team, open_round, small_version):
    submitted_by(open_round, 3)
    round_close(assessment_round=open_round)
    thin = round_open(team=team, version=small_version, title="2027 Q1", opened_by=manager)
    submitted_by(thin, 2)
    round_close(assessment_round=thin)

    client.force_login(manager)
    trend = client.get(reverse("assessment:team_detail", args=[team.pk])).context["trend"]

    assert trend.rounds == ("2026 Q4",)
    assert trend.respondents == (3,)
    assert trend.skipped == ("2027 Q1",)


# The reader's own response --------------------------------------------------------------


def test_the_readers_own_response_does_not_count_toward_k(
    client, manager, org_lead, team, open_round
):
    """With three responses, one the manager's, the manager could subtract their own and
    pin the other two: they see completion only; the org lead, who did not answer, reads
    the report. A fourth response opens it to the manager too."""
    answer_and_submit(open_round, manager, LOW)
    others = submitted_by(open_round, 2)
    round_close(assessment_round=open_round)

    assert_scores_withheld(client, manager, open_round, privacy.TOO_FEW)
    member_summary = body(read(client, others[0], "report", open_round))
    assert privacy.TOO_FEW in member_summary
    assert_scores_shown(client, org_lead, open_round, respondents=3)

    client.force_login(manager)
    assert client.get(reverse("assessment:team_detail", args=[team.pk])).context["trend"] is None
    client.force_login(org_lead)
    trend = client.get(reverse("assessment:team_detail", args=[team.pk])).context["trend"]
    assert trend.rounds == ("2026 Q4",)


def test_with_k_others_besides_the_reader_the_report_opens(client, manager, open_round):
    answer_and_submit(open_round, manager, LOW)
    others = submitted_by(open_round, 3)
    round_close(assessment_round=open_round)

    assert_scores_shown(client, manager, open_round, respondents=4)
    member_summary = body(read(client, others[0], "report", open_round))
    assert reason_free(member_summary)
    assert SECRET not in member_summary  # members' summary: no comments


# The organization's minimum group size ---------------------------------------------------


def test_an_organization_may_raise_k_but_never_below_three(
    client, manager, organization, open_round
):
    Organization.objects.filter(pk=organization.pk).update(min_group_size=5)
    submitted_by(open_round, 4)
    round_close(assessment_round=open_round)

    assert_scores_withheld(client, manager, open_round, privacy.TOO_FEW)
    assert "at least 5 people besides the reader" in body(
        read(client, manager, "report", open_round)
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=organization.pk).update(min_group_size=2)


def test_a_changed_k_applies_to_reports_already_read(client, manager, organization, open_round):
    """The closed report's body is cached; the cache must not outlive a raised k."""
    submitted_by(open_round, 3)
    round_close(assessment_round=open_round)
    assert_scores_shown(client, manager, open_round, respondents=3)

    Organization.objects.filter(pk=organization.pk).update(min_group_size=4)

    assert_scores_withheld(client, manager, open_round, privacy.TOO_FEW)


# Anonymised answers ---------------------------------------------------------------------


def test_the_answers_csv_cannot_be_matched_to_the_completion_page(client, manager, open_round):
    """Rows are ordered by pseudonym, not by who started or submitted first, carry no
    timestamps the completion page could be lined up with, and no comment beside a
    pseudonym."""
    people = submitted_by(open_round, 4)
    round_close(assessment_round=open_round)

    text = body(read(client, manager, "answers_csv", open_round))
    rows = list(csv.DictReader(io.StringIO(text)))
    answers = [row for row in rows if row["option"]]
    notes = [row for row in rows if not row["option"]]
    pseudonyms = list(dict.fromkeys(row["response"] for row in answers))
    stored = dict(
        Response.objects.filter(round=open_round).values_list("respondent_id", "pseudonym")
    )

    assert pseudonyms == sorted(pseudonyms)
    assert set(pseudonyms) == set(stored.values())
    assert not any(re.search(r"(time|date|_at$|started|submitted)", f) for f in rows[0])
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    # Each comment stands alone, with no pseudonym that would tie it to other answers.
    assert [(row["response"], row["comment"]) for row in notes] == [("", SECRET)] * 4
    for person in people:
        assert person.username not in text


def test_answers_of_deleted_accounts_leave_the_file_and_below_k_it_is_refused(
    client, manager, open_round
):
    """The answers file reads the responses as they are now; the snapshot's count would
    let it show fewer than k people's answers after accounts are deleted."""
    people = submitted_by(open_round, 3)
    round_close(assessment_round=open_round)
    assert read(client, manager, "answers_csv", open_round).status_code == 200

    people[0].delete()

    refused = read(client, manager, "answers_csv", open_round)
    assert refused.status_code == 409
    assert privacy.TOO_FEW in body(refused)
    assert read(client, manager, "report_json", open_round).status_code == 200  # the snapshot
