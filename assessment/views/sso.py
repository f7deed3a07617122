"""Single sign-on with OpenID Connect: mozilla-django-oidc's views, answering 404 while a
deployment has it off, and saying why when a sign-in fails."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import resolve_url
from django.utils.decorators import method_decorator
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from ..identities import SIGN_ON_REFUSAL


class SingleSignOnOnly:
    def dispatch(self, request, *args, **kwargs):
        if not settings.READINESS_OIDC:
            raise Http404("Single sign-on is not set up here.")
        return super().dispatch(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class AuthenticateView(SingleSignOnOnly, OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):
        if settings.READINESS_OIDC:  # the library reads its endpoints here
            super().__init__(*args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class CallbackView(SingleSignOnOnly, OIDCAuthenticationCallbackView):
    @property
    def failure_url(self) -> str:
        return resolve_url(settings.LOGIN_URL)

    def login_failure(self):
        if not getattr(self.request, "axes_locked_out", False):
            messages.error(
                self.request,
                getattr(self.request, SIGN_ON_REFUSAL, None)
                or "Single sign-on did not sign you in. If you are new here, ask your manager "
                "to invite the address your organization's account uses.",
            )
        return super().login_failure()
