"""The organization's dashboard: readiness against target with n, privacy per reader,
practice columns by dimension, sorting both ways, filters kept in step with the address,
teams without a closed round."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessment.rounds import round_close, round_open
from tests.answering import HIGH, LOW, answer_and_submit, submitted_by
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
NOTHING = {"code-in-vcs": "none", "reviews": "none", "has-models": "no"}
# Version control 1/3 (code in VCS 1, reviews 0 at twice the weight), drift monitoring 0.67:
# software engineering 33%, AI engineering 67%
MIDDLE = {"code-in-vcs": "all", "reviews": "none", "has-models": "yes", "drift-alerts": "automated"}


def closed_round(team, version, respondents, choices=HIGH, also=(), members=0, title="2026 Q4"):
    """A round of ``team`` answered by ``respondents`` new members (and the users in
    ``also``), with ``members`` more who did not answer; closed."""
    manager = MembershipFactory(team=team, role="manager").user
    assessment_round = round_open(team=team, version=version, title=title, opened_by=manager)
    submitted_by(assessment_round, respondents, choices, also=also)
    for _ in range(members):
        MembershipFactory(team=team)
    return round_close(assessment_round=assessment_round)


def dashboard(client, user, organization, **query) -> str:
    client.force_login(user)
    url = reverse("assessment:dashboard", args=[organization.slug])
    return client.get(url, query).content.decode()


def board(html: str) -> str:
    return html[html.index('<div id="board">') : html.index('<p id="board-status"')]


def team_order(html: str) -> list[str]:
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return re.findall(r'<th scope="row"><a href="/teams/\d+/">([^<]+)</a>', body)


def test_each_team_shows_readiness_against_target_in_colour_and_words_with_n(
    client, org_lead, organization, team, small_version
):
    closed_round(team, small_version, 3, HIGH, members=1)

    html = dashboard(client, org_lead, organization)

    assert "2026 Q4 <span" in html and "n = 3 of 5" in html  # its manager did not answer
    # software engineering: 100% against a 90% target; AI engineering 100% against 75%
    assert html.count('<td class="cell band-met"><strong>100%</strong>') == 2
    assert "of 90% target" in html and "of 75% target" in html
    assert html.count(">At or above target</span>") == 2
    assert '<span class="d-block small fw-normal text-nowrap">n = 3</span>' in html  # heatmap
    assert "n = 3, 1 team" in html  # the organization mean


def test_readiness_below_target_is_named_by_how_far(
    client, org_lead, organization, team, small_version
):
    closed_round(team, small_version, 3, MIDDLE)

    html = dashboard(client, org_lead, organization)

    # software engineering 33% of 90%; AI engineering 67% of 75%
    assert '<td class="cell band-far"><strong>33%</strong>' in html
    assert ">15 points or more below target</span>" in html
    assert '<td class="cell band-near"><strong>67%</strong>' in html
    assert ">Within 15 points of target</span>" in html


def test_a_team_below_the_minimum_group_size_shows_completion_not_scores(
    client, org_lead, organization, team, small_version
):
    other = TeamFactory(organization=organization, name="Search")
    closed_round(team, small_version, 3, NOTHING)
    closed_round(other, small_version, 2, HIGH, members=2)

    html = dashboard(client, org_lead, organization)

    row = html[html.index(">Search</a>") :]
    row = row[: row.index("</tr>")]
    assert "Too few responses to report without identifying people." in row
    assert "2 of 5 members submitted" in row
    assert "%" not in row
    assert 'class="heat heat-4"' not in html  # HIGH scores nowhere, not even in the heatmap
    assert "(2 of 5 submitted)" in html


def test_the_readers_own_response_is_counted_out(
    client, org_lead, organization, team, small_version
):
    """Three responses, one the lead's own: two besides it are too few for that lead. A
    second lead, who did not answer, reads the scores; the cached board of one is never
    served to the other."""
    MembershipFactory(team=team, user=org_lead)
    closed_round(team, small_version, 2, HIGH, also=[org_lead])
    other_lead = UserFactory()
    organization.leads.add(other_lead)

    answered = dashboard(client, org_lead, organization)
    did_not = dashboard(client, other_lead, organization)
    answered_again = dashboard(client, org_lead, organization)

    assert "Too few responses to report without identifying people." in answered
    assert "<strong>100%</strong>" not in answered
    assert "<strong>100%</strong>" in did_not
    assert "Too few responses" not in did_not
    assert board(answered_again) == board(answered)


def test_practice_columns_are_grouped_under_their_dimensions(
    client, org_lead, organization, team, small_version
):
    closed_round(team, small_version, 3)

    html = dashboard(client, org_lead, organization)

    groups = re.findall(r'<th scope="colgroup" colspan="(\d+)" class="dimension">([^<]+)', html)
    assert groups == [("1", "Outcomes"), ("1", "Stability"), ("1", "Governance")]
    practices = re.findall(r'<th scope="col" class="practice">([^<]+)', html)
    assert practices == ["Models in production", "Drift monitoring", "Version control"]
    assert html.count('<colgroup span="1" class="dimension-group">') == 3


@pytest.fixture
def three_teams(organization, team, small_version):
    closed_round(team, small_version, 3, HIGH)  # Payments: 100% AI engineering
    closed_round(TeamFactory(organization=organization, name="Aardvarks"), small_version, 3, LOW)
    closed_round(TeamFactory(organization=organization, name="Search"), small_version, 3, MIDDLE)


def test_teams_sort_by_readiness_highest_first_then_the_other_way(
    client, org_lead, organization, three_teams
):
    sort = "discipline:ai-engineering"

    highest = dashboard(client, org_lead, organization, sort=sort)
    lowest = dashboard(client, org_lead, organization, sort=sort, order="asc")

    assert team_order(highest) == ["Payments", "Search", "Aardvarks"]
    assert team_order(lowest) == ["Aardvarks", "Search", "Payments"]
    assert '<th scope="col" aria-sort="descending">' in highest
    assert '<th scope="col" aria-sort="ascending">' in lowest
    assert 'AI engineering <span aria-hidden="true">▼</span>' in highest
    assert 'AI engineering <span aria-hidden="true">▲</span>' in lowest
    # the sorted column's link sorts it the other way; the others start their own way
    assert f"?sort={sort.replace(':', '%3A')}&amp;order=asc" in highest
    assert f"?sort={sort.replace(':', '%3A')}&amp;order=desc" in lowest
    assert "?sort=name&amp;order=asc" in highest


def test_teams_sort_by_name_both_ways(client, org_lead, organization, three_teams):
    a_to_z = dashboard(client, org_lead, organization)
    z_to_a = dashboard(client, org_lead, organization, sort="name", order="desc")

    assert team_order(a_to_z) == ["Aardvarks", "Payments", "Search"]
    assert team_order(z_to_a) == ["Search", "Payments", "Aardvarks"]
    assert a_to_z.count("aria-sort=") == 1
    assert 'Team <span aria-hidden="true">▲</span><span class="visually-hidden"> (sort Z to A)' in (
        a_to_z
    )


def test_a_team_without_a_figure_comes_last_either_way(
    client, org_lead, organization, three_teams, small_version
):
    closed_round(TeamFactory(organization=organization, name="Beta"), small_version, 1)

    highest = dashboard(client, org_lead, organization, sort="discipline:ai-engineering")
    lowest = dashboard(
        client, org_lead, organization, sort="discipline:ai-engineering", order="asc"
    )

    assert team_order(highest)[-1] == team_order(lowest)[-1] == "Beta"


def test_the_swapped_board_carries_the_filter_form_in_step_with_the_address(
    client, org_lead, organization, three_teams
):
    client.force_login(org_lead)
    url = reverse("assessment:dashboard", args=[organization.slug])
    query = {"dimension": "stability", "sort": "discipline:ai-engineering", "order": "asc"}

    board = client.get(url, query, headers=HTMX).content.decode()

    assert board.startswith('\n<div id="board">\n<form id="filters"')
    assert '<option value="stability" selected>Stability</option>' in board
    assert '<input type="hidden" name="sort" value="discipline:ai-engineering">' in board
    assert '<input type="hidden" name="order" value="asc">' in board
    # the sort links keep the filter
    assert "?dimension=stability&amp;sort=name&amp;order=asc" in board
    # a short status for screen readers, swapped out of band outside the board
    assert (
        'id="board-status" class="visually-hidden" role="status" hx-swap-oob="innerHTML"' in board
    )


def test_a_team_without_a_closed_round_links_to_its_open_round(
    client, org_lead, organization, team, small_version
):
    manager = MembershipFactory(team=team, role="manager").user
    members = [MembershipFactory(team=team).user for _ in range(4)]
    waiting = round_open(team=team, version=small_version, title="2026 Q4", opened_by=manager)
    for user in members[:3]:
        answer_and_submit(waiting, user)

    html = dashboard(client, org_lead, organization)
    completion = client.get(reverse("assessment:round_detail", args=[waiting.pk]))

    link = reverse("assessment:round_detail", args=[waiting.pk])
    assert f'No closed round yet; <a href="{link}">2026 Q4</a> open, 3 of 5 submitted' in html
    assert completion.status_code == 200


def test_the_board_is_redrawn_when_completion_changes(
    client, org_lead, organization, team, small_version
):
    manager = MembershipFactory(team=team, role="manager").user
    waiting = round_open(team=team, version=small_version, title="2026 Q4", opened_by=manager)
    before = dashboard(client, org_lead, organization)

    answer_and_submit(waiting, MembershipFactory(team=team).user)
    after = dashboard(client, org_lead, organization)

    assert "open, 0 of 1 submitted" in before
    assert "open, 1 of 2 submitted" in after
