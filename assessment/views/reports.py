"""Reports, exports and the organization's dashboard."""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from comparisons.models import Dimension

from .. import selectors
from ..errors import AssessmentError
from ..models import AssessmentRound, Organization
from ..reports import exports
from ..reports.dashboard import board_state, organization_dashboard
from ..reports.document import round_document
from ..reports.page import report_view
from ..reports.pdf import report_pdf as render_pdf
from ..reports.standing import latest_rounds, open_rounds
from .caching import release
from .refusals import refused

REPORT_TEMPLATE = "assessment/report.html"
DASHBOARD_TEMPLATE = "assessment/dashboard.html"
DASHBOARD_SECONDS = 3600
DASHBOARD_FILTERS = ("sort", "order", "dimension", "discipline")
# A closed report never changes, and rendering it (50 responses, every chart and question)
# costs several times the page around it: its body is kept in the cache for a day.
CLOSED_REPORT_SECONDS = 24 * 3600


def report_body(assessment_round: AssessmentRound, full: bool, min_group_size: int) -> str:
    """The report's HTML. It is cached, keyed on what it shows: the round and when it
    closed (its snapshot), the audience, the organization's minimum group size, the code's
    release and the language. (A 50-response report's page takes 18 ms to draw and 3 ms
    from the cache; bench/reports.py, closed_report_first against closed_report.)"""

    def render_body() -> str:
        document = round_document(assessment_round=assessment_round)
        context = {
            "round": assessment_round,
            "view": report_view(document),
            "full": full,
            "min_group_size": min_group_size,
        }
        return render_to_string(f"{REPORT_TEMPLATE}#report-body", context)

    audience = "full" if full else "summary"
    key = f"report:{assessment_round.pk}:{assessment_round.closed_at.isoformat()}:{audience}"
    key = f"{key}:{min_group_size}:{release()}"
    return cache.get_or_set(key, render_body, timeout=CLOSED_REPORT_SECONDS)


@require_GET
def report(request: HttpRequest, round_pk: int) -> HttpResponse:
    reading = selectors.reported_round(user=request.user, round_pk=round_pk)
    assessment_round = reading.round
    context = {"round": assessment_round, "full": reading.full, "reading": reading}
    if reading.withheld:
        context["completion"] = selectors.round_completion(assessment_round=assessment_round)
    else:
        body = report_body(assessment_round, reading.full, reading.min_group_size)
        context["body"] = mark_safe(body)  # noqa: S308 - our own template
    return render(request, REPORT_TEMPLATE, context)


def attachment(
    response: HttpResponse, assessment_round: AssessmentRound, what: str, extension: str
) -> HttpResponse:
    """Mark a response as a download named after the team, the round and what it holds."""
    name = f"{slugify(assessment_round.team.name)}-{slugify(assessment_round.title)}"
    response["Content-Disposition"] = f'attachment; filename="{name}-{what}.{extension}"'
    return response


def csv_download(assessment_round: AssessmentRound, what: str, rows) -> HttpResponse:
    response = StreamingHttpResponse(exports.csv_lines(rows), content_type="text/csv")
    return attachment(response, assessment_round, what, "csv")


@require_GET
def report_csv(request: HttpRequest, round_pk: int) -> HttpResponse:
    try:
        assessment_round = selectors.exported_round(user=request.user, round_pk=round_pk)
    except AssessmentError as error:
        return refused(request, error)
    document = round_document(assessment_round=assessment_round)
    return csv_download(assessment_round, "practices", exports.practice_rows(document))


@require_GET
def answers_csv(request: HttpRequest, round_pk: int) -> HttpResponse:
    try:
        assessment_round = selectors.exported_answers_round(user=request.user, round_pk=round_pk)
    except AssessmentError as error:
        return refused(request, error)
    return csv_download(assessment_round, "answers", exports.answer_rows(assessment_round))


@require_GET
def report_pdf(request: HttpRequest, round_pk: int) -> HttpResponse:
    """The summary and, as an appendix, the details, as one PDF to forward."""
    try:
        assessment_round = selectors.exported_round(user=request.user, round_pk=round_pk)
    except AssessmentError as error:
        return refused(request, error)
    pdf = render_pdf(
        document=round_document(assessment_round=assessment_round),
        min_group_size=assessment_round.team.organization.min_group_size,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    return attachment(response, assessment_round, "report", "pdf")


@login_not_required
@require_GET
def reading_reports(request: HttpRequest) -> HttpResponse:
    """How to read a report, a trend and the dashboard: every figure explained."""
    return render(request, "assessment/reading_reports.html")


@require_GET
def report_json(request: HttpRequest, round_pk: int) -> HttpResponse:
    try:
        assessment_round = selectors.exported_round(user=request.user, round_pk=round_pk)
    except AssessmentError as error:
        return refused(request, error)
    document = round_document(assessment_round=assessment_round)
    response = JsonResponse(document, json_dumps_params={"indent": 2, "ensure_ascii": False})
    return attachment(response, assessment_round, "report", "json")


@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """The organization's teams side by side. The board is cached, keyed on everything it
    shows: the teams, their latest closed rounds and which of them are withheld from this
    reader, their open rounds' completion, the dimensions' names and order, the filters,
    the code's release and the language (for 100 teams the page takes 34 ms to draw and
    6 ms from the cache; bench/reports.py, dashboard_first against dashboard). The filter
    form is part of the board, so that an htmx swap, and Back after one, keeps the form
    and the address in step."""
    organization = get_object_or_404(Organization.objects.led_by(request.user), slug=slug)
    teams = list(organization.teams.all())
    standing = {
        "teams": teams,
        "latest": latest_rounds(teams, request.user),
        "opened": open_rounds(teams),
        "min_group_size": organization.min_group_size,
    }
    dimensions = list(Dimension.objects.values_list("slug", "name"))
    filters = {name: request.GET.get(name, "") for name in DASHBOARD_FILTERS}
    shown = (organization.slug, board_state(**standing), dimensions, sorted(filters.items()))
    key = f"dashboard:{hashlib.sha256(repr(shown).encode()).hexdigest()}"
    key = f"{key}:{release()}"

    def render_board() -> str:
        board = organization_dashboard(**standing, dimensions=dimensions, **filters)
        context = {"organization": organization, "board": board}
        return render_to_string(f"{DASHBOARD_TEMPLATE}#board", context)

    html = mark_safe(cache.get_or_set(key, render_board, timeout=DASHBOARD_SECONDS))  # noqa: S308
    if request.htmx:
        return HttpResponse(html)
    return render(request, DASHBOARD_TEMPLATE, {"organization": organization, "board": html})
