"""Filling out an assessment in the browser: the journeys of a member and a manager.

They prove the htmx wiring (autosave, show-if questions), the CSP, accessibility
(axe-core), the keyboard, a phone-sized screen and the page without JavaScript.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from assessment.models import Answer, AssessmentRound, Response
from tests.answering import SMALL_ALL, answer, option_of, question_of
from tests.browser.fixtures import (
    assert_clean,
    assert_no_horizontal_scroll,
    fill_in_sign_in,
    sign_in,
)
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def expect_heading(page, name: str | re.Pattern) -> None:
    """Wait for the page whose main heading this is: the navigation has landed."""
    expect(page.get_by_role("heading", level=1, name=name, exact=True)).to_be_visible()


def question_block(page, assessment_round, key: str):
    return page.locator(f"#q-{question_of(assessment_round.version, key).pk}")


def radio(page, assessment_round, key: str, option_key: str):
    return page.locator(f"#o-{option_of(assessment_round.version, key, option_key).pk}")


def is_autosave_of(question_pk: int, comment: str | None = None, link: str | None = None):
    def matches(response) -> bool:
        request = response.request
        if request.method != "POST" or not request.url.endswith("/respond/save/"):
            return False
        fields = parse_qs(request.post_data or "", keep_blank_values=True)
        if comment is not None:  # the comment box sends only its own field
            return fields.get(f"c-{question_pk}") == [comment]
        if link is not None:  # and so does the link
            return fields.get(f"e-{question_pk}") == [link]
        return f"q-{question_pk}" in fields

    return matches


@contextmanager
def autosave(
    page, assessment_round, key: str, *, comment: str | None = None, link: str | None = None
):
    """Wait for the autosave of a question that the block sends, and its "Saved" status.

    With ``comment``, wait for the save that carries the whole comment (typing debounces);
    with ``link``, for the save of the evidence link.
    """
    question_pk = question_of(assessment_round.version, key).pk
    with page.expect_response(is_autosave_of(question_pk, comment, link)) as saved:
        yield
    assert saved.value.status == 200
    expect(page.locator(f"#status-{question_pk}")).to_have_text("Saved")


def choose(page, assessment_round, key: str, option_key: str) -> None:
    with autosave(page, assessment_round, key):
        radio(page, assessment_round, key, option_key).check()


def stored_choices(member) -> dict[str, str | None]:
    return dict(
        Answer.objects.filter(response__respondent=member).values_list(
            "question__key", "option__key"
        )
    )


def is_focused(locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, *, limit: int = 40) -> None:
    """Press Tab until the element has focus: it is reachable with the keyboard alone."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if is_focused(locator):
            return
    raise AssertionError(f"{locator} not reached with {limit} presses of Tab")


# The whole journey, clean on every page ---------------------------------------------------


def test_member_answers_and_submits_then_manager_closes_the_round(
    browser_page, member, manager, open_round
):
    page = browser_page
    page.goto("/accounts/login/")
    assert_clean(page)
    fill_in_sign_in(page, member.username)

    assessments = page.get_by_role("region", name="Your assessments")
    expect(assessments).to_contain_text("2026 Q4")
    assert_clean(page)
    assessments.get_by_role("link", name=re.compile("^Start")).click()

    expect_heading(page, "2026 Q4")
    assert_clean(page)
    announcer = page.locator("#save-announcer")
    announcer.evaluate("element => { element.dataset.original = 'yes'; }")
    choose(page, open_round, "code-in-vcs", "all")
    # Screen readers announce changes inside a live region, not a freshly swapped-in one.
    expect(announcer).to_have_text("Answer to question 3 saved.")
    expect(announcer).to_have_attribute("data-original", "yes")
    choose(page, open_round, "reviews", "some")
    expect(page.locator("#section-nav")).to_contain_text("2 of 3 questions answered")
    assert stored_choices(member) == {"code-in-vcs": "all", "reviews": "some"}

    page.reload()
    expect(radio(page, open_round, "code-in-vcs", "all")).to_be_checked()
    expect(radio(page, open_round, "reviews", "some")).to_be_checked()

    drift = question_block(page, open_round, "drift-alerts")
    expect(drift).to_be_hidden()
    choose(page, open_round, "has-models", "yes")
    expect(drift).to_be_visible()
    assert_clean(page)
    choose(page, open_round, "has-models", "no")
    expect(drift).to_be_hidden()
    choose(page, open_round, "has-models", "yes")
    expect(drift).to_be_visible()

    reviews = question_block(page, open_round, "reviews")
    reviews.get_by_text("Comment or evidence", exact=True).click()
    with autosave(page, open_round, "reviews", comment="We pair instead."):
        reviews.get_by_label("Comment, optional").press_sequentially("We pair instead.")
    assert Answer.objects.get(question__key="reviews").comment == "We pair instead."
    link = "https://wiki.example/pairing"
    with autosave(page, open_round, "reviews", link=link):
        reviews.get_by_label("Evidence link").fill(link)
        reviews.get_by_label("Evidence link").press("Tab")  # leaving the field sends it
    assert Answer.objects.get(question__key="reviews").evidence == link
    assert_clean(page)

    page.get_by_role("link", name="Review and submit").first.click()
    expect_heading(page, "Review and submit")
    missing = page.get_by_role("alert")
    expect(missing).to_contain_text("1 required question still needs an answer")
    assert_clean(page)
    missing.get_by_role("link", name=re.compile("drift alerts")).click()
    expect(page).to_have_url(
        re.compile(rf"/respond/#q-{question_of(open_round.version, 'drift-alerts').pk}$")
    )
    expect(drift).to_be_in_viewport()
    choose(page, open_round, "drift-alerts", "manual")
    page.get_by_role("link", name="Review and submit").first.click()
    expect_heading(page, "Review and submit")
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_role("button", name="Submit my answers").click()

    expect_heading(page, "Your answers to 2026 Q4")
    main = page.get_by_role("main")
    expect(main).to_contain_text("These answers are final.")
    expect(main).to_contain_text("We pair instead.")
    expect(main.get_by_role("radio")).to_have_count(0)
    assert_clean(page)
    assert Response.objects.get(respondent=member).status == Response.Status.SUBMITTED

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    sign_in(page, manager.username)
    assert_clean(page)
    page.get_by_role("region", name="Teams you can assess").get_by_role(
        "link", name="Payments", exact=True
    ).click()
    expect_heading(page, "Payments · Acme")
    assert_clean(page)
    page.get_by_role("link", name="Completion of 2026 Q4").click()
    expect(page).to_have_url(re.compile(rf"/rounds/{open_round.pk}/$"))
    person = page.get_by_role("rowheader", name=member.get_full_name(), exact=True)
    expect(page.get_by_role("row").filter(has=person)).to_contain_text("Submitted")
    assert_clean(page)
    page.get_by_role("link", name="Close the round").click()
    expect_heading(page, "Close “2026 Q4” for Payments?")
    assert_clean(page)
    page.get_by_role("button", name="Close the round for good").click()

    expect(page.get_by_role("main")).to_contain_text("“2026 Q4” is closed; its report is final.")
    assert_clean(page)
    assert AssessmentRound.objects.get().status == AssessmentRound.Status.CLOSED


# The keyboard alone -----------------------------------------------------------------------


def test_member_journey_works_with_the_keyboard_alone(browser_page, member, open_round):
    page = browser_page
    keyboard = page.keyboard
    page.goto("/")
    tab_to(page, page.get_by_role("link", name="Sign in").first)
    keyboard.press("Enter")
    expect_heading(page, "Sign in")
    tab_to(page, page.get_by_label("Username"))
    keyboard.type(member.username)
    keyboard.press("Tab")
    keyboard.type(TEST_PASSWORD)
    keyboard.press("Enter")
    expect_heading(page, re.compile("^Hello, "))
    tab_to(page, page.get_by_role("link", name=re.compile("^Start")))
    keyboard.press("Enter")
    expect_heading(page, "2026 Q4")

    tab_to(page, radio(page, open_round, "code-in-vcs", "none"))
    with autosave(page, open_round, "code-in-vcs"):
        keyboard.press("Space")
    with autosave(page, open_round, "code-in-vcs"):
        keyboard.press("ArrowDown")
    tab_to(page, radio(page, open_round, "reviews", "none"))
    with autosave(page, open_round, "reviews"):
        keyboard.press("ArrowDown")
    tab_to(page, radio(page, open_round, "has-models", "no"))
    with autosave(page, open_round, "has-models"):
        keyboard.press("ArrowDown")
    expect(question_block(page, open_round, "drift-alerts")).to_be_visible()
    assert stored_choices(member) == {"code-in-vcs": "some", "reviews": "some", "has-models": "yes"}

    tab_to(page, page.get_by_role("link", name="Review and submit").last)
    keyboard.press("Enter")
    expect_heading(page, "Review and submit")
    tab_to(page, page.get_by_role("alert").get_by_role("link", name=re.compile("drift alerts")))
    keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/respond/#q-\d+$"))
    expect(question_block(page, open_round, "drift-alerts")).to_be_in_viewport()
    tab_to(page, radio(page, open_round, "drift-alerts", "none"), limit=3)
    with autosave(page, open_round, "drift-alerts"):
        keyboard.press("Space")
    tab_to(page, page.get_by_role("link", name="Review and submit").last)
    keyboard.press("Enter")
    expect_heading(page, "Review and submit")
    tab_to(page, page.get_by_role("button", name="Submit my answers"))
    keyboard.press("Enter")

    expect_heading(page, "Your answers to 2026 Q4")
    assert stored_choices(member) == {
        "code-in-vcs": "some",
        "reviews": "some",
        "has-models": "yes",
        "drift-alerts": "none",
    }
    assert Response.objects.get(respondent=member).status == Response.Status.SUBMITTED


# A phone ----------------------------------------------------------------------------------


def test_answering_pages_fit_a_phone(browser_page, member, open_round):
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 800})
    evidence = "https://git.example.com/payments/settings/branch-protection/" + "rules-" * 12
    answer(open_round, member, {"code-in-vcs": "all"}, {"code-in-vcs": evidence})
    sign_in(page, member.username)
    assert_no_horizontal_scroll(page)

    page.goto(f"/rounds/{open_round.pk}/respond/")
    expect_heading(page, "2026 Q4")
    assert_no_horizontal_scroll(page)

    page.goto(f"/rounds/{open_round.pk}/review/")
    expect(page.get_by_role("alert")).to_contain_text("2 required questions")
    assert_no_horizontal_scroll(page)

    answer(open_round, member, SMALL_ALL)
    page.reload()
    page.get_by_role("button", name="Submit my answers").click()
    expect_heading(page, "Your answers to 2026 Q4")
    assert_no_horizontal_scroll(page)


# Submitting twice -------------------------------------------------------------------------


def test_double_clicked_submit_submits_once(browser_page, member, open_round):
    answer(open_round, member, SMALL_ALL)
    page = browser_page
    sign_in(page, member.username)
    page.goto(f"/rounds/{open_round.pk}/review/")
    submits = []
    page.on(
        "request",
        lambda request: submits.append(request) if request.url.endswith("/submit/") else None,
    )

    page.get_by_role("button", name="Submit my answers").dblclick()

    expect_heading(page, "Your answers to 2026 Q4")
    expect(page.get_by_text("Submitted. Thank you")).to_be_visible()
    expect(page.locator(".alert-danger")).to_have_count(0)
    assert len(submits) == 1
    response = Response.objects.get(respondent=member)
    assert response.status == Response.Status.SUBMITTED
    assert response.submitted_at is not None


# Without JavaScript -----------------------------------------------------------------------


def test_section_saves_without_javascript(browser_page_without_js, member, open_round):
    page = browser_page_without_js
    sign_in(page, member.username)
    page.goto(f"/rounds/{open_round.pk}/respond/")
    section = page.get_by_role("region", name="Version control")
    radio(page, open_round, "code-in-vcs", "all").check()
    radio(page, open_round, "reviews", "some").check()

    section.get_by_role("button", name="Save this section").click()

    expect(page).to_have_url(re.compile(r"/respond/#practice-version-control$"))
    expect(page.get_by_text("Saved your answers on Version control.")).to_be_visible()
    expect(radio(page, open_round, "code-in-vcs", "all")).to_be_checked()
    expect(radio(page, open_round, "reviews", "some")).to_be_checked()
    assert stored_choices(member) == {"code-in-vcs": "all", "reviews": "some"}
