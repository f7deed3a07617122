"""An admin edits the criteria in the Django admin, then a manager opens a round on them.

Proves the journey through the admin (new draft, inline edits, a publish refused with a
linked problem, the fix, publish), the editing of scopes (kinds ticked, a target per risk
tier, traces), the CSP on every admin page visited and accessibility (axe-core) of the
preview page.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessment.criteria.lifecycle import questionnaire_import, version_new_draft
from assessment.models import AssessmentRound, Question, QuestionnaireVersion
from tests.browser.fixtures import axe_violations, csp_violations
from tests.criteria_data import scoped_document
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def expect_heading(page, name: str | re.Pattern) -> None:
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()


def assert_no_csp_violation(page) -> None:
    page.wait_for_load_state("networkidle")
    assert csp_violations(page) == [], page.url


def save_and_continue(page) -> None:
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert_no_csp_violation(page)


def test_admin_edits_publishes_and_a_manager_opens_a_round(
    browser_page, staff, small_version, team, manager
):
    page = browser_page
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect_heading(page, "Criteria, comparison, organizations and people")

    # A new draft from v1.
    page.goto(f"/admin/assessment/questionnaireversion/{small_version.pk}/change/")
    assert_no_csp_violation(page)
    page.get_by_role("link", name="New draft from this version…").click()
    expect_heading(page, "New draft from Small readiness check v1")
    assert_no_csp_violation(page)
    page.get_by_role("button", name="Create the new draft").click()
    expect(page.locator(".messagelist .success")).to_contain_text("is a new draft")
    assert_no_csp_violation(page)
    draft = QuestionnaireVersion.objects.get(number=2)
    assert page.url.endswith(f"/questionnaireversion/{draft.pk}/change/")

    # Change a question text and a target on the practice page (inlines).
    page.get_by_role("link", name="Change", exact=True).first.click()  # first practice
    practice = draft.practices.get(key="version-control")
    assert page.url.endswith(f"/practice/{practice.pk}/change/")
    assert_no_csp_violation(page)
    weights = [w.discipline.slug for w in practice.weights.all()]
    page.locator(f'[name="weights-{weights.index("ai-engineering")}-target"]').fill("0.8")
    questions = list(practice.questions.order_by("order", "pk"))
    reviews = next(i for i, q in enumerate(questions) if q.key == "reviews")
    page.locator(f'[name="questions-{reviews}-text"]').fill("Who reviews every change?")
    save_and_continue(page)
    assert practice.weights.get(discipline__slug="ai-engineering").target == Decimal("0.8")
    assert draft.questions.get(key="reviews").text == "Who reviews every change?"

    # Break a question: leave it one option.
    question = draft.questions.get(key="code-in-vcs")
    page.goto(f"/admin/assessment/question/{question.pk}/change/")
    assert_no_csp_violation(page)
    for index in (1, 2, 3):
        page.locator(f'[name="options-{index}-DELETE"]').check()
    save_and_continue(page)
    assert question.options.count() == 1

    # The preview shows the draft as a respondent sees it, with its problem.
    page.goto(f"/admin/assessment/questionnaireversion/{draft.pk}/preview/")
    expect_heading(page, "Preview of Small readiness check v2")
    expect(page.get_by_text("Publishing would refuse this draft: 1 problem")).to_be_visible()
    expect(page.get_by_role("radio").first).to_be_disabled()
    expect(page.get_by_role("group", name=re.compile("Who reviews every change"))).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Version control"))).to_contain_text("80%")
    assert axe_violations(page) == []
    assert_no_csp_violation(page)

    # Publish is refused, with the problem linked to the question to fix.
    page.get_by_role("link", name="Back to Small readiness check v2").click()
    page.get_by_role("link", name="Publish…").click()
    assert_no_csp_violation(page)
    page.get_by_role("button", name="Publish v2").click()
    expect(page.locator(".messagelist")).to_contain_text("a question needs at least two options")
    assert_no_csp_violation(page)
    page.get_by_role("link", name=re.compile("Question “How does the team handle code")).click()
    assert page.url.endswith(f"/question/{question.pk}/change/")

    # Add an option back.
    page.get_by_role("button", name="Add another Option").click()
    page.locator('[name="options-1-order"]').fill("1")
    page.locator('[name="options-1-key"]').fill("all")
    page.locator('[name="options-1-label"]').fill("All of it")
    page.locator('[name="options-1-value"]').fill("1")
    save_and_continue(page)

    # Publish v2.
    page.get_by_role("link", name="Questionnaire version “Small readiness check v2”").click()
    page.get_by_role("link", name="Publish…").click()
    page.get_by_role("button", name="Publish v2").click()
    expect(page.locator(".messagelist .success")).to_contain_text("is published")
    assert_no_csp_violation(page)
    draft.refresh_from_db()
    assert draft.status == "published"
    assert Question.objects.get(version=draft, key="code-in-vcs").options.count() == 2

    # The history shows who changed the question, from what to what.
    page.goto(f"/admin/assessment/question/{draft.questions.get(key='reviews').pk}/history/")
    expect(page.locator("#change-history")).to_contain_text("Who reviews every change?")
    assert_no_csp_violation(page)

    # A manager opens a round on v2.
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(manager.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_heading(page, re.compile("^Hello, "))
    page.goto(f"/teams/{team.pk}/rounds/new/")
    page.get_by_label("Questionnaire").select_option(label="Small readiness check, version 2")
    page.get_by_label("Title").fill("After the new criteria")
    page.get_by_role("button", name="Open the round").click()
    expect_heading(page, re.compile("After the new criteria"))
    assert AssessmentRound.objects.get(title="After the new criteria").version == draft


def test_admin_scopes_a_draft_and_previews_it(browser_page, staff):
    """Kinds ticked on a practice, a target for one risk tier and a question's traces, each
    through the admin's own widgets; the preview shows them, and passes axe-core."""
    draft = version_new_draft(version=questionnaire_import(data=scoped_document()).version)
    page = browser_page
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"/admin/assessment/questionnaireversion/{draft.pk}/change/")
    expect(page.get_by_label("Kinds of system")).to_contain_text('"key": "llm"')
    assert_no_csp_violation(page)

    models = draft.practices.get(key="models-in-production")
    page.goto(f"/admin/assessment/practice/{models.pk}/change/")
    assert_no_csp_violation(page)
    page.get_by_role("checkbox", name="Hosted LLM").uncheck()
    page.get_by_label("Rationale").fill("Only models trained in-house count here.")
    ai = models.weights.get()  # one discipline: one target input per tier
    page.get_by_role("spinbutton", name="Target, Internal").fill("0.5")
    save_and_continue(page)
    models.refresh_from_db()
    ai.refresh_from_db()
    assert models.applies_to == ["ml"]
    assert ai.tier_targets == {"internal": 0.5}

    question = draft.questions.get(key="has-models")
    page.goto(f"/admin/assessment/question/{question.pk}/change/")
    assert_no_csp_violation(page)
    page.get_by_label("Traces to").fill("article:outcomes\nml-test-score:Monitor 1")
    save_and_continue(page)
    question.refresh_from_db()
    assert question.traces_to == ["article:outcomes", "ml-test-score:Monitor 1"]

    page.goto(f"/admin/assessment/questionnaireversion/{draft.pk}/preview/")
    scoring = page.get_by_role("table", name=re.compile("Models in production"))
    expect(scoring).to_contain_text("Target, Internal")
    expect(scoring).to_contain_text("50%")
    expect(page.get_by_text("Only models trained in-house count here.")).to_be_visible()
    expect(
        page.get_by_text("Traces to: Article dimension: outcomes; ML Test Score: Monitor 1")
    ).to_be_visible()
    assert axe_violations(page) == []
    assert_no_csp_violation(page)
