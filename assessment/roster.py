"""What the people pages read: a team's people and open invitations, an organization's
teams, every fetch scoped to the user (``Team.objects.people_managed_by(user)``), so
anything outside the user's teams is a 404 whatever the URL says."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from .models import AssessmentRound, Invitation, Membership, Organization, Team


def people_team(*, user, team_pk: int) -> Team:
    """A team whose people the user manages (its manager, or a lead of its organization)."""
    return get_object_or_404(
        Team.objects.people_managed_by(user).select_related("organization"), pk=team_pk
    )


def people_membership(*, user, team_pk: int, membership_pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.filter(team__in=Team.objects.people_managed_by(user))
        .filter(team_id=team_pk)
        .select_related("user", "team__organization"),
        pk=membership_pk,
    )


def people_invitation(*, user, team_pk: int, invitation_pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.filter(team__in=Team.objects.people_managed_by(user))
        .filter(team_id=team_pk)
        .select_related("team__organization", "invited_by"),
        pk=invitation_pk,
    )


def reminded_round(*, user, round_pk: int) -> AssessmentRound:
    """A round of a team whose people the user may remind."""
    return get_object_or_404(
        AssessmentRound.objects.filter(
            team__in=Team.objects.people_managed_by(user)
        ).select_related("team__organization", "version__questionnaire"),
        pk=round_pk,
    )


def can_manage_people(*, user, team: Team) -> bool:
    return Team.objects.people_managed_by(user).filter(pk=team.pk).exists()


def led_organization(*, user, slug: str) -> Organization:
    """An organization the user leads (staff or not: staff have no say in its people)."""
    return get_object_or_404(Organization.objects.with_lead(user), slug=slug)


@dataclass(frozen=True)
class Roster:
    memberships: list[Membership]
    invitations: list[Invitation]  # neither accepted nor withdrawn, expired ones included

    @property
    def managers(self) -> int:
        return sum(1 for m in self.memberships if m.role == Membership.Role.MANAGER)


def team_roster(*, team: Team) -> Roster:
    """The team's people, managers first, and who has not accepted an invitation."""
    memberships = (
        Membership.objects.filter(team=team)
        .select_related("user")
        .order_by("-role", "user__last_name", "user__first_name", "user__username")
    )  # "member" sorts after "manager": reversed, managers come first
    invitations = (
        Invitation.objects.pending()
        .filter(team=team)
        .select_related("invited_by")
        .order_by("email")
    )
    return Roster(list(memberships), list(invitations))


def organization_teams(*, organization: Organization) -> list[Team]:
    """The organization's teams with their managers, member count and open invitations."""
    managers = Membership.objects.filter(role=Membership.Role.MANAGER).select_related("user")
    return list(
        organization.teams.annotate(
            people=Count("memberships", distinct=True),
            waiting=Count(
                "invitations",
                filter=Q(invitations__accepted_at=None, invitations__revoked_at=None),
                distinct=True,
            ),
        )
        .prefetch_related(Prefetch("memberships", queryset=managers, to_attr="managers"))
        .order_by("name")
    )
