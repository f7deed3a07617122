"""The record of changes to an organization's teams and people (who, what, when)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Organization, PeopleChange, Team


def person_label(user) -> str:
    """How a person appears in the record: their name and address, or their username."""
    name = user.get_full_name()
    email = user.email or user.get_username()
    return f"{name} <{email}>" if name else email


def change_record(
    *,
    team: Team,
    actor,
    action: PeopleChange.Action,
    person: str = "",
    detail: str = "",
) -> PeopleChange:
    """Record one change to a team's people. Runs inside the caller's transaction, so a
    refused change leaves no record either."""
    return PeopleChange.objects.create(
        organization_id=team.organization_id,
        team=team,
        team_name=team.name,
        actor=actor,
        actor_name=person_label(actor) if actor else "",
        action=action,
        person=person[:254],
        detail=detail[:300],
    )


def changes_of(*, organization: Organization) -> QuerySet[PeopleChange]:
    """The organization's record, newest first."""
    return PeopleChange.objects.filter(organization=organization).select_related("team")
