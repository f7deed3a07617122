"""Every page and export costs the same number of queries whatever the amount of data.

Each page is built twice, once small and once several times larger (respondents, members,
rounds, teams or questions: whatever the page lists), and fetched once on cold caches
(the cache framework and the per-process criteria emptied, as after a restart), so a
query in a loop shows as a difference between the two counts. The counts are also held
to the number written here, so a page cannot quietly start reading more than it needs.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.rounds import round_close, round_open
from tests.answering import answer, answer_and_submit, scope_of
from tests.caches import empty_caches
from tests.factories import MembershipFactory, OrganizationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 9


def cold_queries(client, user, url: str) -> int:
    client.force_login(user)
    empty_caches()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


def team_with(size: int, version, *, respondents: int = 0, close: bool = False):
    """A team of ``size`` members and its manager, with a round where ``respondents`` of
    them submitted; closed when ``close``."""
    team = TeamFactory()
    manager = MembershipFactory(team=team, role="manager").user
    members = [MembershipFactory(team=team).user for _ in range(size)]
    assessment_round = round_open(
        team=team, version=version, title="Q4", opened_by=manager, **scope_of(version)
    )
    for user in members[:respondents]:
        answer_and_submit(assessment_round, user)
    if close:
        round_close(assessment_round=assessment_round)
    return team, manager, members, assessment_round


def report_scenario(name: str, *, close: bool, reader: str = "manager"):
    def scenario(size: int, small_version, default_version) -> tuple:
        # One member more than respondents: the member who reads has not answered.
        _, manager, members, assessment_round = team_with(
            size + 1, small_version, respondents=size, close=close
        )
        user = manager if reader == "manager" else members[-1]
        return user, reverse(f"assessment:{name}", args=[assessment_round.pk])

    return scenario


def completion_scenario(name: str):
    def scenario(size: int, small_version, default_version) -> tuple:
        _, manager, _, assessment_round = team_with(size, small_version, respondents=size // 2)
        return manager, reverse(f"assessment:{name}", args=[assessment_round.pk])

    return scenario


def respondent_scenario(name: str):
    """The respondent's own pages: the small questionnaire against the default one."""

    def scenario(size: int, small_version, default_version) -> tuple:
        version = small_version if size == SMALL else default_version
        _, _, members, assessment_round = team_with(1, version)
        answer(assessment_round, members[0], {})
        return members[0], reverse(f"assessment:{name}", args=[assessment_round.pk])

    return scenario


def home_scenario(size: int, small_version, default_version) -> tuple:
    user = UserFactory()
    for _ in range(size):
        team = TeamFactory()
        MembershipFactory(team=team, user=user)
        manager = MembershipFactory(team=team, role="manager").user
        round_open(team=team, version=small_version, title="Q4", opened_by=manager)
    return user, reverse("home")


def manager_home_scenario(size: int, small_version, default_version) -> tuple:
    """A manager of ``size`` teams, each with a closed round (its report) and an open one
    (its completion); one team's report is withheld, its round answered by too few."""
    user = UserFactory()
    for number in range(size):
        team = TeamFactory()
        MembershipFactory(team=team, user=user, role="manager")
        closed = round_open(team=team, version=small_version, title="Q3", opened_by=user)
        for _ in range(3 if number else 2):
            answer_and_submit(closed, MembershipFactory(team=team).user)
        round_close(assessment_round=closed)
        round_open(team=team, version=small_version, title="Q4", opened_by=user)
    return user, reverse("home")


def superuser_home_scenario(size: int, small_version, default_version) -> tuple:
    """A superuser who manages one team, and ``size`` other organizations, each with a
    team that has a report and an open round: the home page lists only the superuser's own
    team (and a dashboard link per organization)."""
    user = UserFactory(is_superuser=True, is_staff=True)
    teams = [TeamFactory()] + [TeamFactory(organization=OrganizationFactory()) for _ in range(size)]
    MembershipFactory(team=teams[0], user=user, role="manager")
    for team in teams:
        manager = MembershipFactory(team=team, role="manager").user
        closed = round_open(team=team, version=small_version, title="Q3", opened_by=manager)
        for _ in range(3):
            answer_and_submit(closed, MembershipFactory(team=team).user)
        round_close(assessment_round=closed)
        round_open(team=team, version=small_version, title="Q4", opened_by=manager)
    return user, reverse("home")


def team_scenario(size: int, small_version, default_version) -> tuple:
    team = TeamFactory()
    manager = MembershipFactory(team=team, role="manager").user
    members = [MembershipFactory(team=team).user for _ in range(3)]
    for number in range(size):
        assessment_round = round_open(
            team=team, version=small_version, title=f"Round {number}", opened_by=manager
        )
        for user in members:
            answer_and_submit(assessment_round, user)
        round_close(assessment_round=assessment_round)
    return manager, reverse("assessment:team_detail", args=[team.pk])


def dashboard_scenario(size: int, small_version, default_version) -> tuple:
    """``size`` teams with a closed round, one withheld from the lead (who answered it
    too), and as many without a closed round, each with an open round."""
    organization = OrganizationFactory()
    lead = UserFactory()
    organization.leads.add(lead)
    for number in range(size):
        team = TeamFactory(organization=organization)
        manager = MembershipFactory(team=team, role="manager").user
        assessment_round = round_open(
            team=team, version=small_version, title="Q4", opened_by=manager
        )
        respondents = [MembershipFactory(team=team).user for _ in range(3)]
        if not number:
            respondents[0] = MembershipFactory(team=team, user=lead).user
        for user in respondents:
            answer_and_submit(assessment_round, user)
        round_close(assessment_round=assessment_round)
        waiting = TeamFactory(organization=organization)
        round_open(team=waiting, version=small_version, title="Q4", opened_by=manager)
    return lead, reverse("assessment:dashboard", args=[organization.slug])


# page: (scenario, queries on cold caches, the session and the user included). Every page
# drawn on base.html asks once which organizations' dashboards the user may open, for the
# navigation (context_processors.dashboards); the home page reads its list from there, and
# its People section the teams it lists already.
PAGES: dict[str, tuple[Callable, int]] = {
    "home": (home_scenario, 14),
    # + the teams' latest rounds, their snapshots' scores and their open rounds
    "manager_home": (manager_home_scenario, 17),
    # as a manager's: other organizations' teams are not listed, their dashboards are
    # (the navigation's query)
    "superuser_home": (superuser_home_scenario, 17),
    "team_detail": (team_scenario, 9),
    # The round comes with the reader's own part in it (role, own response), so the pages
    # ask neither whether they are a member nor whether the person closing answered.
    "round_detail": (completion_scenario("round_detail"), 7),
    "round_close": (completion_scenario("round_close"), 6),
    "respond": (respondent_scenario("respond"), 12),
    "review": (respondent_scenario("review"), 12),
    "my_answers": (respondent_scenario("my_answers"), 12),
    "open_round_report": (report_scenario("report", close=False), 6),
    "closed_report": (report_scenario("report", close=True), 5),
    "member_summary": (report_scenario("report", close=True, reader="member"), 5),
    "report_csv": (report_scenario("report_csv", close=True), 4),
    "report_json": (report_scenario("report_json", close=True), 4),
    # + the responses that remain, counted again (deleted accounts take their answers along)
    "answers_csv": (report_scenario("answers_csv", close=True), 11),
    # + the open rounds' completion, for teams without a closed round
    "dashboard": (dashboard_scenario, 9),
}


@pytest.mark.parametrize("page", PAGES)
def test_queries_on_cold_caches_do_not_grow_with_the_data(
    client, page, small_version, default_version
):
    scenario, expected = PAGES[page]
    small = cold_queries(client, *scenario(SMALL, small_version, default_version))
    large = cold_queries(client, *scenario(LARGE, small_version, default_version))

    assert (small, large) == (expected, expected), page


def test_closing_a_round_costs_the_same_queries_whatever_the_number_of_respondents(
    client, small_version
):
    """Closing scores the round and stores its snapshot: every submission is read at once."""
    counts = []
    for size in (SMALL, LARGE):
        _, manager, _, assessment_round = team_with(size, small_version, respondents=size)
        client.force_login(manager)
        empty_caches()
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("assessment:round_close", args=[assessment_round.pk]))
        assert response.status_code == 302
        counts.append(len(queries))

    assert counts[0] == counts[1]
