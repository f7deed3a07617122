import re

import pytest
from django.urls import reverse

from assessment.rounds import round_close, round_open
from tests.answering import HIGH, answer_and_submit, submitted_by

pytestmark = pytest.mark.django_db


def test_anonymous_home_explains_the_app_and_offers_sign_in(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "How ready is each of your teams" in html
    assert reverse("login") in html


def test_member_home_lists_team_and_role(client, member, team):
    client.force_login(member)

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert team.name in html
    assert "Member" in html


def test_manager_home_shows_manager_role(client, manager, team):
    client.force_login(manager)

    response = client.get(reverse("home"))

    assert "Manager" in response.content.decode()


def test_org_lead_home_shows_the_organization(client, org_lead, organization):
    client.force_login(org_lead)

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert organization.name in html
    assert "Org lead" in html


def test_user_without_team_is_told_what_to_do(client, outsider):
    client.force_login(outsider)

    response = client.get(reverse("home"))

    assert "not in a team yet" in response.content.decode()


def test_team_visible_to_scopes_by_membership_lead_and_superuser(
    member, manager, org_lead, staff, outsider, team, other_team
):
    from assessment.models import Team

    assert list(Team.objects.visible_to(member)) == [team]
    assert list(Team.objects.visible_to(org_lead)) == [team]
    assert list(Team.objects.visible_to(outsider)) == []
    assert set(Team.objects.visible_to(staff)) == {team, other_team}
    assert list(Team.objects.managed_by(member)) == []
    assert list(Team.objects.managed_by(manager)) == [team]
    assert list(Team.objects.managed_by(org_lead)) == [team]


def test_staff_without_a_role_see_no_team_and_no_organization(client, team, organization):
    from assessment.models import Organization, Team
    from tests.factories import UserFactory

    plain_staff = UserFactory(username="stan", is_staff=True)
    client.force_login(plain_staff)

    html = client.get(reverse("home")).content.decode()

    assert list(Team.objects.visible_to(plain_staff)) == []
    assert list(Team.objects.managed_by(plain_staff)) == []
    assert list(Organization.objects.led_by(plain_staff)) == []
    assert "not in a team yet" in html
    assert organization.name not in html


def test_superuser_home_lists_every_organization_as_admin(client, staff, organization):
    client.force_login(staff)

    html = client.get(reverse("home")).content.decode()

    assert f"{organization.name} dashboard" in html
    assert "Admin</span>" in html


# What to do next, by role ------------------------------------------------------------------


def home_of(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def closed_round(team, version, opened_by, respondents, also=(), title="2026 Q3"):
    assessment_round = round_open(team=team, version=version, title=title, opened_by=opened_by)
    submitted_by(assessment_round, respondents, HIGH, also=also)
    return round_close(assessment_round=assessment_round)


def test_manager_home_lists_each_open_round_with_completion_and_a_link_to_close_it(
    client, manager, member, team, open_round
):
    answer_and_submit(open_round, member)

    html = home_of(client, manager)

    # the team: the manager and the member
    assert "2026 Q4: <strong>1 of 2</strong> submitted" in html
    assert f'href="{reverse("assessment:round_close", args=[open_round.pk])}">Close the round' in (
        html
    )
    assert reverse("assessment:round_detail", args=[open_round.pk]) in html


def test_manager_home_shows_each_teams_latest_readiness_and_its_report(
    client, manager, team, small_version
):
    closed = closed_round(team, small_version, manager, 3)

    html = home_of(client, manager)

    assert "2026 Q3, n = 3" in html
    assert "Software engineering: <strong>100%</strong> of 90% target" in html
    assert "at or above target" in html
    assert f'href="{reverse("assessment:report", args=[closed.pk])}">Report' in html


def test_manager_home_withholds_readiness_with_too_few_responses_besides_their_own(
    client, manager, team, small_version
):
    closed_round(team, small_version, manager, 2, also=[manager])

    html = home_of(client, manager)

    assert "2026 Q3: too few responses to report without identifying people" in html
    assert "(3 of 3 submitted)" in html
    assert "<strong>100%</strong>" not in html


def test_manager_home_says_when_a_team_has_no_report_yet(client, manager, team):
    html = home_of(client, manager)

    assert "No report yet" in html


def test_org_lead_has_the_dashboard_in_the_navigation(client, org_lead, manager, organization):
    lead_home = home_of(client, org_lead)
    manager_home = home_of(client, manager)

    link = f'href="{reverse("assessment:dashboard", args=[organization.slug])}">Dashboard</a>'
    assert link in lead_home
    assert "Dashboard</a>" not in manager_home


def test_the_dashboard_link_is_current_on_the_dashboard(client, org_lead, organization):
    client.force_login(org_lead)

    html = client.get(reverse("assessment:dashboard", args=[organization.slug])).content.decode()

    assert 'class="nav-link active" href="/organizations/acme/" aria-current="page">Dashboard' in (
        html
    )


def test_member_home_says_submitted_and_offers_the_summary_once_closed(
    client, member, team, open_round
):
    answer_and_submit(open_round, member)
    while_open = home_of(client, member)
    round_close(assessment_round=open_round)

    closed = home_of(client, member)

    assert "Submitted · see your answers" in while_open
    assert "Start" not in while_open and "Read the summary" not in while_open
    assert f'href="{reverse("assessment:report", args=[open_round.pk])}">Read the summary' in (
        closed
    )
    assert "Teams you can assess" not in closed


def test_a_members_summary_links_only_to_what_the_member_may_open(
    client, member, team, small_version, manager
):
    """Every link on a member's summary opens for them, and every in-page link finds its
    target: no charts, exports or distributions they cannot see."""

    closed = closed_round(team, small_version, manager, 3)
    client.force_login(member)

    html = client.get(reverse("assessment:report", args=[closed.pk])).content.decode()

    assert "Practices against targets" not in html and "(CSV)" not in html
    main = html[html.index("<main") : html.index("</main>")]
    for href in set(re.findall(r'href="([^"]+)"', main)):
        if href.startswith("#"):
            assert f'id="{href[1:]}"' in main, href
        else:
            assert client.get(href).status_code == 200, href


# Superusers reach other organizations through dashboards and the admin ----------------------------


def test_superuser_home_lists_only_teams_they_belong_to_or_lead(
    client, staff, team, other_team, small_version
):
    from tests.factories import MembershipFactory

    MembershipFactory(team=team, user=staff, role="manager")
    elsewhere = MembershipFactory(team=other_team, role="manager").user
    round_open(team=other_team, version=small_version, title="Far away", opened_by=elsewhere)

    html = home_of(client, staff)

    assessed = html.split('id="managed-heading"')[1]
    assert team.name in assessed
    assert other_team.name not in html
    assert "Far away" not in html
    # other organizations stay one link away, through their dashboards
    assert reverse("assessment:dashboard", args=[other_team.organization.slug]) in html


def test_a_superuser_in_no_team_has_no_teams_to_assess(client, staff, other_team, small_version):
    from tests.factories import MembershipFactory

    elsewhere = MembershipFactory(team=other_team, role="manager").user
    round_open(team=other_team, version=small_version, title="Far away", opened_by=elsewhere)

    html = home_of(client, staff)

    assert 'id="managed-heading"' not in html
    assert f"{other_team.organization.name} dashboard" in html
