"""Views: parse the request, fetch what the user may see, call one service, render.

Every object is fetched through a QuerySet scoped to the user, so anything outside the
user's teams is a 404 whatever the URL says.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import reports, services
from .forms import RoundForm
from .models import AssessmentRound, Membership, Organization, Response, Team
from .services import AssessmentError

# Bump when the report templates change, so cached closed reports render anew.
REPORT_RENDER_VERSION = 1
# How long a live report may show renamed disciplines or dimensions under their old names.
LIVE_REPORT_SECONDS = 300


def refused(request: HttpRequest, error: AssessmentError) -> HttpResponse:
    """A refused request: plain text for htmx (shown by app.js), a page otherwise."""
    if request.htmx:
        return HttpResponse(error.message, status=error.status, content_type="text/plain")
    if error.status == 404:
        raise Http404(error.message)
    return render(request, "refused.html", {"message": error.message}, status=error.status)


# Home -------------------------------------------------------------------------------------


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "home_anonymous.html")
    memberships = Membership.objects.filter(user=request.user).select_related("team__organization")
    return render(
        request,
        "home.html",
        {
            "memberships": memberships,
            "led_organizations": Organization.objects.led_by(request.user),
            "assessments": services.assessments_for(user=request.user),
            "managed_teams": Team.objects.managed_by(request.user).select_related("organization"),
        },
    )


# Teams and rounds (managers) --------------------------------------------------------------


@require_GET
def team_detail(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = get_object_or_404(
        Team.objects.visible_to(request.user).select_related("organization"), pk=team_pk
    )
    can_manage = Team.objects.managed_by(request.user).filter(pk=team.pk).exists()
    rounds = team.rounds.select_related("version__questionnaire")
    return render(
        request,
        "assessment/team_detail.html",
        {
            "team": team,
            "rounds": rounds,
            "can_manage": can_manage,
            "trend": reports.team_trend(team=team) if can_manage else None,
        },
    )


@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.managed_by(request.user), pk=team_pk)
    form = RoundForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_round = services.round_open(
                team=team, opened_by=request.user, **form.cleaned_data
            )
        except AssessmentError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Round “{assessment_round.title}” is open for {team}.")
            return redirect("assessment:round_detail", round_pk=assessment_round.pk)
    status = 400 if form.errors else 200
    return render(
        request, "assessment/round_create.html", {"team": team, "form": form}, status=status
    )


@require_GET
def round_detail(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = get_object_or_404(
        AssessmentRound.objects.managed_by(request.user).select_related(
            "team", "version__questionnaire"
        ),
        pk=round_pk,
    )
    completion = services.round_completion(assessment_round=assessment_round)
    return render(
        request,
        "assessment/round_detail.html",
        {
            "round": assessment_round,
            "rows": completion.rows,
            "submitted": completion.submitted,
            "is_member": assessment_round.team.memberships.filter(user=request.user).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def round_close(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = get_object_or_404(
        AssessmentRound.objects.managed_by(request.user).select_related("team"), pk=round_pk
    )
    if not assessment_round.is_open:
        messages.info(request, "This round is already closed.")
        return redirect("assessment:round_detail", round_pk=assessment_round.pk)
    if request.method == "POST":
        services.round_close(assessment_round=assessment_round)
        messages.success(request, f"“{assessment_round.title}” is closed; its report is final.")
        return redirect("assessment:round_detail", round_pk=assessment_round.pk)
    completion = services.round_completion(assessment_round=assessment_round)
    return render(
        request,
        "assessment/round_close.html",
        {
            "round": assessment_round,
            "submitted": completion.submitted,
            "in_progress": completion.in_progress,
            "total": len(completion.rows),
            "minimum": settings.READINESS_MIN_RESPONSES_FOR_DISTRIBUTION,
        },
    )


# Answering (respondents) ------------------------------------------------------------------


def respondent_round(request: HttpRequest, round_pk: int) -> AssessmentRound:
    return get_object_or_404(
        AssessmentRound.objects.for_respondent(request.user).select_related(
            "team", "version__questionnaire"
        ),
        pk=round_pk,
    )


@require_GET
def respond(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = respondent_round(request, round_pk)
    response, sheet = services.own_sheet(assessment_round=assessment_round, respondent=request.user)
    if (response and response.is_submitted) or not assessment_round.is_open:
        return redirect("assessment:my_answers", round_pk=assessment_round.pk)
    return render(request, "assessment/respond.html", {"round": assessment_round, "sheet": sheet})


@require_POST
def answer_save(request: HttpRequest, round_pk: int) -> HttpResponse:
    """Autosave one question (htmx); replies with out-of-band updates only.

    The save checks the round and the membership itself (a non-member gets 404, even
    for an empty post), so the hottest request of the app runs without fetching the
    round first. A malformed post is refused (400) before anything is read.
    """
    try:
        changes = services.parse_answer_fields(request.POST)
        if len(changes) > 1:
            raise AssessmentError("Send one question's answer at a time.")
        saved = services.answers_save(round_pk=round_pk, respondent=request.user, answers=changes)
    except AssessmentError as error:
        return refused(request, error)
    if not changes:
        return HttpResponse(status=204)  # nothing was chosen or typed: nothing to save
    question_pk = changes[0].question_pk
    if not request.htmx:  # a beacon sent while the page was closing
        return redirect(reverse("assessment:respond", args=[round_pk]) + f"#q-{question_pk}")
    # No request context: the fragment shows no user, form or script, and the context
    # processors would cost more than the rendering itself.
    fragment = render_to_string(
        "assessment/respond.html#autosave",
        {
            "round_pk": round_pk,
            "reply": services.save_reply(saved, [question_pk]),
            "saved": saved.criteria.questions_by_pk[question_pk],
        },
    )
    return HttpResponse(fragment)


@require_POST
def section_save(request: HttpRequest, round_pk: int, practice_pk: int) -> HttpResponse:
    """Save a whole section: the page's plain form submit, for browsers without JS."""
    assessment_round = respondent_round(request, round_pk)
    criteria = services.criteria_for(assessment_round.version)
    practice = next(
        (p for d in criteria.dimensions for p in d.practices if p.pk == practice_pk), None
    )
    if practice is None:
        return refused(request, AssessmentError("That section is not part of this round.", 404))
    try:
        changes = services.parse_answer_fields(
            request.POST, only=[q.pk for q in practice.questions]
        )
        services.answers_save(
            round_pk=assessment_round.pk, respondent=request.user, answers=changes
        )
    except AssessmentError as error:
        return refused(request, error)
    messages.success(request, f"Saved your answers on {practice.name}.")
    return redirect(reverse("assessment:respond", args=[round_pk]) + f"#practice-{practice.key}")


@require_GET
def review(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = respondent_round(request, round_pk)
    response, sheet = services.own_sheet(assessment_round=assessment_round, respondent=request.user)
    if (response and response.is_submitted) or not assessment_round.is_open:
        return redirect("assessment:my_answers", round_pk=assessment_round.pk)
    criteria = services.criteria_for(assessment_round.version)
    missing = [criteria.questions_by_pk[pk] for pk in sheet.progress.required_missing]
    return render(
        request,
        "assessment/review.html",
        {"round": assessment_round, "sheet": sheet, "missing": missing},
    )


@require_POST
def submit(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = respondent_round(request, round_pk)
    try:
        services.response_submit(assessment_round=assessment_round, respondent=request.user)
    except AssessmentError as error:
        messages.error(request, error.message)
        if assessment_round.is_open:
            return redirect("assessment:review", round_pk=assessment_round.pk)
        return refused(request, error)
    messages.success(request, "Submitted. Thank you: here is what you answered.")
    return redirect("assessment:my_answers", round_pk=assessment_round.pk)


@require_GET
def my_answers(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = respondent_round(request, round_pk)
    response, sheet = services.own_sheet(assessment_round=assessment_round, respondent=request.user)
    return render(
        request,
        "assessment/my_answers.html",
        {
            "round": assessment_round,
            "response": response,
            "sheet": sheet,
            "submitted": bool(response and response.status == Response.Status.SUBMITTED),
        },
    )


# Reports ----------------------------------------------------------------------------------


def reported_round(request: HttpRequest, round_pk: int) -> tuple[AssessmentRound, bool]:
    """The round and whether the user sees the whole report (else the summary)."""
    assessment_round = get_object_or_404(
        AssessmentRound.objects.with_viewer(request.user).select_related(
            "team__organization", "version__questionnaire"
        ),
        pk=round_pk,
    )
    access = assessment_round.report_access(request.user)
    if access is None:
        raise Http404("No such report among yours.")
    return assessment_round, access == "full"


def managed_round(request: HttpRequest, round_pk: int) -> AssessmentRound:
    return get_object_or_404(
        AssessmentRound.objects.managed_by(request.user).select_related(
            "team__organization", "version__questionnaire"
        ),
        pk=round_pk,
    )


def report_body(assessment_round: AssessmentRound, full: bool) -> str:
    """The report's HTML. A closed round's never changes, so it is rendered once; an open
    round's is rendered again only when what it is computed from has changed."""

    def render_body() -> str:
        document = reports.round_document(assessment_round=assessment_round)
        return render_to_string(
            "assessment/report.html#report-body",
            {"round": assessment_round, "view": reports.report_view(document), "full": full},
        )

    audience = "full" if full else "summary"
    key = f"report:{assessment_round.pk}:{audience}:v{REPORT_RENDER_VERSION}"
    if not assessment_round.is_open:
        return cache.get_or_set(key, render_body, timeout=24 * 3600)
    # Scoring and rendering 50 responses costs about thirty trivial pages, and managers
    # re-read live reports while answers arrive; one entry per round, replaced on change.
    state = reports.live_report_state(assessment_round)
    cached = cache.get(f"{key}:live")
    if cached is not None and cached[0] == state:
        return cached[1]
    body = render_body()
    cache.set(f"{key}:live", (state, body), timeout=LIVE_REPORT_SECONDS)
    return body


@require_GET
def report(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round, full = reported_round(request, round_pk)
    body = mark_safe(report_body(assessment_round, full))  # noqa: S308 - our own template
    return render(
        request,
        "assessment/report.html",
        {"round": assessment_round, "body": body, "full": full},
    )


def attachment(
    response: HttpResponse, assessment_round: AssessmentRound, what: str, extension: str
) -> HttpResponse:
    """Mark a response as a download named after the team, the round and what it holds."""
    name = f"{slugify(assessment_round.team.name)}-{slugify(assessment_round.title)}"
    response["Content-Disposition"] = f'attachment; filename="{name}-{what}.{extension}"'
    return response


def csv_download(assessment_round: AssessmentRound, what: str, rows) -> HttpResponse:
    response = StreamingHttpResponse(reports.csv_lines(rows), content_type="text/csv")
    return attachment(response, assessment_round, what, "csv")


@require_GET
def report_csv(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = managed_round(request, round_pk)
    document = reports.round_document(assessment_round=assessment_round)
    return csv_download(assessment_round, "practices", reports.practice_rows(document))


@require_GET
def answers_csv(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = managed_round(request, round_pk)
    try:
        reports.answers_export_check(assessment_round=assessment_round)
    except AssessmentError as error:
        return refused(request, error)
    return csv_download(assessment_round, "answers", reports.answer_rows(assessment_round))


@require_GET
def report_json(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = managed_round(request, round_pk)
    document = reports.round_document(assessment_round=assessment_round)
    response = JsonResponse(document, json_dumps_params={"indent": 2, "ensure_ascii": False})
    return attachment(response, assessment_round, "report", "json")


@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.led_by(request.user), slug=slug)
    board = reports.organization_dashboard(
        teams=list(organization.teams.all()),
        sort=request.GET.get("sort", "name"),
        dimension=request.GET.get("dimension", ""),
        discipline=request.GET.get("discipline", ""),
    )
    context = {"organization": organization, "board": board}
    if request.htmx:
        return render(request, "assessment/dashboard.html#board", context)
    return render(request, "assessment/dashboard.html", context)
