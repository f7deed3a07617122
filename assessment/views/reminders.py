"""A manager reminds everyone who has not submitted a round."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .. import reminders, roster
from ..errors import AssessmentError


@require_http_methods(["GET", "POST"])
def round_remind(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = roster.reminded_round(user=request.user, round_pk=round_pk)
    today = timezone.localdate()
    if request.method == "POST":
        try:
            sent = reminders.round_remind(
                assessment_round=assessment_round, by=request.user, today=today
            )
        except AssessmentError as error:
            messages.info(request, error.message)
        else:
            messages.success(
                request, f"Sent {sent.count} reminder{'s' if sent.count != 1 else ''}."
            )
        return redirect("assessment:round_detail", round_pk=assessment_round.pk)
    plan = reminders.reminder_plan(assessment_round=assessment_round, by=request.user, today=today)
    return render(
        request, "assessment/round_remind.html", {"round": assessment_round, "plan": plan}
    )
