"""Answering a round (respondents): the respond page, autosave, review, submit."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .. import answering, rounds, selectors
from ..criteria.loading import layout_for, round_criteria
from ..errors import AssessmentError
from ..forms import AnswersForm
from .refusals import refused

RESPOND_TEMPLATE = "assessment/respond.html"


@require_GET
def respond(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = selectors.respondent_round(user=request.user, round_pk=round_pk)
    response, sheet = selectors.own_sheet(
        assessment_round=assessment_round, respondent=request.user
    )
    if (response and response.is_submitted) or not assessment_round.is_open:
        return redirect("assessment:my_answers", round_pk=assessment_round.pk)
    return render(request, RESPOND_TEMPLATE, {"round": assessment_round, "sheet": sheet})


@require_POST
def answer_save(request: HttpRequest, round_pk: int) -> HttpResponse:
    """Autosave one question (htmx); replies with out-of-band updates only. A malformed
    post is refused (400) before anything is read."""
    form = AnswersForm(request.POST, at_most=1)
    if not form.is_valid():
        return refused(request, AssessmentError(form.error_message))
    assessment_round = selectors.respondent_round(user=request.user, round_pk=round_pk)
    changes = form.cleaned_data["answers"]
    try:
        saved = answering.answers_save(
            assessment_round=assessment_round, respondent=request.user, answers=changes
        )
    except AssessmentError as error:
        return refused(request, error)
    if not changes:
        return HttpResponse(status=204)  # nothing was chosen or typed: nothing to save
    question_pk = changes[0].question_pk
    if not request.htmx:  # a beacon sent while the page was closing
        return redirect(reverse("assessment:respond", args=[round_pk]) + f"#q-{question_pk}")
    layout = layout_for(saved.criteria)
    context = {
        "round_pk": round_pk,
        "reply": answering.save_reply(saved, layout, [question_pk]),
        "saved": layout.questions_by_pk[question_pk],
    }
    # No request context: the fragment shows no user, form or script.
    return HttpResponse(render_to_string("assessment/respond.html#autosave", context))


@require_POST
def section_save(request: HttpRequest, round_pk: int, practice_pk: int) -> HttpResponse:
    """Save a whole section: the page's plain form submit, for browsers without JS."""
    assessment_round = selectors.respondent_round(user=request.user, round_pk=round_pk)
    practice = layout_for(round_criteria(assessment_round)).practice(practice_pk)
    if practice is None:
        return refused(request, AssessmentError("That section is not part of this round.", 404))
    form = AnswersForm(request.POST, questions=[q.pk for q in practice.questions])
    if not form.is_valid():
        return refused(request, AssessmentError(form.error_message))
    try:
        answering.answers_save(
            assessment_round=assessment_round,
            respondent=request.user,
            answers=form.cleaned_data["answers"],
        )
    except AssessmentError as error:
        return refused(request, error)
    messages.success(request, f"Saved your answers on {practice.name}.")
    return redirect(reverse("assessment:respond", args=[round_pk]) + f"#practice-{practice.key}")


@require_GET
def review(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = selectors.respondent_round(user=request.user, round_pk=round_pk)
    response, sheet = selectors.own_sheet(
        assessment_round=assessment_round, respondent=request.user
    )
    if (response and response.is_submitted) or not assessment_round.is_open:
        return redirect("assessment:my_answers", round_pk=assessment_round.pk)
    context = {"round": assessment_round, "sheet": sheet, "missing": sheet.missing}
    return render(request, "assessment/review.html", context)


@require_POST
def submit(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = selectors.respondent_round(user=request.user, round_pk=round_pk)
    try:
        rounds.response_submit(assessment_round=assessment_round, respondent=request.user)
    except AssessmentError as error:
        messages.error(request, error.message)
        if assessment_round.is_open:
            return redirect("assessment:review", round_pk=assessment_round.pk)
        return refused(request, error)
    messages.success(request, "Submitted. Thank you: here is what you answered.")
    return redirect("assessment:my_answers", round_pk=assessment_round.pk)


@require_GET
def my_answers(request: HttpRequest, round_pk: int) -> HttpResponse:
    assessment_round = selectors.respondent_round(user=request.user, round_pk=round_pk)
    response, sheet = selectors.own_sheet(
        assessment_round=assessment_round, respondent=request.user
    )
    context = {
        "round": assessment_round,
        "response": response,
        "sheet": sheet,
        "submitted": bool(response and response.is_submitted),
    }
    return render(request, "assessment/my_answers.html", context)
