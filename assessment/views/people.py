"""People of a team (managers and org leads) and an organization's teams (org leads)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import invitations, people, roster
from ..changes import changes_of
from ..errors import AssessmentError
from ..models import Organization, Team
from ..people_forms import PeopleAddForm, RoleForm, TeamForm, TeamRenameForm
from .refusals import refused

PEOPLE_PAGE = "assessment/team_people.html"


def people_page(request: HttpRequest, team: Team, form=None, status: int = 200) -> HttpResponse:
    context = {
        "team": team,
        "roster": roster.team_roster(team=team),
        "form": form or PeopleAddForm(),
        "leads": team.organization.leads.filter(pk=request.user.pk).exists(),
    }
    return render(request, PEOPLE_PAGE, context, status=status)


def people_changed(request: HttpRequest, team: Team, message: str) -> HttpResponse:
    """After a change: the people region again (htmx), else back to the page."""
    if request.htmx:
        context = {"team": team, "roster": roster.team_roster(team=team), "status": message}
        return render(request, f"{PEOPLE_PAGE}#people", context)
    messages.success(request, message)
    return redirect("assessment:people", team_pk=team.pk)


@require_GET
def team_people(request: HttpRequest, team_pk: int) -> HttpResponse:
    return people_page(request, roster.people_team(user=request.user, team_pk=team_pk))


@require_POST
def people_add(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = roster.people_team(user=request.user, team_pk=team_pk)
    form = PeopleAddForm(request.POST, request.FILES)
    if not form.is_valid():
        return people_page(request, team, form, status=400)
    try:
        result = people.people_add(
            team=team,
            people=form.cleaned_data["people"],
            role=form.cleaned_data["role"],
            by=request.user,
        )
    except AssessmentError as error:
        form.add_error(None, error.message)
        return people_page(request, team, form, status=error.status)
    messages.success(request, result.summary())
    return redirect("assessment:people", team_pk=team.pk)


@require_POST
def membership_role(request: HttpRequest, team_pk: int, membership_pk: int) -> HttpResponse:
    membership = roster.people_membership(
        user=request.user, team_pk=team_pk, membership_pk=membership_pk
    )
    form = RoleForm(request.POST)
    if not form.is_valid():
        return refused(request, AssessmentError("Choose member or manager."))
    try:
        changed = people.membership_role_change(
            membership=membership, role=form.cleaned_data["role"], by=request.user
        )
    except AssessmentError as error:
        return refused(request, error)
    name = changed.user.get_full_name() or changed.user.get_username()
    return people_changed(
        request, membership.team, f"{name} is now a {changed.get_role_display().lower()}."
    )


@require_http_methods(["GET", "POST"])
def membership_remove(request: HttpRequest, team_pk: int, membership_pk: int) -> HttpResponse:
    membership = roster.people_membership(
        user=request.user, team_pk=team_pk, membership_pk=membership_pk
    )
    if request.method == "GET":
        return render(request, "assessment/membership_remove.html", {"membership": membership})
    try:
        people.membership_remove(membership=membership, by=request.user)
    except AssessmentError as error:
        return refused(request, error)
    name = membership.user.get_full_name() or membership.user.get_username()
    return people_changed(request, membership.team, f"{name} is no longer in {membership.team}.")


@require_POST
def invitation_resend(request: HttpRequest, team_pk: int, invitation_pk: int) -> HttpResponse:
    invitation = roster.people_invitation(
        user=request.user, team_pk=team_pk, invitation_pk=invitation_pk
    )
    try:
        invitations.invitation_resend(invitation=invitation, by=request.user)
    except AssessmentError as error:
        return refused(request, error)
    return people_changed(
        request,
        invitation.team,
        f"Sent {invitation.email} a new link; the old one no longer works.",
    )


@require_POST
def invitation_revoke(request: HttpRequest, team_pk: int, invitation_pk: int) -> HttpResponse:
    invitation = roster.people_invitation(
        user=request.user, team_pk=team_pk, invitation_pk=invitation_pk
    )
    try:
        invitations.invitation_revoke(invitation=invitation, by=request.user)
    except AssessmentError as error:
        return refused(request, error)
    return people_changed(
        request, invitation.team, f"Withdrew the invitation of {invitation.email}."
    )


# Org leads ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def organization_teams(request: HttpRequest, slug: str) -> HttpResponse:
    organization = roster.led_organization(user=request.user, slug=slug)
    form = TeamForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            team, result = people.team_create(
                organization=organization,
                name=form.cleaned_data["name"],
                managers=form.cleaned_data["managers"],
                by=request.user,
            )
        except AssessmentError as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, f"Created {team}. {result.summary()}")
            return redirect("assessment:people", team_pk=team.pk)
    context = {
        "organization": organization,
        "teams": roster.organization_teams(organization=organization),
        "form": form,
    }
    return render(
        request, "assessment/organization_teams.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def team_rename(request: HttpRequest, team_pk: int) -> HttpResponse:
    led = Organization.objects.with_lead(request.user)
    team = get_object_or_404(
        Team.objects.filter(organization__in=led).select_related("organization"), pk=team_pk
    )
    form = TeamRenameForm(
        request.POST if request.method == "POST" else None, initial={"name": team.name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            people.team_rename(team=team, name=form.cleaned_data["name"], by=request.user)
        except AssessmentError as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, "Renamed the team.")
            return redirect("assessment:organization_teams", slug=team.organization.slug)
    status = 400 if form.errors else 200
    return render(
        request, "assessment/team_rename.html", {"team": team, "form": form}, status=status
    )


@require_GET
def people_changes(request: HttpRequest, slug: str) -> HttpResponse:
    organization = roster.led_organization(user=request.user, slug=slug)
    page = Paginator(changes_of(organization=organization), 50).get_page(request.GET.get("page"))
    context = {"organization": organization, "page": page}
    return render(request, "assessment/people_changes.html", context)
