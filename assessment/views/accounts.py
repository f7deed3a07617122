"""A person's own account: accepting an invitation, mail preferences, password change
(throttled) and reset."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods

from .. import invitations, throttle
from ..account_forms import ThrottledPasswordChangeForm, password_change_succeeded
from ..errors import AssessmentError
from ..models import NotificationPreference
from ..people_forms import InvitationAcceptForm, PreferencesForm

CLOSED_STATUS = {"unknown": 404, "expired": 410, "accepted": 410, "revoked": 410}


def password_sign_in_only(view):
    """404 where a deployment has turned password sign-in off."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.READINESS_PASSWORD_SIGN_IN:
            raise Http404("Passwords are not used here: sign in with single sign-on.")
        return view(request, *args, **kwargs)

    return wrapped


def too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/throttled.html", status=429)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Where an invitation's link leads: choose a password (or use single sign-on), or
    join as the person signed in. A used, expired or withdrawn link changes nothing."""
    link = invitations.invitation_for_link(token=token)
    if not link.usable:
        address = throttle.client_address(request)
        if not throttle.attempt_allowed(scope="invitation", keys=[address], limit=20):
            return too_many(request)
        context = {"link": link}
        return render(
            request, "accounts/invitation_closed.html", context, status=CLOSED_STATUS[link.status]
        )
    invitation = link.invitation
    form = None
    if not request.user.is_authenticated and not link.has_account:
        form = InvitationAcceptForm(
            request.POST if request.method == "POST" else None, email=invitation.email
        )
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                invitations.invitation_accept_as(token=token, user=request.user)
                messages.success(request, f"Welcome to {invitation.team}.")
                return redirect("assessment:team_detail", team_pk=invitation.team_id)
            if form is None or not settings.READINESS_PASSWORD_SIGN_IN:
                raise AssessmentError("Sign in to accept this invitation.", 403)
            if form.is_valid():
                user = invitations.invitation_accept_with_password(
                    token=token,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, user, backend="assessment.backends.PasswordBackend")
                messages.success(
                    request,
                    f"Welcome to {invitation.team}. Next time, sign in with {user.username}.",
                )
                return redirect("home")
        except AssessmentError as error:
            return render(
                request,
                "accounts/invitation_accept.html",
                {"link": link, "form": form, "error": error.message},
                status=error.status,
            )
    status = 400 if form is not None and form.errors else 200
    return render(
        request, "accounts/invitation_accept.html", {"link": link, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    preference = NotificationPreference.objects.filter(user=request.user).first()
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        instance=preference or NotificationPreference(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved your mail preferences.")
        return redirect("preferences")
    status = 400 if form.errors else 200
    return render(request, "accounts/preferences.html", {"form": form}, status=status)


@method_decorator(login_not_required, name="dispatch")
@method_decorator(password_sign_in_only, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with links from READINESS_BASE_URL, an HTML part, and a limit per address
    and network like sign-in's. Known or not, an address gets the same answer."""

    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"

    @property
    def extra_email_context(self) -> dict:
        return {"base_url": settings.READINESS_BASE_URL}

    def form_valid(self, form):
        address = throttle.client_address(self.request)
        email = form.cleaned_data["email"].strip().lower()
        keys = [f"{email}|{address}"]
        if not throttle.attempt_allowed(scope="password-reset", keys=keys) or not (
            throttle.attempt_allowed(scope="password-reset-network", keys=[address], limit=20)
        ):
            return too_many(self.request)
        return super().form_valid(form)


def reset_view(view_class, **kwargs):
    return login_not_required(password_sign_in_only(view_class.as_view(**kwargs)))


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view; once the current password has been guessed wrong too often, the
    form answers 429 (Too Many Requests) with the reason, and checks nothing."""

    form_class = ThrottledPasswordChangeForm

    def form_valid(self, form):
        password_change_succeeded(self.request.user)
        return super().form_valid(form)

    def form_invalid(self, form):
        status = 429 if form.refused_as_locked else 200
        return self.render_to_response(self.get_context_data(form=form), status=status)
