import pytest
from django.urls import reverse

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
