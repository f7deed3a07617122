"""The shipped questionnaire, version 2: complete, scope-aware, traceable, disciplines apart.

Its first version stays as it was (``ai-engineering-readiness-v1.json``), so trends still
compare teams that started on it.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from jsonschema import Draft202012Validator

from assessment.criteria.crosswalk import crosswalk_markdown
from assessment.criteria.document import (
    DEFAULT_QUESTIONNAIRE,
    FIRST_VERSION,
    SCHEMA_PATH,
    parse_document,
    version_export,
)
from assessment.criteria.lifecycle import questionnaire_import_file
from assessment.criteria.validation import validate_document
from assessment.reports.trend import team_trend
from assessment.rounds import round_close, round_open
from assessment.scoring import Scope, applies
from tests.answering import answer_and_submit
from tests.factories import MembershipFactory

SE, AI = "software-engineering", "ai-engineering"
NO_AI = "no-ai"
# OWASP Top 10 for LLM applications, 2025: the items about attacks on the system (not
# misinformation, LLM09, or cost, LLM10).
LLM_SECURITY = tuple(f"owasp-llm:LLM0{n}:2025" for n in range(1, 9))


@pytest.fixture(scope="module")
def document():
    return json.loads(DEFAULT_QUESTIONNAIRE.read_text())


def counts_for(practice, discipline) -> bool:
    return practice["disciplines"].get(discipline, {}).get("weight", 0) > 0


def questions(document):
    for practice in document["practices"]:
        for question in practice["questions"]:
            yield practice, question


def asked_of(practice, question, kind) -> bool:
    return applies(
        frozenset(practice["applies_to"]) if "applies_to" in practice else None, kind
    ) and applies(frozenset(question["applies_to"]) if "applies_to" in question else None, kind)


@pytest.mark.django_db
def test_the_exported_version_validates_against_the_schema_and_the_rules():
    version = questionnaire_import_file(path=DEFAULT_QUESTIONNAIRE).version
    exported = json.loads(version_export(version=version))
    schema = Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))

    assert version.number == 2
    assert list(schema.iter_errors(exported)) == []
    assert validate_document(exported) == []
    assert exported == parse_document(DEFAULT_QUESTIONNAIRE.read_bytes())


def test_every_question_traces_to_the_article_and_every_practice_gives_its_reasons(document):
    for practice, question in questions(document):
        articles = [ref for ref in question.get("traces_to", []) if ref.startswith("article:")]
        assert len(articles) == 1, question["key"]
        assert practice.get("rationale"), practice["key"]


def test_no_practice_that_counts_for_software_asks_what_needs_ai(document):
    for practice, question in questions(document):
        if counts_for(practice, SE):
            assert asked_of(practice, question, NO_AI), (practice["key"], question["key"])


@pytest.mark.parametrize("kind", ["no-ai", "in-house-ml", "fine-tuned", "hosted-llm", "agents"])
def test_each_kind_of_system_is_asked_between_35_and_60_questions(document, kind):
    asked = [q for p, q in questions(document) if asked_of(p, q, kind)]  # follow-ups included

    assert 35 <= len(asked) <= 60


def test_security_incidents_and_observability_are_covered(document):
    software_security = {
        q["key"]
        for p, q in questions(document)
        if counts_for(p, SE) and any(ref.startswith("owasp-samm:") for ref in q["traces_to"])
    }
    llm_security = {
        q["key"]
        for p, q in questions(document)
        if counts_for(p, AI) and set(q["traces_to"]) & set(LLM_SECURITY)
    }
    practices = {p["key"]: p for p in document["practices"]}

    assert len(software_security) >= 4
    assert len(llm_security) >= 4
    for key in ("incident-response", "observability"):
        assert counts_for(practices[key], SE)


def test_testing_and_stability_weigh_at_least_as_much_for_ai_as_any_governance_practice(document):
    def ai_weight(practice):
        return practice["disciplines"].get(AI, {}).get("weight", 0)

    governance = max(ai_weight(p) for p in document["practices"] if p["dimension"] == "governance")
    for practice in document["practices"]:
        if practice["dimension"] in {"testing", "stability"} and counts_for(practice, AI):
            assert ai_weight(practice) >= governance, practice["key"]


def test_the_crosswalk_is_current(tmp_path, document):
    """docs/crosswalk.md is what ``manage.py write_crosswalk`` writes from the file."""
    from django.conf import settings

    written = (settings.BASE_DIR / "docs" / "crosswalk.md").read_text()

    assert written == crosswalk_markdown(document), "run: manage.py write_crosswalk"
    for _, question in questions(document):
        assert f"(`{question['key']}`)" in written


def test_the_crosswalk_command_writes_the_file(monkeypatch, tmp_path):
    target = tmp_path / "crosswalk.md"
    monkeypatch.setattr(
        "assessment.management.commands.write_crosswalk.CROSSWALK", target, raising=True
    )
    monkeypatch.setattr("django.conf.settings.BASE_DIR", tmp_path)

    call_command("write_crosswalk", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert target.read_text() == crosswalk_markdown(json.loads(DEFAULT_QUESTIONNAIRE.read_text()))


@pytest.mark.django_db
def test_a_trend_across_versions_compares_kept_practices_and_lists_the_others(team, manager):
    first = questionnaire_import_file(path=FIRST_VERSION).version
    second = questionnaire_import_file(path=DEFAULT_QUESTIONNAIRE).version
    people = [MembershipFactory(team=team).user for _ in range(3)]
    for version, title, scope in (
        (first, "2026 Q3", {}),
        (
            second,
            "2026 Q4",
            {"system_name": "API", "system_kind": "no-ai", "risk_tier": "internal"},
        ),
    ):
        assessment_round = round_open(
            team=team, version=version, title=title, opened_by=manager, **scope
        )
        for user in people:
            answer_and_submit(assessment_round, user, choices=lowest_answers(assessment_round))
        round_close(assessment_round=assessment_round)

    trend = team_trend(team=team)

    kept = {change.name for change in trend.changes}
    assert "Version control" in kept and "Continuous integration and delivery" not in trend.added
    assert "Documentation and code review" in trend.removed
    assert "Incident response" in trend.added
    assert trend.rounds == ("2026 Q3", "2026 Q4")


def lowest_answers(assessment_round) -> dict[str, str]:
    """The lowest scored option of every question the round shows, follow-ups included."""
    from assessment.criteria.loading import round_criteria

    chosen: dict[str, str] = {}
    for question in round_criteria(assessment_round).engine.questions:
        condition = question.show_if
        if condition is None or chosen.get(condition.question) in condition.options:
            scored = [o for o in question.options if o.value is not None]
            chosen[question.key] = min(scored, key=lambda o: o.value).key
    return chosen


def test_the_first_version_is_kept_as_it_was():
    data = json.loads(FIRST_VERSION.read_text())

    assert data["version"]["number"] == 1
    assert "kinds" not in data["version"]
    assert Scope() == Scope(None, None)
