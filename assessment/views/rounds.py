"""Teams and their rounds: opening, following completion, closing (managers)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .. import roster, rounds, selectors
from ..errors import AssessmentError
from ..forms import RoundForm
from ..models import Team
from ..reports.trend import team_trend


@require_GET
def team_detail(request: HttpRequest, team_pk: int) -> HttpResponse:
    team, can_manage = selectors.visible_team(user=request.user, team_pk=team_pk)
    context = {
        "team": team,
        "rounds": selectors.team_rounds(user=request.user, team=team),
        "can_manage": can_manage,
        "people_manager": roster.can_manage_people(user=request.user, team=team),
        "trend": team_trend(team=team, reader=request.user) if can_manage else None,
    }
    return render(request, "assessment/team_detail.html", context)


@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.managed_by(request.user), pk=team_pk)
    form = RoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_round = rounds.round_open(
                team=team, opened_by=request.user, **form.cleaned_data
            )
        except AssessmentError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"Round “{assessment_round.title}” is open for {team}.")
            return redirect("assessment:round_detail", round_pk=assessment_round.pk)
    status = 400 if form.errors else 200
    return render(
        request, "assessment/round_create.html", {"team": team, "form": form}, status=status
    )


@require_GET
def round_detail(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = selectors.managed_round(user=request.user, round_pk=round_pk)
    completion = selectors.round_completion(assessment_round=assessment_round)
    context = {
        "round": assessment_round,
        "rows": completion.rows,
        "submitted": completion.submitted,
        "is_member": assessment_round.viewer_role is not None,
        "people_manager": roster.can_manage_people(user=request.user, team=assessment_round.team),
    }
    return render(request, "assessment/round_detail.html", context)


@require_http_methods(["GET", "POST"])
def round_close(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = selectors.managed_round(user=request.user, round_pk=round_pk)
    if not assessment_round.is_open:
        messages.info(request, "This round is already closed.")
        return redirect("assessment:round_detail", round_pk=assessment_round.pk)
    if request.method == "POST":
        rounds.round_close(assessment_round=assessment_round)
        messages.success(request, f"“{assessment_round.title}” is closed; its report is final.")
        return redirect("assessment:round_detail", round_pk=assessment_round.pk)
    closing = selectors.round_closing(assessment_round=assessment_round)
    context = {
        "round": assessment_round,
        "closing": closing,
        "minimum": assessment_round.team.organization.min_group_size,
    }
    return render(request, "assessment/round_close.html", context)
