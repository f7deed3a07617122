"""Following an invitation's link: accept once, before it expires; otherwise a clear page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from assessment.invitations import invitation_resend, invitation_revoke
from assessment.models import Invitation, Membership
from assessment.people import PersonEntry, people_add
from tests.factories import (
    TEST_PASSWORD,
    InvitationFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and new passphrase 7"


def link(token: str) -> str:
    return reverse("invitation_accept", args=[token])


def accept(client, token: str, **fields):
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return client.post(link(token), {**data, **fields})


def fingerprint() -> tuple:
    return (
        get_user_model().objects.count(),
        Membership.objects.count(),
        list(Invitation.objects.values_list("pk", "accepted_at", "revoked_at", "token_hash")),
    )


@pytest.fixture
def invitation(team, manager):
    return InvitationFactory(
        team=team, email="ada@example.com", token="ada-token", invited_by=manager
    )


def test_the_link_shows_the_team_and_a_password_form(client, invitation):
    response = client.get(link("ada-token"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Join Payments" in html
    assert "ada@example.com" in html
    assert 'name="password1"' in html


def test_accepting_creates_the_account_joins_the_team_and_signs_in(client, invitation, team):
    response = accept(client, "ada-token")

    user = get_user_model().objects.get(email="ada@example.com")
    assert response.status_code == 302
    assert user.username == "ada@example.com"
    assert user.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=user, team=team).role == "member"
    assert client.session["_auth_user_id"] == str(user.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_accepting_also_accepts_the_other_teams_that_invited_the_address(client, invitation):
    second = InvitationFactory(team=TeamFactory(), email="ada@example.com")

    accept(client, "ada-token")

    user = get_user_model().objects.get(email="ada@example.com")
    assert Membership.objects.filter(user=user, team=second.team).exists()


def test_a_reused_link_shows_a_clear_page_and_changes_nothing(client, invitation):
    accept(client, "ada-token")
    client.logout()
    before = fingerprint()

    shown = client.get(link("ada-token"))
    posted = accept(client, "ada-token", first_name="Mallory")

    assert shown.status_code == 410
    assert "already been used" in shown.content.decode()
    assert posted.status_code == 410
    assert fingerprint() == before


def test_an_expired_link_shows_a_clear_page_and_changes_nothing(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    before = fingerprint()

    shown = client.get(link("ada-token"))
    posted = accept(client, "ada-token")

    assert shown.status_code == 410
    assert "This invitation has expired" in shown.content.decode()
    assert posted.status_code == 410
    assert fingerprint() == before


def test_links_expire_after_the_configured_days(invitation, manager, settings):
    settings.READINESS_INVITATION_DAYS = 2

    resent = invitation_resend(invitation=invitation, by=manager)

    assert resent.expires_at - resent.sent_at == timedelta(days=2)


def test_a_withdrawn_link_shows_a_clear_page_and_changes_nothing(client, invitation, manager):
    invitation_revoke(invitation=invitation, by=manager)
    before = fingerprint()

    shown = client.get(link("ada-token"))
    posted = accept(client, "ada-token")

    assert shown.status_code == 410
    assert "withdrawn" in shown.content.decode()
    assert posted.status_code == 410
    assert fingerprint() == before


def test_an_unknown_link_is_404_and_changes_nothing(client, invitation):
    before = fingerprint()

    response = accept(client, "no-such-token")

    assert response.status_code == 404
    assert "does not work" in response.content.decode()
    assert fingerprint() == before


def test_sending_again_makes_the_old_link_stop_working(client, invitation, manager):
    invitation_resend(invitation=invitation, by=manager)

    assert client.get(link("ada-token")).status_code == 404


def test_a_weak_password_is_refused_and_nothing_is_created(client, invitation):
    before = fingerprint()

    response = accept(client, "ada-token", password1="short", password2="short")

    assert response.status_code == 400
    assert "at least 12 characters" in response.content.decode()
    assert fingerprint() == before


def test_someone_signed_in_with_the_invited_address_joins_with_one_click(client, invitation, team):
    ada = UserFactory(username="ada", email="ada@example.com")
    client.force_login(ada)

    response = client.post(link("ada-token"))

    assert response.status_code == 302
    assert Membership.objects.filter(user=ada, team=team).exists()


def test_someone_signed_in_with_another_address_cannot_take_the_invitation(
    client, invitation, member
):
    client.force_login(member)
    before = fingerprint()

    response = client.post(link("ada-token"))

    assert response.status_code == 403
    assert fingerprint() == before


def test_an_existing_account_is_asked_to_sign_in_first(client, invitation):
    UserFactory(username="ada", email="ada@example.com")

    response = client.get(link("ada-token"))

    html = response.content.decode()
    assert "already an account" in html
    assert 'name="password1"' not in html


def test_a_manager_sends_again_and_withdraws_from_the_people_page(
    client, invitation, team, manager
):
    client.force_login(manager)
    old_hash = invitation.token_hash

    resent = client.post(reverse("assessment:invitation_resend", args=[team.pk, invitation.pk]))
    invitation.refresh_from_db()
    new_hash = invitation.token_hash
    withdrawn = client.post(reverse("assessment:invitation_revoke", args=[team.pk, invitation.pk]))

    assert resent.status_code == withdrawn.status_code == 302
    assert new_hash != old_hash
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_an_account_of_another_organization_joins_only_once_it_accepts(
    client, team, manager, other_team, mailoutbox, django_capture_on_commit_callbacks
):
    ines = MembershipFactory(team=other_team, user=UserFactory(username="ines")).user
    with django_capture_on_commit_callbacks(execute=True):
        people_add(team=team, people=[PersonEntry(ines.email)], role="member", by=manager)
    token = mailoutbox[0].body.split("/accounts/invitations/")[1].split("/")[0]

    page = client.get(link(token)).content.decode()
    signed_in = client.post(
        reverse("login"), {"username": "ines", "password": TEST_PASSWORD, "next": link(token)}
    )
    member_before = Membership.objects.filter(user=ines, team=team).exists()
    joined = client.post(link(token))

    assert "Sign in" in page
    assert 'name="password1"' not in page
    assert signed_in.status_code == 302
    assert signed_in.url == link(token)
    assert member_before is False
    assert joined.status_code == 302
    assert joined.url == reverse("assessment:team_detail", args=[team.pk])
    assert Membership.objects.get(user=ines, team=team).role == "member"
    assert Invitation.objects.get(team=team).accepted_by == ines
