"""The demo organization that `make run` loads: believable people in three teams."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Membership, Organization, Team

DEMO_PASSWORD = "readiness-demo-2026"  # noqa: S105 - printed for the demo, documented

ORGANIZATION = ("Northwind Analytics", "northwind")
TEAMS = [
    ("Payments Platform", "payments"),
    ("Search Relevance", "search"),
    ("Fraud Models", "fraud"),
]


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    role: str  # what the demo login is for
    staff: bool = False
    lead: bool = False
    manages: tuple[str, ...] = ()
    member_of: tuple[str, ...] = ()


PEOPLE = [
    DemoPerson("admin", "Alex", "Morgan", "admin (staff)", staff=True),
    DemoPerson("olivia", "Olivia", "Brennan", "org lead", lead=True),
    DemoPerson("marcus", "Marcus", "Adeyemi", "manager", manages=("payments", "search")),
    DemoPerson("priya", "Priya", "Raman", "manager", manages=("fraud",)),
    DemoPerson("sofia", "Sofia", "Lindqvist", "member", member_of=("payments",)),
    DemoPerson("daniel", "Daniel", "Okafor", "member", member_of=("payments",)),
    DemoPerson("hana", "Hana", "Kobayashi", "member", member_of=("search",)),
    DemoPerson("lucas", "Lucas", "Ferreira", "member", member_of=("search",)),
    DemoPerson("amara", "Amara", "Nwosu", "member", member_of=("fraud",)),
    DemoPerson("tomas", "Tomás", "Novak", "member", member_of=("fraud", "payments")),
]


@transaction.atomic
def demo_load() -> list[DemoPerson]:
    """Create the demo organization if it is missing; a second call changes nothing."""
    user_model = get_user_model()
    name, slug = ORGANIZATION
    organization, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": name})
    teams = {
        team_slug: Team.objects.get_or_create(
            organization=organization, slug=team_slug, defaults={"name": team_name}
        )[0]
        for team_name, team_slug in TEAMS
    }
    for person in PEOPLE:
        user, created = user_model.objects.get_or_create(
            username=person.username,
            defaults={
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": f"{person.username}@northwind.example",
                "is_staff": person.staff,
                "is_superuser": person.staff,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if person.lead:
            organization.leads.add(user)
        for team_slug, role in [
            *((t, Membership.Role.MANAGER) for t in person.manages),
            *((t, Membership.Role.MEMBER) for t in person.member_of),
        ]:
            Membership.objects.get_or_create(
                user=user, team=teams[team_slug], defaults={"role": role}
            )
    return PEOPLE
