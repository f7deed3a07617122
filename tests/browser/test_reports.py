"""The report, the team trend and the dashboard in Chromium: clean for axe-core and the
CSP, htmx filtering in place, readable on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessment.rounds import round_close, round_open
from tests.answering import answer_and_submit
from tests.browser.fixtures import assert_clean, assert_no_horizontal_scroll, sign_in
from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LOW = {"code-in-vcs": "none", "reviews": "some", "has-models": "yes", "drift-alerts": "manual"}
HIGH = {"code-in-vcs": "all", "reviews": "all", "has-models": "yes", "drift-alerts": "owned"}


@pytest.fixture
def closed_rounds(team, manager, small_version):
    """Two closed rounds for the team (a trend) and one for a second team of the org."""
    rounds = []
    for title, choices in (("2026 Q3", LOW), ("2026 Q4", HIGH)):
        assessment_round = round_open(
            team=team, version=small_version, title=title, opened_by=manager
        )
        for index in range(3):
            user = MembershipFactory(team=team).user
            answer_and_submit(
                assessment_round,
                user,
                choices if index else LOW,
                comments={"reviews": f"comment {index}"},
            )
        rounds.append(round_close(assessment_round=assessment_round))
    other = TeamFactory(organization=team.organization, name="Search")
    other_round = round_open(team=other, version=small_version, title="2026 Q4", opened_by=manager)
    answer_and_submit(other_round, MembershipFactory(team=other).user, LOW)
    round_close(assessment_round=other_round)
    return rounds


def test_manager_reads_the_report_and_the_trend(browser_page, manager, team, closed_rounds):
    page = browser_page
    sign_in(page, manager.username)

    page.goto(f"/rounds/{closed_rounds[-1].pk}/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Readiness report: 2026 Q4")
    expect(
        page.get_by_role("img", name="AI engineering: practice scores against targets")
    ).to_be_visible()
    page.get_by_text("How the team answered each question").click()
    expect(page.locator("table.distribution").first).to_be_visible()
    assert_clean(page)

    page.goto(f"/teams/{team.pk}/")
    expect(page.get_by_role("heading", name="Readiness over time")).to_be_visible()
    expect(page.get_by_role("heading", name="Change per practice since 2026 Q3")).to_be_visible()
    assert_clean(page)


def test_report_fits_a_phone(browser_page, manager, closed_rounds):
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, manager.username)

    page.goto(f"/rounds/{closed_rounds[-1].pk}/report/")

    assert_no_horizontal_scroll(page)


def test_org_lead_filters_and_sorts_the_dashboard_in_place(
    browser_page, org_lead, organization, closed_rounds
):
    page = browser_page
    sign_in(page, org_lead.username)
    page.goto(f"/organizations/{organization.slug}/")
    assert_clean(page)
    heatmap_columns = page.locator("table.heatmap th.practice")
    expect(heatmap_columns).to_have_count(3)

    with page.expect_response(lambda r: "dimension=stability" in r.url):
        page.get_by_label("Dimension").select_option(label="Stability")

    expect(heatmap_columns).to_have_count(1)
    assert "dimension=stability" in page.url  # the filtered view has its own address
    with page.expect_response(lambda r: "sort=discipline" in r.url):
        page.get_by_role("link", name="AI engineering").click()
    expect(page.locator("#board tbody tr").first).to_contain_text("Payments")
    assert_clean(page)
