"""Every admin page passes axe-core, with realistic data.

The shipped questionnaire is imported twice, published and as a draft (its inlines then
hold inputs), next to the comparison data the migrations seed, a team with a manager and
a refused sign-in (rows for django-axes' pages). A superuser visits the admin index, the
changelist, add and change page of every ModelAdmin (ours: ``assessment`` and
``comparisons``, with a criteria row both in the draft and in the published version;
theirs: users, groups, django-axes), the draft's preview, import and publish pages, a
history page and a past version of a question, and the password pages: one Chromium page
for all of them, and one assertion that lists every violation of every page. The names
our scripts give the widgets Django builds in the browser are checked as a person meets
them.
"""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.auth.models import Group, User
from django.db import models
from django.test import RequestFactory
from django.urls import reverse
from playwright.sync_api import expect

from assessment.criteria.document import DEFAULT_QUESTIONNAIRE, parse_document
from assessment.criteria.lifecycle import questionnaire_import
from assessment.models import (
    Membership,
    Organization,
    Practice,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Team,
)
from comparisons.models import Dimension, Discipline, Foundation, Source, Stance
from tests.browser.fixtures import axe_violations
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def change_url(row: models.Model) -> str:
    return reverse(f"admin:{row._meta.app_label}_{row._meta.model_name}_change", args=[row.pk])


def richest_practice(version: QuestionnaireVersion) -> Practice:
    """The practice with the most questions: the longest inlines."""
    return (
        version.practices.annotate(questions_count=models.Count("questions"))
        .order_by("-questions_count", "order")
        .first()
    )


def conditional_question(version: QuestionnaireVersion) -> Question:
    """A question shown on a condition: every field of its page has a value."""
    return version.questions.filter(show_if_question__isnull=False).order_by("pk").first()


def criteria_rows(version: QuestionnaireVersion) -> list[models.Model]:
    question = conditional_question(version)
    return [version, richest_practice(version), question, question.options.order_by("order")[0]]


@pytest.fixture
def versions(db) -> tuple[QuestionnaireVersion, QuestionnaireVersion]:
    """The shipped questionnaire, published, and the same file imported as the next
    version's draft."""
    document = parse_document(DEFAULT_QUESTIONNAIRE.read_bytes())
    published = questionnaire_import(data=document).version
    next_number = {**document["version"], "number": document["version"]["number"] + 1}
    draft = questionnaire_import(data={**document, "version": next_number}, publish=False)
    return published, draft.version


def our_rows(published: QuestionnaireVersion, draft: QuestionnaireVersion) -> list[models.Model]:
    return [
        *criteria_rows(draft),
        *criteria_rows(published),
        Questionnaire.objects.get(),
        Organization.objects.get(),
        Team.objects.get(),
        Membership.objects.get(),
        Discipline.objects.first(),
        Dimension.objects.first(),
        Stance.objects.first(),
        Foundation.objects.first(),
        Source.objects.first(),
    ]


def their_rows(staff: User) -> list[models.Model]:
    """Rows of the third-party admins: users, groups, django-axes' records."""
    attempt = AccessAttempt.objects.get()
    # django-axes keeps a failure log only when told to (AXES_ENABLE_ACCESS_FAILURE_LOG).
    copied = ["user_agent", "ip_address", "username", "http_accept", "path_info"]
    failure = AccessFailureLog.objects.create(**{name: getattr(attempt, name) for name in copied})
    return [
        staff,
        Group.objects.get(name="Criteria editors"),
        attempt,
        failure,
        AccessLog.objects.first(),
    ]


def admin_pages(rows: list[models.Model], draft: QuestionnaireVersion, staff: User) -> list[str]:
    """The index, then every ModelAdmin's changelist, add page (where it has one) and a
    row's change page, then the pages of our own views and of the history."""
    registered = admin.site._registry.values()
    assert {model_admin.model for model_admin in registered} <= {type(row) for row in rows}, (
        "a ModelAdmin has no row here"
    )
    request = RequestFactory().get("/admin/")
    request.user = staff
    question = conditional_question(draft)
    return [
        reverse("admin:index"),
        *(reverse(admin_urlname(model_admin.opts, "changelist")) for model_admin in registered),
        *(
            reverse(admin_urlname(model_admin.opts, "add"))
            for model_admin in registered
            if model_admin.has_add_permission(request)
        ),
        *(change_url(row) for row in rows),
        reverse("admin:assessment_questionnaireversion_preview", args=[draft.pk]),
        reverse("admin:assessment_questionnaireversion_publish", args=[draft.pk]),
        reverse("admin:assessment_questionnaire_import"),
        reverse("admin:assessment_question_history", args=[question.pk]),
        reverse(
            "admin:assessment_question_simple_history",
            args=[question.pk, question.history.earliest().history_id],
        ),
        reverse("admin:auth_user_password_change", args=[staff.pk]),
        reverse("admin:password_change"),
    ]


def described(violations_by_page: dict[str, list[dict]]) -> str:
    lines = []
    for path, violations in violations_by_page.items():
        lines.append(f"{path}: {len(violations)} violation(s)")
        for violation in violations:
            targets = ", ".join(violation["targets"][:5])
            more = len(violation["targets"]) - 5
            lines.append(
                f"  {violation['id']} ({violation['impact']}, {len(violation['targets'])} "
                f"node(s)): {violation['help']}: {targets}{f' and {more} more' if more > 0 else ''}"
            )
    return "\n".join(lines)


def admin_sign_in(page, username: str) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def test_admin_pages_pass_axe(browser_page, staff, manager, versions):
    published, draft = versions
    page = browser_page
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("intruder")  # a failure for django-axes' pages
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".errornote")).to_be_visible()
    violations_by_page = {"/admin/login/ (refused)": axe_violations(page)}
    admin_sign_in(page, staff.username)
    pages = admin_pages([*our_rows(published, draft), *their_rows(staff)], draft, staff)

    csp_by_page = {}
    for path in pages:
        response = page.goto(path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        # Before axe-core runs: it parses imported stylesheets through <style> elements of
        # its own, which the CSP refuses (and the console reports).
        csp_by_page[path] = page.evaluate("window.__cspViolations")
        violations_by_page[path] = axe_violations(page)

    failing = {path: found for path, found in violations_by_page.items() if found}
    assert failing == {}, (
        f"axe-core on {len(violations_by_page)} admin pages:\n{described(failing)}"
    )
    assert {path: found for path, found in csp_by_page.items() if found} == {}


def test_an_autocomplete_is_named_by_its_field_and_chosen_by_keyboard(
    browser_page, staff, manager, team
):
    page = browser_page
    admin_sign_in(page, staff.username)
    page.goto(reverse("admin:assessment_membership_add"))
    user = page.get_by_role("combobox", name="User", exact=True)

    user.focus()
    page.keyboard.press("Enter")
    page.keyboard.type(manager.username)
    expect(page.get_by_role("option", name=manager.username)).to_be_visible()
    page.keyboard.press("Enter")

    expect(page.get_by_role("combobox", name=f"User {manager.username}")).to_be_focused()

    # A row added to an inline is named by its column.
    page.goto(change_url(team))
    page.get_by_role("button", name="Add another Membership").click()
    expect(page.get_by_role("combobox", name=re.compile("^User"))).to_have_count(2)
    assert axe_violations(page) == []


def test_the_filter_boxes_of_a_two_box_selector_are_named(browser_page, staff, organization):
    page = browser_page
    admin_sign_in(page, staff.username)

    page.goto(change_url(organization))

    expect(
        page.get_by_role(
            "textbox", name="Type into this box to filter down the list of available leads."
        )
    ).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Type into this box"))).to_have_count(2)
