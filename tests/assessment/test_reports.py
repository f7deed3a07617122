import csv
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from assessment.criteria.lifecycle import questionnaire_import, version_new_draft
from assessment.models import PracticeWeight, ReportSnapshot
from assessment.rounds import round_close, round_open
from assessment.views.reports import report_body
from comparisons.models import Dimension, Discipline
from tests.answering import HIGH, LOW, submitted_by
from tests.criteria_data import small_document
from tests.factories import MembershipFactory, OrganizationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def report_url(assessment_round):
    return reverse("assessment:report", args=[assessment_round.pk])


def closed_with(assessment_round, count, choices=None, comments=None):
    """``count`` new members submit (LOW and HIGH in turn, or ``choices``), then it closes."""
    users = submitted_by(assessment_round, count, choices, comments)
    return round_close(assessment_round=assessment_round), users


# Who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize("user_fixture", ["manager", "org_lead", "staff"])
def test_managers_leads_and_staff_read_the_whole_closed_report(
    client, request, open_round, user_fixture
):
    closed_with(open_round, 3)
    client.force_login(request.getfixturevalue(user_fixture))

    response = client.get(report_url(open_round))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Summary" in html
    assert "Practices against targets" in html
    assert "Agreement" in html


def test_while_a_round_is_open_managers_see_completion_and_no_scores(client, manager, open_round):
    submitted_by(open_round, 3)
    client.force_login(manager)

    response = client.get(report_url(open_round))

    html = response.content.decode()
    assert response.status_code == 200
    assert "The round is still open" in html
    assert "<strong>3 of 4</strong> members submitted" in html
    assert "ready" not in html and "What to do next" not in html


@pytest.mark.parametrize("user_fixture", ["member", "other_manager", "outsider"])
def test_others_get_404_for_an_open_rounds_report(client, request, open_round, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))

    assert client.get(report_url(open_round)).status_code == 404


def test_members_see_the_summary_once_the_round_is_closed(client, member, open_round):
    closed_with(open_round, 3)
    client.force_login(member)

    response = client.get(report_url(open_round))

    html = response.content.decode()
    assert response.status_code == 200
    assert "The comparison, for this team" in html
    assert "What to do next" in html
    assert "Practices against targets" not in html
    assert "How the team answered each question" not in html
    assert "report.csv" not in html and "CSV export" not in html


@pytest.mark.parametrize("url_name", ["report_csv", "answers_csv", "report_json", "report_pdf"])
def test_members_get_404_for_exports(client, member, open_round, url_name):
    closed_with(open_round, 3)
    client.force_login(member)

    response = client.get(reverse(f"assessment:{url_name}", args=[open_round.pk]))

    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, open_round):
    response = client.get(report_url(open_round))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# What the report says ---------------------------------------------------------------------


def test_headline_gives_readiness_n_level_target_and_coverage(client, manager, open_round):
    MembershipFactory(team=open_round.team)  # a member who does not answer
    closed_with(open_round, 3)
    client.force_login(manager)

    html = client.get(report_url(open_round)).content.decode()

    # members: max (manager) + 3 respondents + 1 silent member
    assert "<strong>n = 3</strong> of 5 members submitted" in html
    assert "coverage 100%" in html
    # Software engineering: version control only. LOW, HIGH, LOW: code-in-vcs 1/3 and
    # reviews 1/3, so P = 33%; its level (nearest step) is Ad hoc, the target 90% Embedded.
    assert "<strong>Ad hoc</strong> · target 90% (Embedded)" in html
    assert "Scope not recorded" in html


def test_next_steps_name_each_practice_once_with_its_gains_advice_and_anonymous_comments(
    client, manager, open_round
):
    closed_with(open_round, 3, choices=LOW, comments={"drift-alerts": "We look at dashboards."})
    client.force_login(manager)

    html = client.get(report_url(open_round)).content.decode()

    # AI: drift weight 3 of (1 + 1 + 3); gap 0.75 -> lift 0.45. Version control counts for
    # both disciplines: one step with two gains.
    assert "+45.0 points of AI engineering readiness" in html
    assert html.count('<h3 class="h6 mb-1">Version control') == 1
    assert "+90.0 points of Software engineering readiness" in html  # 2 * 0.9 / 2
    assert "Next step after none." in html
    assert "We look at dashboards." in html
    for user in open_round.team.members.exclude(pk=manager.pk):
        assert user.get_full_name() not in html


def test_contested_questions_are_listed(client, manager, open_round):
    closed_with(open_round, 4)  # LOW and HIGH differ by 1.0 on all but "has-models"
    client.force_login(manager)

    html = client.get(report_url(open_round)).content.decode()

    assert "On 3 questions the team's answers lie 50 points or more apart" in html


def test_charts_are_svg_with_a_table_of_the_same_figures(client, manager, open_round):
    closed_with(open_round, 3)
    client.force_login(manager)

    html = client.get(report_url(open_round)).content.decode()

    assert html.count('<svg viewBox="0 0') == 2
    assert (
        'role="img" aria-labelledby="chart-ai-engineering-title chart-ai-engineering-desc"' in html
    )
    assert "Every practice: score, how much of it was answered" in html


def test_how_to_read_explains_the_figures_with_the_teams_own_numbers(client, manager, open_round):
    closed_with(open_round, 3)
    client.force_login(manager)

    html = client.get(report_url(open_round)).content.decode()

    assert "How to read this report" in html
    assert "Software engineering readiness is 33%" in html
    assert "at least 3 responses besides the reader" in html
    assert reverse("assessment:reading_reports") in html


def test_lineage_footer_names_the_questionnaire_version_and_hash(client, manager, open_round):
    closed_with(open_round, 3)
    client.force_login(manager)

    html = client.get(report_url(open_round)).content.decode()

    assert "Small readiness check, version 1" in html
    assert open_round.version.content_hash[:12] in html
    assert "from 3 submitted responses" in html


def test_a_closed_round_report_never_changes_byte_for_byte(client, manager, open_round):
    open_round, _ = closed_with(open_round, 3, comments={"reviews": "pairing"})
    client.force_login(manager)
    json_before = client.get(reverse("assessment:report_json", args=[open_round.pk])).content
    body_before = report_body(open_round, full=True, min_group_size=3)
    csv_url = reverse("assessment:report_csv", args=[open_round.pk])
    csv_before = b"".join(client.get(csv_url).streaming_content)

    Discipline.objects.filter(slug="ai-engineering").update(name="Machine learning")
    Dimension.objects.filter(slug="stability").update(name="Steadiness")
    open_round.team.organization.teams.update(name="Renamed team")
    for user in open_round.team.members.all():
        user.first_name = "Changed"
        user.save()
    draft = version_new_draft(version=open_round.version)
    PracticeWeight.objects.filter(practice__version=draft).update(target="0.1")
    MembershipFactory(team=open_round.team)
    cache.clear()

    assert client.get(reverse("assessment:report_json", args=[open_round.pk])).content == (
        json_before
    )
    assert report_body(open_round, full=True, min_group_size=3) == body_before
    assert b"".join(client.get(csv_url).streaming_content) == csv_before


# Exports ----------------------------------------------------------------------------------


def test_practice_csv_has_a_row_per_practice_and_discipline_in_the_pages_units(
    client, manager, open_round
):
    closed_with(open_round, 4)
    client.force_login(manager)

    response = client.get(reverse("assessment:report_csv", args=[open_round.pk]))

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Type"] == "text/csv"
    assert [(r["practice"], r["discipline"]) for r in rows] == [
        ("version-control", "software-engineering"),
        ("version-control", "ai-engineering"),
        ("models-in-production", "ai-engineering"),
        ("drift-monitoring", "ai-engineering"),
    ]
    drift = rows[-1]
    assert (drift["score_pct"], drift["target_pct"], drift["gap_points"]) == ("50", "75", "25.0")
    assert drift["lift_points"] == "15.0"
    assert (drift["coverage_pct"], drift["scored_answers"]) == ("100", "4")


def test_answers_csv_uses_pseudonyms_in_their_own_order(client, manager, open_round):
    open_round, users = closed_with(
        open_round, 3, comments={"reviews": "we pair", "code-in-vcs": "all of it"}
    )
    client.force_login(manager)

    response = client.get(reverse("assessment:answers_csv", args=[open_round.pk]))

    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    answers, notes = rows[:12], rows[12:]
    pseudonyms = [r["response"] for r in answers]
    assert len(set(pseudonyms)) == 3
    assert pseudonyms == sorted(pseudonyms)  # never the order people answered in
    assert all(p.startswith("R-") for p in pseudonyms)
    assert {r["value_pct"] for r in answers} <= {"0", "100", "50"}
    assert {(r["comment"], r["evidence"]) for r in answers} == {("", "")}
    # Comments stand apart, by question, with no pseudonym to tie them to other answers.
    assert [(r["response"], r["question"], r["comment"]) for r in notes] == [
        ("", "code-in-vcs", "all of it"),
        ("", "code-in-vcs", "all of it"),
        ("", "code-in-vcs", "all of it"),
        ("", "reviews", "we pair"),
        ("", "reviews", "we pair"),
        ("", "reviews", "we pair"),
    ]
    for user in users:
        assert user.username not in text
        assert user.last_name not in text


def test_json_export_is_the_documented_report_document(client, manager, open_round):
    closed_with(open_round, 3)
    client.force_login(manager)

    response = client.get(reverse("assessment:report_json", args=[open_round.pk]))

    document = json.loads(response.content)
    assert document["format"] == "readiness-report/2"
    assert document["questionnaire"]["content_hash"] == open_round.version.content_hash
    assert document["respondents"] == 3
    assert document["report"]["floor"] == 0.6
    assert document["scope"] is None
    assert [d["discipline"] for d in document["report"]["disciplines"]] == [
        "software-engineering",
        "ai-engineering",
    ]
    assert document == ReportSnapshot.objects.get().report


@pytest.mark.parametrize("url_name", ["report_csv", "answers_csv", "report_json", "report_pdf"])
def test_exports_of_an_open_round_are_refused(client, manager, open_round, url_name):
    submitted_by(open_round, 3)
    client.force_login(manager)

    response = client.get(reverse(f"assessment:{url_name}", args=[open_round.pk]))

    assert response.status_code == 409
    assert "Scores appear when the round closes" in response.content.decode()


def test_answers_export_leaves_out_hidden_answers_and_defuses_formulas(client, manager, open_round):
    hidden = {**HIGH, "has-models": "no"}  # drift-alerts answered, then hidden
    closed_with(open_round, 3, choices=hidden, comments={"code-in-vcs": "=HYPERLINK(1)"})
    client.force_login(manager)

    response = client.get(reverse("assessment:answers_csv", args=[open_round.pk]))

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r["question"] for r in rows} == {"code-in-vcs", "reviews", "has-models"}
    assert {r["comment"] for r in rows if r["comment"]} == {"'=HYPERLINK(1)"}


def test_the_pdf_holds_the_summary_first_and_the_details_after(client, manager, open_round):
    closed_with(open_round, 3, choices=LOW)
    client.force_login(manager)

    response = client.get(reverse("assessment:report_pdf", args=[open_round.pk]))

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    summary = "\n".join(pages[:2])
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "Payments" in pages[0] and "Readiness report: 2026 Q4" in pages[0]
    assert "Scope not recorded" in pages[0]
    assert "n = 3" in pages[0]
    assert "Drift monitoring" in summary and "+45.0 points of AI engineering" in summary
    appendix = next(i for i, text in enumerate(pages) if "Appendix: the details" in text)
    assert appendix <= 2  # the summary fits on two A4 pages


# Trend ------------------------------------------------------------------------------------


def test_trend_compares_rounds_on_different_versions_by_key(client, manager, team, open_round):
    closed_with(open_round, 3, choices=LOW)
    data = small_document(version={"number": 2, "readiness_rule": "mean", "notes": ""})
    data["practices"][1]["key"] = "models-in-use"
    data["practices"][1]["name"] = "Models in use"
    v2 = questionnaire_import(data=data).version
    second = round_open(team=team, version=v2, title="2027 Q1", opened_by=manager)
    closed_with(second, 3, choices=HIGH)
    client.force_login(manager)

    html = client.get(reverse("assessment:team_detail", args=[team.pk])).content.decode()

    assert "Readiness over time" in html
    assert "Change per practice since 2026 Q4" in html
    assert "+100" in html  # version control: 0% -> 100%
    assert "<strong>Added in 2027 Q1:</strong> Models in use" in html
    assert "<strong>No longer assessed:</strong> Models in production" in html


def test_members_do_not_see_the_trend(client, member, team, open_round):
    closed_with(open_round, 3)
    client.force_login(member)

    html = client.get(reverse("assessment:team_detail", args=[team.pk])).content.decode()

    assert "Readiness over time" not in html


# Dashboard --------------------------------------------------------------------------------


def closed_round_for(team, manager, version, title="2026 Q4", choices=None):
    assessment_round = round_open(team=team, version=version, title=title, opened_by=manager)
    closed, _ = closed_with(assessment_round, 3, choices=choices or HIGH)
    return closed


def test_org_lead_sees_heatmap_readiness_and_mean(
    client, org_lead, organization, manager, team, small_version
):
    other = TeamFactory(organization=organization, name="Search")
    closed_round_for(team, manager, small_version, choices=HIGH)
    closed_round_for(other, manager, small_version, choices=LOW)
    client.force_login(org_lead)

    html = client.get(reverse("assessment:dashboard", args=[organization.slug])).content.decode()

    assert "Practices by team" in html
    assert "Organization mean" in html
    # HIGH: every practice at 100%; LOW: 0% but for "models in production" (yes = 100%)
    assert html.count('class="heat heat-4"') == 4
    assert html.count('class="heat heat-0"') == 2
    assert "<strong>50%</strong>" in html  # mean of 100% and 0% software readiness


@pytest.mark.parametrize("user_fixture", ["manager", "member", "outsider"])
def test_dashboard_is_for_leads_and_staff_only(client, request, organization, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))

    response = client.get(reverse("assessment:dashboard", args=[organization.slug]))

    assert response.status_code == 404


def test_lead_of_another_organization_gets_404(client, organization):
    lead = UserFactory()
    OrganizationFactory().leads.add(lead)
    client.force_login(lead)

    assert client.get(reverse("assessment:dashboard", args=[organization.slug])).status_code == 404


def test_dashboard_filters_update_in_place_with_htmx(
    client, org_lead, organization, manager, team, small_version
):
    closed_round_for(team, manager, small_version)
    client.force_login(org_lead)
    url = reverse("assessment:dashboard", args=[organization.slug])

    response = client.get(url, {"dimension": "stability"}, headers=HTMX)

    html = response.content.decode()
    assert html.startswith('\n<div id="board"')
    assert "<html" not in html
    assert html.count('class="practice"') == 1
    assert "Drift monitoring" in html


def test_dashboard_filter_and_sort_work_as_plain_links(
    client, org_lead, organization, manager, team, small_version
):
    other = TeamFactory(organization=organization, name="Aardvarks")
    closed_round_for(team, manager, small_version, choices=HIGH)
    closed_round_for(other, manager, small_version, choices=LOW)
    client.force_login(org_lead)
    url = reverse("assessment:dashboard", args=[organization.slug])

    by_name = client.get(url).content.decode()
    by_readiness = client.get(
        url, {"sort": "discipline:ai-engineering", "discipline": "ai-engineering"}
    ).content.decode()

    assert by_name.index("Aardvarks") < by_name.index(">Payments<")
    assert by_readiness.index(">Payments<") < by_readiness.index("Aardvarks")
    assert "Software engineering</a>" not in by_readiness


def test_closed_report_is_served_from_the_snapshot(
    client, manager, open_round, django_assert_max_num_queries
):
    closed_with(open_round, 3)
    client.force_login(manager)
    client.get(report_url(open_round))

    with django_assert_max_num_queries(6):
        response = client.get(report_url(open_round))

    assert "frozen when the round closed" in response.content.decode()


def test_members_summary_has_no_comments_or_counts(client, member, open_round):
    closed_with(open_round, 3, choices=LOW, comments={"drift-alerts": "a colleague's words"})
    client.force_login(member)

    html = client.get(report_url(open_round)).content.decode()

    assert "What to do next" in html
    assert "a colleague's words" not in html
    assert "chosen by" not in html


def test_dashboard_passes_over_a_round_closed_without_answers(
    client, org_lead, organization, manager, team, small_version
):
    closed_round_for(team, manager, small_version, title="2026 Q3", choices=HIGH)
    empty = round_open(team=team, version=small_version, title="2026 Q4", opened_by=manager)
    round_close(assessment_round=empty)
    client.force_login(org_lead)

    html = client.get(reverse("assessment:dashboard", args=[organization.slug])).content.decode()

    assert "<td>2026 Q3 <span" in html
    assert html.count('class="heat heat-4"') == 3
