"""Disciplines are data: a third one flows through criteria, scoring, reports and exports."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.criteria.lifecycle import questionnaire_publish, version_new_draft
from assessment.models import Practice, PracticeWeight
from assessment.rounds import round_close, round_open
from comparisons.models import Discipline
from tests.answering import SMALL_ALL, answer_and_submit
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_disciplines(team, manager, small_version):
    """v1 closed with two disciplines; v2 adds Data engineering and is closed too."""
    people = [MembershipFactory(team=team).user for _ in range(3)]  # the minimum group
    first = round_open(team=team, version=small_version, title="2026 Q3", opened_by=manager)
    for user in people:
        answer_and_submit(first, user, SMALL_ALL)
    round_close(assessment_round=first)
    data_engineering = Discipline.objects.create(
        slug="data-engineering", name="Data engineering", order=3
    )
    draft = version_new_draft(version=small_version)
    for practice in Practice.objects.filter(
        version=draft, key__in=["version-control", "drift-monitoring"]
    ):
        PracticeWeight.objects.create(
            practice=practice,
            discipline=data_engineering,
            weight=Decimal("2"),
            target=Decimal("0.8"),
        )
    v2 = questionnaire_publish(version=draft)
    second = round_open(team=team, version=v2, title="2026 Q4", opened_by=manager)
    for user in people:
        answer_and_submit(second, user, SMALL_ALL)
    return round_close(assessment_round=second)


def test_report_shows_three_disciplines(client, manager, three_disciplines):
    client.force_login(manager)

    html = client.get(reverse("assessment:report", args=[three_disciplines.pk])).content.decode()

    for name in ["Software engineering", "AI engineering", "Data engineering"]:
        assert f'<h3 class="h5 card-title">{name}</h3>' in html
        assert f'<th scope="col">{name}</th>' in html
    assert "points of Data engineering readiness" in html


def test_exports_show_three_disciplines(client, manager, three_disciplines):
    client.force_login(manager)

    document = json.loads(
        client.get(reverse("assessment:report_json", args=[three_disciplines.pk])).content
    )
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(
                    client.get(
                        reverse("assessment:report_csv", args=[three_disciplines.pk])
                    ).streaming_content
                ).decode()
            )
        )
    )

    assert [entry["slug"] for entry in document["labels"]["disciplines"]] == [
        "software-engineering",
        "ai-engineering",
        "data-engineering",
    ]
    assert {row["discipline"] for row in rows} == {
        "software-engineering",
        "ai-engineering",
        "data-engineering",
    }


def test_trend_shows_three_disciplines_across_versions(client, manager, team, three_disciplines):
    client.force_login(manager)

    html = client.get(reverse("assessment:team_detail", args=[team.pk])).content.decode()

    assert '<th scope="row">Data engineering</th><td>–</td>' in html
    assert "Change per practice since 2026 Q3" in html
