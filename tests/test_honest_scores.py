"""Readiness means what a director reads into it: personas through the HTTP interface.

Each test opens a round of the shipped questionnaire (version 2) with a scope, as a
manager, through the round form; three members answer every question the round shows them
through the respond page's section forms and submit; the manager closes the round and reads
``report.json``.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from assessment.criteria.document import DEFAULT_QUESTIONNAIRE
from assessment.criteria.lifecycle import questionnaire_import_file
from assessment.criteria.loading import round_criteria
from assessment.models import AssessmentRound, Option, Question, ReportSnapshot
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SE, AI = "software-engineering", "ai-engineering"
Chooser = Callable[[Question, list[Option], bool], Option]  # question, options, counts for SE


@pytest.fixture
def shipped(db):
    return questionnaire_import_file(path=DEFAULT_QUESTIONNAIRE).version


def open_round(client: Client, team, manager, version, kind: str, tier: str) -> AssessmentRound:
    client.force_login(manager)
    response = client.post(
        reverse("assessment:round_create", args=[team.pk]),
        {"version": version.pk, "title": "2026 Q4", "system_name": "Claims service",
         "system_kind": kind, "risk_tier": tier},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    return AssessmentRound.objects.get(team=team, title="2026 Q4")


def answer_everything(client: Client, user, assessment_round, choose: Chooser) -> None:
    """Post every section of the respond page with an option for each question in scope
    (follow-ups too: answers to hidden ones are ignored), then submit."""
    client.force_login(user)
    criteria = round_criteria(assessment_round)
    counts_for_se = {p.key: p.weight_for(SE) > 0 for p in criteria.engine.practices}
    questions = Question.objects.filter(pk__in=criteria.question_keys).select_related("practice")
    options: dict[int, list[Option]] = {}
    for option in Option.objects.filter(question__in=questions).order_by("order"):
        options.setdefault(option.question_id, []).append(option)
    by_practice: dict[int, dict[str, int]] = {}
    for question in questions:
        chosen = choose(question, options[question.pk], counts_for_se[question.practice.key])
        by_practice.setdefault(question.practice_id, {})[f"q-{question.pk}"] = chosen.pk
    for practice_pk, fields in by_practice.items():
        url = reverse("assessment:section_save", args=[assessment_round.pk, practice_pk])
        assert client.post(url, fields).status_code == 302
    submitted = client.post(reverse("assessment:submit", args=[assessment_round.pk]))
    assert submitted.url == reverse("assessment:my_answers", args=[assessment_round.pk])


def report_of(team, manager, version, kind: str, tier: str, choose: Chooser) -> dict:
    client = Client()
    assessment_round = open_round(client, team, manager, version, kind, tier)
    for _ in range(3):
        answer_everything(client, MembershipFactory(team=team).user, assessment_round, choose)
    client.force_login(manager)
    client.post(reverse("assessment:round_close", args=[assessment_round.pk]))
    response = client.get(reverse("assessment:report_json", args=[assessment_round.pk]))
    assert response.status_code == 200, response.content.decode()
    return json.loads(response.content)


def scored(options: list[Option]) -> list[Option]:
    return sorted((o for o in options if o.value is not None), key=lambda o: o.value)


def best(options: list[Option]) -> Option:
    return scored(options)[-1]


def lowest(options: list[Option]) -> Option:
    return scored(options)[0]


def dont_know(options: list[Option]) -> Option:
    return next(o for o in options if o.unscored == "dont_know")


def discipline(document: dict, slug: str) -> dict:
    return next(d for d in document["report"]["disciplines"] if d["discipline"] == slug)


def test_a_strong_software_team_with_no_ai_yet_is_not_reported_ready_for_ai(team, manager, shipped):
    document = report_of(
        team, manager, shipped, "no-ai", "customer-facing",
        lambda question, options, software: best(options) if software else lowest(options),
    )  # fmt: skip

    software, ai = discipline(document, SE), discipline(document, AI)
    assert software["readiness"] >= software["target"]
    assert ai["readiness"] is None or ai["readiness"] < ai["target"]
    assert document["scope"]["kind"] == "no-ai"


def test_dont_know_to_every_ai_question_is_not_enough_answers_and_a_list_of_unknowns(
    team, manager, shipped
):
    document = report_of(
        team, manager, shipped, "hosted-llm", "customer-facing",
        lambda question, options, software: best(options) if software else dont_know(options),
    )  # fmt: skip

    ai = discipline(document, AI)
    assert ai["readiness"] is None
    assert ai["coverage"] < document["report"]["floor"]
    assert ai["missing"]
    assert ai["unknowns"] >= 10
    assert len(document["report"]["unknowns"]) >= 10
    assert discipline(document, SE)["readiness"] is not None


def test_good_at_software_and_poor_at_ai_reads_higher_for_software(team, manager, shipped):
    def choose(question, options, software):
        ladder = scored(options)
        return ladder[-1] if software else ladder[1]  # the step above "not in place"

    document = report_of(team, manager, shipped, "in-house-ml", "internal", choose)

    assert discipline(document, SE)["readiness"] > discipline(document, AI)["readiness"]


@pytest.mark.parametrize("step", [1, 2])
def test_the_same_answer_everywhere_ranks_no_spurious_priority(team, manager, shipped, step):
    """Everyone picks the same step of every ladder (counted from the top). Targets sit on
    the options' scale, so a practice whose answers reach its target is never a priority,
    and every priority is short by at least one step."""
    document = report_of(
        team, manager, shipped, "hosted-llm", "people-or-regulated",
        lambda question, options, software: scored(options)[-1 - step],
    )  # fmt: skip

    practices = {p["key"]: p for p in document["report"]["practices"]}
    for ranked in document["report"]["priorities"]:
        for priority in ranked:
            assert priority["gap"] >= 0.25 - 1e-9
        for above, below in zip(ranked, ranked[1:], strict=False):
            if above["weight"] == below["weight"]:
                assert above["gap"] >= below["gap"] - 1e-9
    listed = {p["practice"] for ranked in document["report"]["priorities"] for p in ranked}
    for key, practice in practices.items():
        for share in practice["disciplines"]:
            if share["counted"] and practice["score"] >= share["target"] - 1e-9:
                assert key not in listed or any(
                    s["gap"] > 0 for s in practice["disciplines"] if s["counted"]
                )


TRAINING_ONLY = {"training-serving-skew", "pipeline-reproducibility", "retraining-approach"}
MODEL_OPERATION = {"live-model-quality", "input-drift-alerts", "drift-response", "llm-tracing"}


def test_a_hosted_llm_round_asks_nothing_about_training_and_a_no_ai_round_nothing_about_models(
    client, team, manager, member, shipped
):
    hosted = open_round(client, team, manager, shipped, "hosted-llm", "internal")
    client.force_login(member)
    hosted_page = client.get(reverse("assessment:respond", args=[hosted.pk])).content.decode()
    hosted_keys = set(round_criteria(hosted).question_keys.values())
    no_ai = AssessmentRound.objects.get(pk=hosted.pk)
    no_ai.system_kind = "no-ai"
    no_ai_keys = set(round_criteria(no_ai).question_keys.values())

    assert hosted_keys.isdisjoint(TRAINING_ONLY)
    assert no_ai_keys.isdisjoint(MODEL_OPERATION | TRAINING_ONLY)
    shown = {
        q.key for q in Question.objects.filter(version=shipped) if f'id="q-{q.pk}"' in hosted_page
    }
    assert shown == hosted_keys


def test_closed_rounds_of_version_one_keep_their_reports_and_say_scope_not_recorded(
    client, team, manager
):
    from assessment.criteria.document import FIRST_VERSION
    from assessment.rounds import round_close, round_open
    from tests.answering import answer_and_submit
    from tests.assessment.test_default_questionnaire import lowest_answers

    first = questionnaire_import_file(path=FIRST_VERSION).version
    old = round_open(team=team, version=first, title="2026 Q2", opened_by=manager)
    for _ in range(3):
        answer_and_submit(old, MembershipFactory(team=team).user, lowest_answers(old))
    round_close(assessment_round=old)
    stored = ReportSnapshot.objects.get(round=old).report
    client.force_login(manager)

    page = client.get(reverse("assessment:report", args=[old.pk])).content.decode()
    exported = json.loads(client.get(reverse("assessment:report_json", args=[old.pk])).content)

    assert exported == stored
    assert stored["scope"] is None
    assert "Scope not recorded" in page


def test_the_team_page_names_each_rounds_system_kind_and_tier(client, team, manager, shipped):
    open_round(client, team, manager, shipped, "hosted-llm", "people-or-regulated")

    page = client.get(reverse("assessment:team_detail", args=[team.pk])).content.decode()

    row = page[page.index(">2026 Q4") : page.index("</tr>", page.index(">2026 Q4"))]
    assert "Claims service · Hosted LLM or retrieval-augmented app" in row
    assert "Decisions about people or regulated" in row
