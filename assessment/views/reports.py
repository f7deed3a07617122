"""Reports, exports and the organization's dashboard."""

from __future__ import annotations

import hashlib

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
from ..reports.dashboard import latest_rounds, organization_dashboard
from ..reports.document import round_document
from ..reports.page import report_view
from .caching import template_release
from .refusals import refused

REPORT_TEMPLATE = "assessment/report.html"
DASHBOARD_TEMPLATE = "assessment/dashboard.html"
DASHBOARD_SECONDS = 3600
# A closed report never changes, and rendering it (50 responses, every chart and question)
# costs several times the page around it: its body is kept in the cache for a day.
CLOSED_REPORT_SECONDS = 24 * 3600


def report_body(assessment_round: AssessmentRound, full: bool) -> str:
    """The report's HTML. A closed round's is cached, keyed on what it shows: the round and
    when it closed (its snapshot), the audience, the template and the language."""

    def render_body() -> str:
        document = round_document(assessment_round=assessment_round)
        context = {"round": assessment_round, "view": report_view(document), "full": full}
        return render_to_string(f"{REPORT_TEMPLATE}#report-body", context)

    if assessment_round.is_open:
        return render_body()
    audience = "full" if full else "summary"
    key = f"report:{assessment_round.pk}:{assessment_round.closed_at.isoformat()}:{audience}"
    key = f"{key}:{template_release(REPORT_TEMPLATE)}"
    return cache.get_or_set(key, render_body, timeout=CLOSED_REPORT_SECONDS)


@require_GET
def report(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round, full = selectors.reported_round(user=request.user, round_pk=round_pk)
    body = mark_safe(report_body(assessment_round, full))  # noqa: S308 - our own template
    context = {"round": assessment_round, "body": body, "full": full}
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
    assessment_round = selectors.managed_round(user=request.user, round_pk=round_pk)
    document = round_document(assessment_round=assessment_round)
    return csv_download(assessment_round, "practices", exports.practice_rows(document))


@require_GET
def answers_csv(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = selectors.managed_round(user=request.user, round_pk=round_pk)
    try:
        exports.answers_export_check(assessment_round=assessment_round)
    except AssessmentError as error:
        return refused(request, error)
    return csv_download(assessment_round, "answers", exports.answer_rows(assessment_round))


@require_GET
def report_json(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = selectors.managed_round(user=request.user, round_pk=round_pk)
    document = round_document(assessment_round=assessment_round)
    response = JsonResponse(document, json_dumps_params={"indent": 2, "ensure_ascii": False})
    return attachment(response, assessment_round, "report", "json")


@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """The organization's teams side by side. The board is cached, keyed on everything it
    shows: the teams and their latest closed rounds, the dimensions' names and order, the
    filters, the template and the language (drawing 1,500 cells from 100 snapshots is
    most of the page's time; measured in bench/reports.py)."""
    organization = get_object_or_404(Organization.objects.led_by(request.user), slug=slug)
    teams = list(organization.teams.all())
    latest = latest_rounds(teams)
    dimensions = list(Dimension.objects.values_list("slug", "name"))
    filters = {name: request.GET.get(name, "") for name in ("sort", "dimension", "discipline")}
    part = "board" if request.htmx else "body"
    shown = (
        organization.slug,
        [(team.pk, team.name, latest.get(team.pk)) for team in teams],
        dimensions,
        sorted(filters.items()),
        part,
    )
    key = f"dashboard:{hashlib.sha256(repr(shown).encode()).hexdigest()}"
    key = f"{key}:{template_release(DASHBOARD_TEMPLATE)}"

    def render_board() -> str:
        board = organization_dashboard(teams=teams, latest=latest, dimensions=dimensions, **filters)
        context = {"organization": organization, "board": board}
        return render_to_string(f"{DASHBOARD_TEMPLATE}#{part}", context)

    html = mark_safe(cache.get_or_set(key, render_board, timeout=DASHBOARD_SECONDS))  # noqa: S308
    if request.htmx:
        return HttpResponse(html)
    return render(request, DASHBOARD_TEMPLATE, {"organization": organization, "body": html})
