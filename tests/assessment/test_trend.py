"""The team page's trend: rounds with a report for this reader, n and targets, changes."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessment.reports import charts
from assessment.reports.trend import PracticeChange, team_trend
from assessment.rounds import round_close, round_open
from tests.answering import HIGH, LOW, answer_and_submit, submitted_by

pytestmark = pytest.mark.django_db


def closed_round(team, manager, version, title, respondents, choices=HIGH, also=()):
    """A round of ``team`` where ``respondents`` new members (and the users in ``also``)
    submitted, then closed."""
    assessment_round = round_open(team=team, version=version, title=title, opened_by=manager)
    submitted_by(assessment_round, respondents, choices, also=also)
    return round_close(assessment_round=assessment_round)


def team_page(client, user, team) -> str:
    client.force_login(user)
    return client.get(reverse("assessment:team_detail", args=[team.pk])).content.decode()


def column_headers(html: str) -> list[str]:
    table = html[html.index('class="table table-sm trend-table"') :]
    head = table[: table.index("</thead>")]
    return re.findall(r'<th scope="col"[^>]*>([^<]+)', head)


def test_a_round_closed_with_too_few_responses_is_listed_not_drawn(
    client, manager, team, small_version
):
    closed_round(team, manager, small_version, "2026 Q2", 3, LOW)
    closed_round(team, manager, small_version, "2026 Q3", 2, LOW)
    closed_round(team, manager, small_version, "2026 Q4", 3, HIGH)

    html = team_page(client, manager, team)

    assert column_headers(html) == ["Discipline", "2026 Q2", "2026 Q4", "Target "]
    assert "<strong>2026 Q3</strong>: closed without a report, too few responses" in html
    assert html.count('<circle cx="') == 2 * 2  # two disciplines, two rounds
    assert "Change per practice since 2026 Q2" in html


def test_the_readers_own_response_does_not_count_towards_a_trend_point(
    client, manager, org_lead, team, small_version
):
    """Three responses, one of them the manager's: two besides the manager's own, too few
    for the manager; the org lead, who did not answer, reads all three."""
    closed_round(team, manager, small_version, "2026 Q3", 3, LOW)
    closed_round(team, manager, small_version, "2026 Q4", 2, HIGH, also=[manager])

    as_manager = team_trend(team=team, reader=manager)
    as_lead = team_trend(team=team, reader=org_lead)

    assert (as_manager.rounds, as_manager.skipped) == (("2026 Q3",), ("2026 Q4",))
    assert (as_lead.rounds, as_lead.skipped) == (("2026 Q3", "2026 Q4"), ())
    assert as_lead.respondents == (3, 3)


def test_a_team_whose_every_round_lacks_a_report_has_no_trend(client, manager, team, small_version):
    closed_round(team, manager, small_version, "2026 Q4", 1)

    html = team_page(client, manager, team)

    assert "Readiness over time" not in html
    assert "<svg" not in html
    assert "No report: too few responses" in html


def test_each_point_shows_its_n_in_the_chart_and_the_table(client, manager, team, small_version):
    closed_round(team, manager, small_version, "2026 Q3", 3, LOW)
    closed_round(team, manager, small_version, "2026 Q4", 4, HIGH)

    html = team_page(client, manager, team)

    assert ">n = 3</text>" in html and ">n = 4</text>" in html
    n_row = html[html.index("<tfoot>") : html.index("</tfoot>")]
    assert re.findall(r"<td>(\d+)</td>", n_row) == ["3", "4"]


def test_the_latest_targets_are_marked_on_the_chart_and_in_the_table(
    client, manager, team, small_version
):
    closed_round(team, manager, small_version, "2026 Q3", 3, LOW)
    closed_round(team, manager, small_version, "2026 Q4", 3, HIGH)

    html = team_page(client, manager, team)

    # Software engineering: version control only, target 90%; AI engineering: 75%.
    assert html.count('stroke-dasharray="6 4"') == 2
    assert 'class="target-label" fill="#0a3d91" font-size="11" font-weight="600">90%' in html
    assert 'class="target-label" fill="#b3541e" font-size="11" font-weight="600">75%' in html
    assert '<td class="target-column">90%</td>' in html
    assert '<td class="target-column">75%</td>' in html
    assert 'Target <span class="fw-normal small">(2026 Q4)</span>' in html


def test_practices_are_listed_by_size_of_change_with_gains_and_losses_marked(
    client, manager, team, small_version
):
    first = {"code-in-vcs": "all", "reviews": "all", "has-models": "yes", "drift-alerts": "none"}
    second = {
        "code-in-vcs": "none",
        "reviews": "some",
        "has-models": "yes",
        "drift-alerts": "owned",
    }
    closed_round(team, manager, small_version, "2026 Q3", 3, first)
    closed_round(team, manager, small_version, "2026 Q4", 3, second)

    html = team_page(client, manager, team)

    rows = re.findall(
        r'<th scope="row" class="fw-normal">([^<]+)</th><td>[^<]*</td><td>[^<]*</td>'
        r'<td class="([^"]*)">([^<]+)<',
        html,
    )
    assert rows == [
        ("Drift monitoring", "change-up", "+100"),
        ("Version control", "change-down", "−67"),
        ("Models in production", "", "0"),
    ]


def test_changes_are_whole_points_from_the_rounded_figures():
    """63% to 63% is no change, whatever lies under the rounding; 62.5% shows as 63%."""
    assert PracticeChange("A", 0.634, 0.626).change == 0
    assert PracticeChange("A", 0.625, 0.6449).change == 1
    assert PracticeChange("A", None, 0.5).change is None


def test_a_member_sees_submitted_for_a_round_they_finished(client, member, team, open_round):
    before = team_page(client, member, team)
    answer_and_submit(open_round, member)

    after = team_page(client, member, team)

    assert "Answer<span" in before and "Submitted" not in before
    assert "Answer<span" not in after and ">Submitted</span>" in after
    assert reverse("assessment:my_answers", args=[open_round.pk]) in after


def test_a_manager_follows_and_closes_an_open_round_from_the_team_page(
    client, manager, team, open_round
):
    html = team_page(client, manager, team)

    assert reverse("assessment:round_close", args=[open_round.pk]) in html
    assert reverse("assessment:report", args=[open_round.pk]) not in html


def test_the_trend_links_to_the_help_page(client, manager, team, small_version):
    closed_round(team, manager, small_version, "2026 Q4", 3)

    html = team_page(client, manager, team)

    assert f'href="{reverse("assessment:reading_reports")}">How to read the trend' in html


# The line chart's geometry ---------------------------------------------------------------


def test_the_line_chart_is_drawn_at_phone_size_with_its_labels_inside():
    chart = charts.line_chart(
        ["2026 Q1", "2026 Q2", "2026 Q3"],
        [("Software engineering", [0.5, None, 0.7]), ("AI engineering", [0.2, 0.3, 0.4])],
        [3, 4, 5],
        [0.75, 0.76],
    )

    assert chart.width == charts.LINE_WIDTH == 360
    assert not any(label.slanted for label in chart.labels)
    assert [label.respondents for label in chart.labels] == [3, 4, 5]
    for label in chart.labels:
        half = len(label.title) * charts.CHAR_WIDTH / 2
        assert half <= label.x <= chart.width - half
    software, ai = chart.lines
    assert software.path.count("M") == 2  # the gap starts a new segment
    assert (software.colour, ai.colour) == charts.SERIES_COLOURS[:2]
    assert abs(ai.target_label_y - software.target_label_y) >= charts.LABEL_GAP


def test_long_round_names_are_slanted_with_their_n_and_the_chart_grows_to_fit():
    rounds = [f"Quarterly review {n}" for n in range(6)]

    chart = charts.line_chart(rounds, [("AI engineering", [0.5] * 6)], [3] * 6, [None])

    assert all(label.slanted for label in chart.labels)
    assert chart.labels[0].text == "Quarterly review 0 (n = 3)"
    assert chart.height > chart.bottom + 36
    assert chart.lines[0].target_y is None
