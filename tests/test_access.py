"""Every URL has an owner: a table of roles x expected status, checked against the resolver.

A new route that is missing from ACCESS fails ``test_every_route_is_in_the_table``, so a
view cannot ship without someone deciding who may reach it.
"""

from __future__ import annotations

import contextlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from assessment.rounds import round_close, round_open
from tests.answering import answer_and_submit
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "member",
    "manager",
    "other_manager",
    "org_lead",
    "other_lead",
    "criteria_editor",
    "plain_staff",
    "superuser",
)

OK, LOGIN, MISSING, METHOD = 200, 302, 404, 405

# Statuses for a GET, in the order of ROLES. "member" and "manager" belong to the team whose
# objects the URL names; "org_lead" leads its organization; the "other_" roles hold the same
# role in another team or organization. Criteria editors are staff in the editors group,
# plain staff are staff with no group: both act on criteria only, so every organization is
# another one to them (docs/permissions.md). Superusers reach everything.
EVERYONE = (OK,) * 9
SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK, OK, OK, OK)
TEAM_VISIBLE = (LOGIN, OK, OK, MISSING, OK, MISSING, MISSING, MISSING, OK)
MANAGERS = (LOGIN, MISSING, OK, MISSING, OK, MISSING, MISSING, MISSING, OK)
RESPONDENTS = (LOGIN, OK, OK, MISSING, MISSING, MISSING, MISSING, MISSING, MISSING)
POST_ONLY = (LOGIN,) + (METHOD,) * 8
LEADS = (LOGIN, MISSING, MISSING, MISSING, OK, MISSING, MISSING, MISSING, OK)
SUMMARY_AFTER_CLOSE = (LOGIN, OK, OK, MISSING, OK, MISSING, MISSING, MISSING, OK)
# People: the team's managers and the organization's leads; staff have no say in them, and
# superusers change people in the admin, not here.
PEOPLE = (LOGIN, MISSING, OK, MISSING, OK, MISSING, MISSING, MISSING, MISSING)
ORG_LEADS_ONLY = (LOGIN, MISSING, MISSING, MISSING, OK, MISSING, MISSING, MISSING, MISSING)
OPEN_EXPORT = (LOGIN, MISSING, 409, MISSING, 409, MISSING, MISSING, MISSING, 409)
NOBODY = (MISSING,) * 9  # single sign-on, off unless a deployment turns it on

ACCESS: dict[str, tuple[int, ...]] = {
    "home": EVERYONE,
    "login": EVERYONE,
    "logout": (LOGIN,) + (METHOD,) * 8,
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "password_reset": EVERYONE,
    "password_reset_done": EVERYONE,
    "password_reset_confirm": EVERYONE,  # a bad link: a page that says so
    "password_reset_complete": EVERYONE,
    "preferences": SIGNED_IN,
    "invitation_accept": EVERYONE,  # the link is the key; signed in, it offers to join
    "oidc_authentication_init": NOBODY,
    "oidc_authentication_callback": NOBODY,
    "comparisons:comparison": EVERYONE,
    "assessment:team_detail": TEAM_VISIBLE,
    "assessment:round_create": MANAGERS,
    "assessment:round_detail": MANAGERS,
    "assessment:round_close": MANAGERS,
    "assessment:respond": RESPONDENTS,
    "assessment:answer_save": POST_ONLY,
    "assessment:section_save": POST_ONLY,
    "assessment:review": RESPONDENTS,
    "assessment:submit": POST_ONLY,
    "assessment:my_answers": RESPONDENTS,
    "assessment:report": MANAGERS,
    # Scores leave the app only once a round is closed: 409 for the open round here.
    "assessment:report_csv": OPEN_EXPORT,
    "assessment:answers_csv": OPEN_EXPORT,
    "assessment:report_json": OPEN_EXPORT,
    "assessment:report_pdf": OPEN_EXPORT,
    "assessment:reading_reports": EVERYONE,
    "assessment:closed_report": SUMMARY_AFTER_CLOSE,
    "assessment:dashboard": LEADS,
    "assessment:people": PEOPLE,
    "assessment:people_add": POST_ONLY,
    "assessment:membership_role": POST_ONLY,
    "assessment:membership_remove": PEOPLE,
    "assessment:invitation_resend": POST_ONLY,
    "assessment:invitation_revoke": POST_ONLY,
    "assessment:round_remind": PEOPLE,
    "assessment:team_rename": ORG_LEADS_ONLY,
    "assessment:organization_teams": ORG_LEADS_ONLY,
    "assessment:people_changes": ORG_LEADS_ONLY,
}

# Routes checked elsewhere: the admin site (staff only, tested by test_admin_is_staff_only
# and the admin's own tests) and static files.
DELEGATED_NAMESPACES = {"admin"}


def route_names(patterns, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner in DELEGATED_NAMESPACES:
                continue
            prefix = f"{namespace}{inner}:" if inner else namespace
            names |= route_names(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def criteria_editor(username: str):
    editor = UserFactory(username=username, is_staff=True)
    editor.groups.add(Group.objects.get(name="Criteria editors"))
    return editor


@pytest.fixture
def world(team, organization, member, manager, other_manager, org_lead, staff, small_version):
    """One team with an open and a closed round, and a user for every role."""
    other_lead = UserFactory(username="olaf")
    OrganizationFactory().leads.add(other_lead)
    editor = criteria_editor("edith")
    closed_round = round_open(team=team, version=small_version, title="Closed", opened_by=manager)
    # The member and three others: enough besides any reader for the report to exist.
    for user in (member, *(MembershipFactory(team=team).user for _ in range(3))):
        answer_and_submit(closed_round, user)
    closed_round = round_close(assessment_round=closed_round)
    open_round = round_open(team=team, version=small_version, title="Open", opened_by=manager)
    users = {
        "anonymous": None,
        "member": member,
        "manager": manager,
        "other_manager": other_manager,
        "org_lead": org_lead,
        "other_lead": other_lead,
        "criteria_editor": editor,
        "plain_staff": UserFactory(username="stan", is_staff=True),
        "superuser": staff,
    }
    practice = small_version.practices.first()
    invitation = InvitationFactory(team=team, token="world-token")
    kwargs = {
        "team_pk": team.pk,
        "round_pk": open_round.pk,
        "practice_pk": practice.pk,
        "slug": organization.slug,
        "membership_pk": member.memberships.get(team=team).pk,
        "invitation_pk": invitation.pk,
        "token": "world-token",
    }
    return users, kwargs, closed_round


def url_for(name: str, kwargs: dict, closed_round) -> str:
    if name == "assessment:closed_report":
        return reverse("assessment:report", kwargs={"round_pk": closed_round.pk})
    # Each route takes one of these shapes of arguments; the resolver says which.
    for candidate in (
        {},
        {"team_pk": kwargs["team_pk"]},
        {"round_pk": kwargs["round_pk"]},
        {"round_pk": kwargs["round_pk"], "practice_pk": kwargs["practice_pk"]},
        {"slug": kwargs["slug"]},
        {"team_pk": kwargs["team_pk"], "membership_pk": kwargs["membership_pk"]},
        {"team_pk": kwargs["team_pk"], "invitation_pk": kwargs["invitation_pk"]},
        {"token": kwargs["token"]},
        {"uidb64": "MQ", "token": "set-password"},
    ):
        with contextlib.suppress(NoReverseMatch):
            return reverse(name, kwargs=candidate)
    raise AssertionError(f"cannot build a URL for {name}")


def database_fingerprint() -> dict[str, list[tuple]]:
    """Every row of the project's tables, field by field: an UPDATE shows, not only an
    INSERT or a DELETE. (Signing in stamps ``last_login``; that is left out.)"""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label not in {"assessment", "comparisons", "auth"}:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        rows[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return rows


def test_every_route_is_in_the_table():
    routes = route_names(get_resolver().url_patterns)

    assert routes - set(ACCESS) == set(), "add these routes to ACCESS with their owners"
    assert set(ACCESS) - routes - {"assessment:closed_report"} == set()


def test_every_route_answers_every_role_as_the_table_says(client, world):
    users, kwargs, closed_round = world
    before = database_fingerprint()
    failures = []

    for name, statuses in ACCESS.items():
        url = url_for(name, kwargs, closed_round)
        for role, expected in zip(ROLES, statuses, strict=True):
            client.logout()
            if users[role] is not None:
                client.force_login(users[role])
            response = client.get(url)
            status = response.status_code
            if status != expected:
                failures.append(f"{name} as {role}: {status}, expected {expected}")
            if status == OK and response["Content-Type"].startswith("text/html"):
                html = response.content.decode()
                if "{#" in html or "{%" in html:  # e.g. a template comment over two lines
                    failures.append(f"{name} as {role}: template syntax in the page")

    assert failures == []
    assert database_fingerprint() == before, "a GET changed the database"


def test_anonymous_visitors_are_sent_to_sign_in_with_a_next_link(client, world):
    _, kwargs, closed_round = world

    response = client.get(url_for("assessment:report", kwargs, closed_round))

    assert response.url.startswith(reverse("login") + "?next=")


def test_admin_is_staff_only(client, world):
    users, _, _ = world

    for role in ROLES:
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        status = client.get(reverse("admin:index")).status_code

        assert status == (
            OK if role in {"criteria_editor", "plain_staff", "superuser"} else LOGIN
        ), role


# No object leaks across teams or organizations, by htmx POST ------------------------------


def outsider_of(kind: str):
    """Someone with no role in the world's organization."""
    if kind == "other_manager":
        return MembershipFactory(team=TeamFactory(), role="manager").user
    if kind == "criteria_editor":
        return criteria_editor("erin")
    return UserFactory(username="stella", is_staff=True)


@pytest.mark.parametrize("outsider", ["other_manager", "criteria_editor", "plain_staff"])
@pytest.mark.parametrize(
    "name",
    [
        "answer_save",
        "section_save",
        "submit",
        "round_close",
        "round_create",
        "people_add",
        "membership_role",
        "membership_remove",
        "invitation_resend",
        "invitation_revoke",
        "round_remind",
        "team_rename",
        "organization_teams",
    ],
)
def test_posts_to_another_teams_objects_are_404_and_change_nothing(client, world, name, outsider):
    users, kwargs, closed_round = world
    client.force_login(outsider_of(outsider))
    before = database_fingerprint()
    url = url_for(f"assessment:{name}", kwargs, closed_round)

    response = client.post(
        url,
        {"title": "Hijack", "q-1": "1", "name": "Hijack", "role": "manager", "addresses": "x@y.z"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 404
    assert database_fingerprint() == before


@pytest.mark.parametrize("role", ["other_lead", "criteria_editor", "plain_staff"])
def test_others_cannot_read_a_closed_rounds_reports_or_exports(client, world, role):
    users, kwargs, closed_round = world
    client.force_login(users[role])

    for name in ["report", "report_csv", "answers_csv", "report_json"]:
        url = reverse(f"assessment:{name}", kwargs={"round_pk": closed_round.pk})

        assert client.get(url).status_code == 404, name


def test_staff_act_on_the_rounds_of_their_own_teams_only(client, world, team, other_team):
    """Being staff neither grants nor takes away: a criteria editor who manages a team
    runs its rounds like any manager, and nobody else's."""
    users, kwargs, closed_round = world
    editor = users["criteria_editor"]
    MembershipFactory(team=team, user=editor, role="manager")
    elsewhere = round_open(
        team=other_team, version=closed_round.version, title="Theirs", opened_by=editor
    )
    client.force_login(editor)

    own = client.post(reverse("assessment:round_close", kwargs={"round_pk": kwargs["round_pk"]}))
    theirs = client.post(reverse("assessment:round_close", kwargs={"round_pk": elsewhere.pk}))

    assert own.status_code == 302
    assert theirs.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.is_open
