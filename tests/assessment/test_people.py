"""People pages and services: who may add, remove, invite; what is recorded."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.errors import AssessmentError
from assessment.models import (
    Invitation,
    Membership,
    PeopleChange,
    ReportSnapshot,
    Response,
    Team,
)
from assessment.people import PersonEntry, membership_remove, people_add, team_create
from assessment.rounds import round_close, round_open
from tests.answering import answer, answer_and_submit
from tests.factories import MembershipFactory, OrganizationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def people_url(team) -> str:
    return reverse("assessment:people", args=[team.pk])


def add(client, team, addresses: str, role: str = "member", **extra):
    return client.post(
        reverse("assessment:people_add", args=[team.pk]),
        {"addresses": addresses, "role": role, **extra},
    )


# Each role's people pages ------------------------------------------------------------------


def test_a_manager_sees_the_team_and_who_has_not_accepted(client, team, manager, member):
    people_add(team=team, people=[PersonEntry("new@example.com")], role="member", by=manager)
    client.force_login(manager)

    response = client.get(people_url(team))

    html = response.content.decode()
    assert response.status_code == 200
    assert member.email in html
    assert "new@example.com" in html
    assert "Invited, not accepted yet" in html


def test_an_org_lead_sees_the_people_of_every_team_of_the_organization(client, team, org_lead):
    second = TeamFactory(organization=team.organization)
    client.force_login(org_lead)

    assert client.get(people_url(team)).status_code == 200
    assert client.get(people_url(second)).status_code == 200


@pytest.mark.parametrize("who", ["member", "other_manager", "staff", "outsider"])
def test_others_get_404_for_a_teams_people(client, team, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(people_url(team)).status_code == 404


def test_a_lead_of_another_organization_gets_404_everywhere(client, team, manager, member):
    stranger = UserFactory(username="foreign-lead")
    OrganizationFactory().leads.add(stranger)
    membership = Membership.objects.get(user=member, team=team)
    client.force_login(stranger)
    before = Membership.objects.count(), Invitation.objects.count()

    urls = [
        people_url(team),
        reverse("assessment:membership_remove", args=[team.pk, membership.pk]),
        reverse("assessment:organization_teams", args=[team.organization.slug]),
        reverse("assessment:people_changes", args=[team.organization.slug]),
        reverse("assessment:team_rename", args=[team.pk]),
    ]
    statuses = [client.get(url).status_code for url in urls]
    posted = add(client, team, "intruder@example.com").status_code

    assert statuses == [404] * len(urls)
    assert posted == 404
    assert (Membership.objects.count(), Invitation.objects.count()) == before


def test_a_membership_of_another_team_is_404_even_through_ones_own_team(
    client, team, manager, other_team
):
    elsewhere = MembershipFactory(team=other_team)
    client.force_login(manager)

    url = reverse("assessment:membership_remove", args=[team.pk, elsewhere.pk])

    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


def test_the_org_leads_teams_page_lists_teams_with_managers(client, team, manager, org_lead):
    client.force_login(org_lead)

    response = client.get(reverse("assessment:organization_teams", args=["acme"]))

    assert response.status_code == 200
    assert manager.get_full_name() in response.content.decode()


# Adding ------------------------------------------------------------------------------------


def test_someone_already_in_the_organization_is_added_at_once_and_told(
    client, team, manager, mailoutbox, django_capture_on_commit_callbacks
):
    existing = UserFactory(username="ines", email="Ines@Example.com")
    MembershipFactory(team=TeamFactory(organization=team.organization), user=existing)
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = add(client, team, "ines@example.com")

    assert response.status_code == 302
    assert Membership.objects.filter(user=existing, team=team, role="member").exists()
    assert not Invitation.objects.exists()
    assert [m.to for m in mailoutbox] == [["Ines@Example.com"]]


def test_a_lead_of_the_organization_is_added_at_once(team, manager, org_lead):
    result = people_add(team=team, people=[PersonEntry(org_lead.email)], role="member", by=manager)

    assert result.added == [org_lead.email]
    assert Membership.objects.filter(user=org_lead, team=team).exists()


def added_message(client, team, address: str) -> str:
    """What the manager reads after adding ``address``, with the address blanked out."""
    response = add(client, team, address)
    assert response.status_code == 302
    shown = [str(m) for m in client.get(response.url).context["messages"]]
    return " ".join(shown).replace(address, "<address>")


def test_an_account_outside_the_organization_is_invited_and_the_manager_cannot_tell(
    client, team, manager, other_team
):
    elsewhere = MembershipFactory(team=other_team, user=UserFactory(username="ines")).user
    client.force_login(manager)

    for_a_new_address = added_message(client, team, "nobody-here@example.com")
    for_the_account = added_message(client, team, elsewhere.email)

    assert for_the_account == for_a_new_address
    assert "Invited <address>" in for_the_account
    assert not Membership.objects.filter(user=elsewhere, team=team).exists()
    assert Invitation.objects.pending().filter(team=team, email=elsewhere.email).exists()
    changes = PeopleChange.objects.filter(team=team).values_list("action", "person")
    assert ("person_invited", elsewhere.email) in changes


def test_an_account_outside_the_organization_gets_no_mail_saying_it_was_added(
    team, manager, other_team, mailoutbox, django_capture_on_commit_callbacks
):
    elsewhere = MembershipFactory(team=other_team, user=UserFactory(username="ines")).user

    with django_capture_on_commit_callbacks(execute=True):
        people_add(team=team, people=[PersonEntry(elsewhere.email)], role="member", by=manager)

    [message] = mailoutbox
    assert message.to == [elsewhere.email]
    assert "/accounts/invitations/" in message.body
    assert "sign in" in message.body
    assert "choose a password" not in message.body


def test_two_accounts_outside_the_organization_sharing_an_address_are_not_revealed(team, manager):
    UserFactory(username="twin-1", email="twin@example.com")
    UserFactory(username="twin-2", email="Twin@example.com")

    result = people_add(
        team=team, people=[PersonEntry("twin@example.com")], role="member", by=manager
    )

    assert result.invited == ["twin@example.com"]


def test_an_org_lead_names_a_manager_from_another_organization_by_invitation(
    client, organization, org_lead, other_manager
):
    client.force_login(org_lead)

    client.post(
        reverse("assessment:organization_teams", args=[organization.slug]),
        {"name": "Data Platform", "managers": other_manager.email},
    )

    team = Team.objects.get(name="Data Platform")
    assert not Membership.objects.filter(team=team).exists()
    assert Invitation.objects.get(team=team, email=other_manager.email).role == "manager"


def test_anyone_else_is_invited_by_mail_with_a_link(
    client, team, manager, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        add(client, team, "a@example.com, b@example.com\nc@example.com")

    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "a@example.com",
        "b@example.com",
        "c@example.com",
    ]
    assert sorted(m.to[0] for m in mailoutbox) == [
        "a@example.com",
        "b@example.com",
        "c@example.com",
    ]
    message = mailoutbox[0]
    assert "http://testserver/accounts/invitations/" not in message.body  # not the request's host
    assert "/accounts/invitations/" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_the_token_is_stored_only_as_a_hash(
    client, team, manager, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        add(client, team, "a@example.com")

    token = mailoutbox[0].body.split("/accounts/invitations/")[1].split("/")[0]
    stored = Invitation.objects.get()
    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64


def test_a_csv_of_names_and_addresses_invites_each_with_their_name(client, team, manager):
    client.force_login(manager)
    upload = SimpleUploadedFile(
        "people.csv", b"name,email\nAda Lovelace,ada@example.com\nAlan Turing,alan@example.com\n"
    )

    response = add(client, team, "", csv_file=upload)

    assert response.status_code == 302
    assert dict(Invitation.objects.values_list("email", "name")) == {
        "ada@example.com": "Ada Lovelace",
        "alan@example.com": "Alan Turing",
    }


def test_named_addresses_pasted_from_a_mail_client_are_read(client, team, manager):
    client.force_login(manager)

    add(client, team, "Grace Hopper <grace@example.com>")

    assert Invitation.objects.get().name == "Grace Hopper"


def test_one_bad_address_adds_nobody_and_says_which(client, team, manager):
    client.force_login(manager)

    response = add(client, team, "good@example.com, not-an-address")

    assert response.status_code == 400
    assert "not-an-address" in response.content.decode()
    assert not Invitation.objects.exists()


def test_people_already_in_the_team_or_invited_are_left_as_they_are(team, manager, member):
    people_add(team=team, people=[PersonEntry("new@example.com")], role="member", by=manager)

    result = people_add(
        team=team,
        people=[PersonEntry(member.email), PersonEntry("new@example.com")],
        role="manager",
        by=manager,
    )

    assert result.already == [member.email, "new@example.com"]
    assert Membership.objects.get(user=member, team=team).role == "member"
    assert Invitation.objects.count() == 1


def test_an_org_lead_creates_a_team_and_names_its_manager(client, organization, org_lead):
    existing = MembershipFactory(
        team=TeamFactory(organization=organization), user=UserFactory(username="nora")
    ).user
    client.force_login(org_lead)

    response = client.post(
        reverse("assessment:organization_teams", args=[organization.slug]),
        {"name": "Data Platform", "managers": f"{existing.email}, fresh@example.com"},
    )

    team = Team.objects.get(name="Data Platform")
    assert response.status_code == 302
    assert Membership.objects.get(team=team, user=existing).role == "manager"
    assert Invitation.objects.get(team=team).role == "manager"


def test_a_second_team_with_the_same_name_is_refused(organization, org_lead):
    team_create(organization=organization, name="Data", by=org_lead)

    with pytest.raises(AssessmentError):
        team_create(organization=organization, name=" data ", by=org_lead)

    assert Team.objects.filter(organization=organization).count() == 1


def test_a_manager_cannot_create_teams(client, organization, manager):
    client.force_login(manager)

    response = client.post(
        reverse("assessment:organization_teams", args=[organization.slug]), {"name": "Mine"}
    )

    assert response.status_code == 404
    assert not Team.objects.filter(name="Mine").exists()


def test_an_org_lead_renames_a_team(client, team, org_lead):
    client.force_login(org_lead)

    client.post(reverse("assessment:team_rename", args=[team.pk]), {"name": "Payments Core"})

    team.refresh_from_db()
    assert team.name == "Payments Core"


# Removing and roles ------------------------------------------------------------------------


def test_removing_someone_keeps_their_answers_in_the_closed_report_and_ends_their_access(
    client, team, manager, member, small_version
):
    assessment_round = round_open(team=team, version=small_version, title="Q1", opened_by=manager)
    answer_and_submit(assessment_round, member)
    round_close(assessment_round=assessment_round)
    report_before = ReportSnapshot.objects.get(round=assessment_round).report
    client.force_login(member)
    summary = reverse("assessment:report", args=[assessment_round.pk])
    assert client.get(summary).status_code == 200

    membership_remove(membership=Membership.objects.get(user=member, team=team), by=manager)

    assert ReportSnapshot.objects.get(round=assessment_round).report == report_before
    assert ReportSnapshot.objects.get(round=assessment_round).respondents == 1
    assert client.get(summary).status_code == 404
    assert client.get(reverse("assessment:team_detail", args=[team.pk])).status_code == 404


@pytest.fixture
def four_answered_two_removed(team, manager, small_version):
    """A round that four members of the team (and its manager) answered, from which two of
    them were removed before it closed; and a fifth member who only started, removed too."""
    assessment_round = round_open(team=team, version=small_version, title="Q1", opened_by=manager)
    answered = [MembershipFactory(team=team).user for _ in range(4)]
    for user in answered:
        answer_and_submit(assessment_round, user)
    started = MembershipFactory(team=team).user
    answer(assessment_round, started, {"code-in-vcs": "all"})
    for user in [*answered[:2], started]:
        membership_remove(membership=Membership.objects.get(user=user, team=team), by=manager)
    return assessment_round


def test_removed_people_who_submitted_count_among_the_members_of_the_report(
    client, team, manager, four_answered_two_removed
):
    round_close(assessment_round=four_answered_two_removed)
    client.force_login(manager)

    html = client.get(reverse("assessment:report", args=[four_answered_two_removed.pk]))

    snapshot = ReportSnapshot.objects.get(round=four_answered_two_removed)
    # in the team at close: the manager and two members; and the two removed who answered
    assert (snapshot.respondents, snapshot.members) == (4, 5)
    assert snapshot.report["members"] == 5
    assert "<strong>n = 4</strong> of 5 members submitted" in html.content.decode()


def test_completion_counts_removed_people_who_submitted_and_not_those_who_only_started(
    client, team, manager, four_answered_two_removed
):
    client.force_login(manager)

    html = client.get(
        reverse("assessment:round_detail", args=[four_answered_two_removed.pk])
    ).content.decode()

    assert "4 of 5 submitted" in html
    assert html.count("No longer in the team") == 2
    assert html.count("In progress") == 0


def test_a_removed_persons_draft_counts_nowhere(team, manager, small_version):
    assessment_round = round_open(team=team, version=small_version, title="Q1", opened_by=manager)
    for user in [MembershipFactory(team=team).user for _ in range(3)]:
        answer_and_submit(assessment_round, user)
    started = MembershipFactory(team=team).user
    answer(assessment_round, started, {"code-in-vcs": "all"})
    membership_remove(membership=Membership.objects.get(user=started, team=team), by=manager)

    round_close(assessment_round=assessment_round)

    snapshot = ReportSnapshot.objects.get(round=assessment_round)
    assert (snapshot.respondents, snapshot.members) == (3, 4)  # the manager and three members
    assert Response.objects.filter(round=assessment_round, respondent=started).exists()


def test_a_manager_removes_a_member_after_confirming(client, team, manager, member):
    membership = Membership.objects.get(user=member, team=team)
    url = reverse("assessment:membership_remove", args=[team.pk, membership.pk])
    client.force_login(manager)

    confirm = client.get(url)
    response = client.post(url)

    assert confirm.status_code == 200
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_manager_cannot_remove_themselves(client, team, manager):
    membership = Membership.objects.get(user=manager, team=team)
    client.force_login(manager)

    response = client.post(reverse("assessment:membership_remove", args=[team.pk, membership.pk]))

    assert response.status_code == 409
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_changing_a_role_with_htmx_redraws_the_people_region(client, team, manager, member):
    membership = Membership.objects.get(user=member, team=team)
    client.force_login(manager)

    response = client.post(
        reverse("assessment:membership_role", args=[team.pk, membership.pk]),
        {"role": "manager"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="people">')
    assert "is now a manager" in html
    membership.refresh_from_db()
    assert membership.role == "manager"


def test_a_role_that_does_not_exist_is_refused(client, team, manager, member):
    membership = Membership.objects.get(user=member, team=team)
    client.force_login(manager)

    response = client.post(
        reverse("assessment:membership_role", args=[team.pk, membership.pk]), {"role": "owner"}
    )

    assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.role == "member"


# The record --------------------------------------------------------------------------------


def test_every_change_is_recorded_and_the_org_lead_reads_it(
    client, team, manager, member, org_lead
):
    people_add(team=team, people=[PersonEntry("new@example.com")], role="member", by=manager)
    membership_remove(membership=Membership.objects.get(user=member, team=team), by=manager)
    client.force_login(org_lead)

    response = client.get(reverse("assessment:people_changes", args=[team.organization.slug]))

    actions = list(PeopleChange.objects.values_list("action", "person"))
    assert ("person_invited", "new@example.com") in actions
    assert ("person_removed", f"{member.get_full_name()} <{member.email}>") in actions
    html = response.content.decode()
    assert "new@example.com" in html
    assert manager.get_full_name() in html


def test_a_manager_cannot_read_the_organizations_record(client, team, manager):
    client.force_login(manager)

    url = reverse("assessment:people_changes", args=[team.organization.slug])

    assert client.get(url).status_code == 404


def test_home_and_dashboard_count_a_removed_respondent_among_the_members(
    client, team, manager, org_lead, small_version
):
    """Completion of an open round on the home page and the dashboard uses the same N as
    the report it closes into: never "2 of 1 submitted"."""
    assessment_round = round_open(team=team, version=small_version, title="Q1", opened_by=manager)
    leaving = MembershipFactory(team=team).user
    answer_and_submit(assessment_round, leaving)
    answer_and_submit(assessment_round, manager)
    membership_remove(membership=Membership.objects.get(user=leaving, team=team), by=manager)

    client.force_login(manager)
    home = client.get(reverse("home")).content.decode()
    client.force_login(org_lead)
    board = client.get(reverse("assessment:dashboard", args=[team.organization.slug]))

    assert "<strong>2 of 2</strong> submitted" in home
    assert "2 of 2 submitted" in board.content.decode()
