"""A manager reads a closed round's report the way they would forward it (summary, PDF,
print), and every report page fits a phone; an org lead's dashboard keeps its filters in
step with the address on Back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assessment.rounds import round_close, round_open
from tests.answering import answer_and_submit
from tests.browser.fixtures import assert_clean, sign_in
from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
LOW = {"code-in-vcs": "none", "reviews": "some", "has-models": "yes", "drift-alerts": "manual"}
HIGH = {"code-in-vcs": "all", "reviews": "all", "has-models": "yes", "drift-alerts": "owned"}
PRINT_RECORDER = "window.__printed = 0; window.print = () => { window.__printed += 1; };"
# The smallest text of the page's charts as rendered, in CSS pixels.
SMALLEST_CHART_TEXT = """() => Math.min(...[...document.querySelectorAll("svg text")].map(
    (text) => {
        const svg = text.ownerSVGElement;
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return parseFloat(getComputedStyle(text).fontSize) * scale;
    }
))"""


@pytest.fixture
def rounds(team, manager, small_version):
    """Two closed rounds of the team, each answered by three members (not the manager),
    and an open round of a second team of the organization."""
    members = [MembershipFactory(team=team).user for _ in range(3)]
    closed = []
    for title, choices in (("2026 Q3", LOW), ("2026 Q4", HIGH)):
        assessment_round = round_open(
            team=team, version=small_version, title=title, opened_by=manager
        )
        for user in members:
            answer_and_submit(assessment_round, user, choices)
        closed.append(round_close(assessment_round=assessment_round))
    other = TeamFactory(organization=team.organization, name="Search")
    MembershipFactory(team=other)
    round_open(team=other, version=small_version, title="2026 Q4", opened_by=manager)
    return closed


def page_width(page) -> int:
    """The page's width once its stylesheets apply (a click's navigation may be measured
    before they load)."""
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_manager_reads_downloads_and_prints_the_summary_and_every_page_fits_a_phone(
    browser_page, manager, team, rounds
):
    page = browser_page
    page.add_init_script(PRINT_RECORDER)
    sign_in(page, manager.username)

    page.get_by_role("link", name="Report of 2026 Q4 for Payments").click()
    summary = page.locator("#summary")
    expect(summary.get_by_role("heading", name="Summary")).to_be_visible()
    expect(summary.locator(".headline-figure").first).to_have_text(
        re.compile(r"^\d+% ready \(n = 3\)$")
    )
    assert_clean(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Summary (PDF)").click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert download_info.value.suggested_filename == "payments-2026-q4-report.pdf"

    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_be_hidden()
    expect(page.locator(".report-actions")).to_be_hidden()
    expect(summary).to_be_visible()
    page.emulate_media(media="screen")

    page.set_viewport_size(PHONE)
    for path in (
        f"/rounds/{rounds[-1].pk}/report/",
        f"/teams/{team.pk}/",
        "/",
    ):
        page.goto(path)
        assert page_width(page) <= PHONE["width"], path
        assert_clean(page)
        if path.startswith("/teams/"):
            expect(
                page.get_by_role("img", name=re.compile("^Readiness per discipline"))
            ).to_be_visible()
            assert page.evaluate(SMALLEST_CHART_TEXT) >= 11


def test_an_org_leads_dashboard_and_home_fit_a_phone(browser_page, org_lead, organization, rounds):
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, org_lead.username)
    assert page_width(page) <= PHONE["width"]
    assert_clean(page)

    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("link", name="Dashboard", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Acme: where the teams stand")
    expect(page.get_by_role("row", name=re.compile("^Search")).first).to_contain_text(
        "No closed round yet; 2026 Q4 open, 0 of 1 submitted"
    )
    assert page_width(page) <= PHONE["width"]
    assert_clean(page)


def swapped(page, action) -> None:
    """Do ``action`` and wait until htmx has swapped and settled the board: only then is
    the new form wired to send its next change."""
    page.evaluate(
        """() => { window.__settled = new Promise((resolve) =>
            document.body.addEventListener("htmx:afterSettle", resolve, {once: true})); }"""
    )
    action()
    page.evaluate("() => window.__settled.then(() => true)")


def test_back_restores_the_dashboards_filters_with_its_address(
    browser_page, org_lead, organization, rounds
):
    page = browser_page
    sign_in(page, org_lead.username)
    page.goto(f"/organizations/{organization.slug}/")
    dimension, discipline = page.get_by_label("Dimension"), page.get_by_label("Discipline")

    swapped(page, lambda: dimension.select_option(label="Stability"))
    expect(page.locator("table.heatmap th.practice")).to_have_count(1)
    swapped(page, lambda: discipline.select_option(label="AI engineering"))
    swapped(page, lambda: page.get_by_role("link", name=re.compile("^AI engineering")).click())
    expect(page.get_by_role("columnheader", name=re.compile("^AI engineering"))).to_have_attribute(
        "aria-sort", "descending"
    )
    assert "order=desc" in page.url
    assert_clean(page)

    page.go_back()
    expect(discipline).to_have_value("ai-engineering")
    expect(dimension).to_have_value("stability")
    assert "order=desc" not in page.url and "discipline=ai-engineering" in page.url
    page.go_back()

    expect(discipline).to_have_value("")
    expect(dimension).to_have_value("stability")
    assert "dimension=stability" in page.url and "discipline=ai" not in page.url
    expect(page.locator("table.heatmap th.practice")).to_have_count(1)
