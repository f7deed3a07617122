"""Pages and downloads with scores, answers or completion are never kept by a shared cache
or on the browser's disk: ``Cache-Control: private, no-store``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessment.rounds import round_close, round_open
from tests.answering import SMALL_ALL, answer_and_submit, option_of, question_of
from tests.factories import MembershipFactory
from tests.test_access import ACCESS, url_for
from tests.test_access import world as access_world

pytestmark = pytest.mark.django_db

world = access_world  # the route x role table's users and objects, as a fixture here


def is_private(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


@pytest.fixture
def closed_round(team, manager, small_version):
    closed = round_open(
        team=team, version=small_version, title="Closed", opened_by=manager, system_name="Other"
    )
    for _ in range(3):
        answer_and_submit(closed, MembershipFactory(team=team).user)
    return round_close(assessment_round=closed)


@pytest.mark.parametrize(
    ("user_fixture", "name", "on"),
    [
        ("manager", "assessment:report", "closed"),
        ("manager", "assessment:report", "open"),
        ("manager", "assessment:report_csv", "closed"),
        ("manager", "assessment:answers_csv", "closed"),
        ("manager", "assessment:report_json", "closed"),
        ("manager", "assessment:team_detail", "team"),
        ("manager", "assessment:round_detail", "open"),
        ("member", "assessment:report", "closed"),
        ("member", "assessment:respond", "open"),
        ("member", "assessment:review", "open"),
        ("member", "assessment:my_answers", "open"),
        ("org_lead", "assessment:dashboard", "organization"),
    ],
)
def test_pages_with_scores_or_answers_are_private(
    client, request, open_round, closed_round, organization, user_fixture, name, on
):
    client.force_login(request.getfixturevalue(user_fixture))
    kwargs = {
        "closed": {"round_pk": closed_round.pk},
        "open": {"round_pk": open_round.pk},
        "team": {"team_pk": open_round.team_id},
        "organization": {"slug": organization.slug},
    }[on]

    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 200
    assert is_private(response), response.get("Cache-Control")


def test_autosave_replies_are_private(client, member, open_round):
    client.force_login(member)
    question = question_of(open_round.version, "code-in-vcs")
    option = option_of(open_round.version, "code-in-vcs", "all")

    response = client.post(
        reverse("assessment:answer_save", args=[open_round.pk]),
        {f"q-{question.pk}": option.pk},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert is_private(response)


def test_dashboard_fragments_are_private(client, org_lead, organization):
    client.force_login(org_lead)

    response = client.get(
        reverse("assessment:dashboard", args=[organization.slug]), headers={"HX-Request": "true"}
    )

    assert is_private(response)


def test_every_page_a_signed_in_person_gets_is_private(client, world):
    """Every route of the access table, as a superuser and as a manager: each answer,
    whatever its status, is private."""
    users, kwargs, closed_round = world
    public = []

    for role in ["superuser", "manager"]:
        client.force_login(users[role])
        for name in ACCESS:
            response = client.get(url_for(name, kwargs, closed_round))
            if not is_private(response):
                public.append(f"{name} as {role}: {response.status_code}")

    assert public == []


def test_pages_for_anonymous_visitors_are_not_marked_private(client):
    assert not is_private(client.get(reverse("comparisons:comparison")))


def test_answers_stay_private_after_submission(client, member, open_round):
    answer_and_submit(open_round, member, SMALL_ALL)
    client.force_login(member)

    response = client.get(reverse("assessment:my_answers", args=[open_round.pk]))

    assert is_private(response)
