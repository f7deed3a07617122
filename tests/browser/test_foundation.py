import pytest

from tests.browser.fixtures import (
    assert_clean,
    assert_no_horizontal_scroll,
    csp_violations,
    fill_in_sign_in,
    sign_in,
)
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_member_signs_in_and_reaches_home(browser_page, member):
    page = browser_page
    page.goto("/")
    assert_clean(page)

    page.get_by_role("link", name="Sign in").first.click()
    assert_clean(page)
    fill_in_sign_in(page, member.username)

    assert page.get_by_role("heading", name=f"Hello, {member.first_name}").is_visible()
    assert page.get_by_text("Payments").first.is_visible()
    assert_clean(page)


def test_comparison_page_is_clean_and_fits_a_phone(browser_page):
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 800})

    page.goto("/comparisons/")

    assert page.get_by_role("row", name="Testing").is_visible()
    assert_clean(page)
    assert_no_horizontal_scroll(page)


def test_admin_pages_have_no_csp_violation(browser_page, staff):
    page = browser_page
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    for path in ["/admin/", "/admin/comparisons/dimension/1/change/", "/admin/assessment/team/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")

        assert page.evaluate("window.__cspViolations") == [], path


def test_the_csrf_refusal_page_is_clean(browser_page, member):
    page = browser_page
    sign_in(page, member.username)
    page.context.clear_cookies(name="csrftoken")  # as when the cookie has expired

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")

    assert csp_violations(page) == []  # Django's own page had inline styles
    assert page.get_by_role("heading", name="Nothing was saved").is_visible()
    assert "site needs a cookie" in page.content()
    assert_clean(page)
