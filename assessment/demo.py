"""The demo organization that `make run` loads: believable people in three teams."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from . import notifications, scoring
from .answering import AnswerInput, answers_save
from .criteria.document import DEFAULT_QUESTIONNAIRE, FIRST_VERSION
from .criteria.lifecycle import questionnaire_import_file
from .criteria.loading import round_criteria
from .models import (
    AssessmentRound,
    Invitation,
    Membership,
    Organization,
    QuestionnaireVersion,
    Team,
)
from .people import PersonEntry, people_add
from .rounds import response_submit, round_close, round_open

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
    DemoPerson("admin", "Alex", "Morgan", "admin (superuser)", staff=True),
    DemoPerson("olivia", "Olivia", "Brennan", "org lead", lead=True),
    DemoPerson("marcus", "Marcus", "Adeyemi", "manager", manages=("payments", "search")),
    DemoPerson("priya", "Priya", "Raman", "manager", manages=("fraud",)),
    DemoPerson("sofia", "Sofia", "Lindqvist", "member", member_of=("payments",)),
    DemoPerson("daniel", "Daniel", "Okafor", "member", member_of=("payments",)),
    DemoPerson("hana", "Hana", "Kobayashi", "member", member_of=("search",)),
    DemoPerson("lucas", "Lucas", "Ferreira", "member", member_of=("search",)),
    DemoPerson("mei", "Mei", "Chen", "member", member_of=("search",)),
    DemoPerson("amara", "Amara", "Nwosu", "member", member_of=("fraud",)),
    DemoPerson("zara", "Zara", "Haddad", "member", member_of=("fraud",)),
    DemoPerson("tomas", "Tomás", "Novak", "member", member_of=("fraud", "payments")),
]


@transaction.atomic
def demo_load() -> list[DemoPerson]:
    """Load the default questionnaire and the demo organization with a few rounds.

    Everything is created only when missing, so a second call changes nothing.
    """
    questionnaire_import_file(path=FIRST_VERSION)
    questionnaire_import_file(path=DEFAULT_QUESTIONNAIRE)
    demo_people()
    with notifications.quiet():  # rounds of the past: news to nobody
        demo_rounds()
    demo_invitations()
    return PEOPLE


def demo_people() -> None:
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


@dataclass(frozen=True)
class DemoRound:
    team: str
    title: str
    version: int  # of the default questionnaire: 1 before scopes, 2 with them
    respondents: tuple[str, ...]
    submit: bool
    close: bool
    strength: tuple[float, float]  # how strong the answers are on software / AI practices
    scope: tuple[str, str, str] = ("", "", "")  # system, kind, tier (version 2)


# Payments runs no AI yet, Search a hosted-LLM assistant, Fraud an in-house model: each
# team's latest round is on version 2 with its own scope; older ones on version 1 make a
# trend across the two versions. The open rounds have someone halfway through.
PAYMENTS = ("Payments API", "no-ai", "customer-facing")
SEARCH = ("Search assistant", "hosted-llm", "customer-facing")
FRAUD = ("Fraud scoring model", "in-house-ml", "people-or-regulated")
ROUNDS = [
    DemoRound("payments", "2026 Q2", 1, ("sofia", "daniel", "tomas"), True, True, (0.55, 0.2)),
    DemoRound("payments", "2026 Q3", 1, ("sofia", "daniel", "tomas"), True, True, (0.7, 0.3)),
    DemoRound("search", "2026 Q3", 1, ("hana", "lucas", "mei"), True, True, (0.65, 0.5)),
    DemoRound("fraud", "2026 Q3", 1, ("amara", "zara", "tomas"), True, True, (0.5, 0.6)),
    DemoRound("payments", "2026 Q4", 2, ("sofia", "daniel", "tomas"), True, True, (0.8, 0.2),
              PAYMENTS),
    DemoRound("search", "2026 Q4", 2, ("hana", "lucas", "mei"), True, True, (0.7, 0.55),
              SEARCH),
    DemoRound("fraud", "2026 Q4", 2, ("amara", "zara"), True, False, (0.55, 0.7), FRAUD),
    DemoRound("payments", "2027 Q1", 2, ("daniel",), False, False, (0.8, 0.25), PAYMENTS),
]  # fmt: skip


def _choices(
    criteria: scoring.Criteria, strength: tuple[float, float], rng: random.Random
) -> dict[str, str]:
    """Plausible answers: stronger teams pick higher options, with some spread."""
    practices = {p.key: p for p in criteria.practices}
    chosen: dict[str, str] = {}
    for question in criteria.questions:
        if question.show_if and chosen.get(question.show_if.question) not in (
            question.show_if.options
        ):
            continue
        practice = practices[question.practice]
        ai_only = practice.weights.get("software-engineering", 0) == 0
        level = strength[1] if ai_only else strength[0]
        scored = sorted((o for o in question.options if o.value is not None), key=lambda o: o.value)
        if rng.random() < 0.06:
            unscored = [o for o in question.options if o.unscored == scoring.DONT_KNOW]
            if unscored:
                chosen[question.key] = unscored[0].key
                continue
        index = round(level * (len(scored) - 1) + rng.uniform(-1, 1))
        chosen[question.key] = scored[max(0, min(len(scored) - 1, index))].key
    return chosen


def demo_rounds() -> None:
    """Rounds with answers, so the reports, trend and dashboard have something to show."""
    user_model = get_user_model()
    organization = Organization.objects.get(slug=ORGANIZATION[1])
    for demo in ROUNDS:
        team = Team.objects.get(organization=organization, slug=demo.team)
        if AssessmentRound.objects.filter(team=team, title=demo.title).exists():
            continue
        version = QuestionnaireVersion.objects.get(
            questionnaire__slug="ai-engineering-readiness", number=demo.version
        )
        system, kind, tier = demo.scope
        manager = team.memberships.filter(role=Membership.Role.MANAGER).first().user
        assessment_round = round_open(
            team=team, version=version, title=demo.title, opened_by=manager,
            system_name=system, system_kind=kind, risk_tier=tier,
        )  # fmt: skip
        criteria = round_criteria(assessment_round)
        question_pks = {key: pk for pk, key in criteria.question_keys.items()}
        option_pks = {
            (criteria.question_keys[question_pk], option.key): option.pk
            for option_pk, (question_pk, option) in criteria.options_by_pk.items()
        }
        for username in demo.respondents:
            user = user_model.objects.get(username=username)
            seed = f"{demo.team}:{demo.title}:{username}"
            chosen = _choices(criteria.engine, demo.strength, random.Random(seed))  # noqa: S311
            if not demo.submit:
                chosen = dict(list(chosen.items())[: len(chosen) // 2])
            answers_save(
                assessment_round=assessment_round,
                respondent=user,
                answers=[
                    AnswerInput(question_pks[q], option_pks[(q, o)], None)
                    for q, o in chosen.items()
                ],
            )
            if demo.submit:
                response_submit(assessment_round=assessment_round, respondent=user)
        if demo.close:
            round_close(assessment_round=assessment_round)


# Invitations not accepted yet, so the people pages show some; their mail (printed on the
# console by `make run`) carries links that work.
INVITATIONS = [
    ("payments", "marcus", "Noor Haddad", "noor@northwind.example"),
    ("fraud", "priya", "Ravi Menon", "ravi@northwind.example"),
]


def demo_invitations() -> None:
    organization = Organization.objects.get(slug=ORGANIZATION[1])
    user_model = get_user_model()
    for team_slug, manager, name, email in INVITATIONS:
        if Invitation.objects.filter(email=email).exists():
            continue
        people_add(
            team=Team.objects.get(organization=organization, slug=team_slug),
            people=[PersonEntry(email=email, name=name)],
            role=Membership.Role.MEMBER,
            by=user_model.objects.get(username=manager),
        )
