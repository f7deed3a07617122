"""How people sign in: a password (unless a deployment turns it off) or single sign-on
with OpenID Connect (when a deployment turns it on). django-axes, first in
AUTHENTICATION_BACKENDS, watches both."""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .invitations import invitations_accept_on_sign_in, invited

logger = logging.getLogger(__name__)


class PasswordBackend(ModelBackend):
    """Django's own, refusing every password when READINESS_PASSWORD_SIGN_IN is off: the
    sign-in page, the admin's and anything else that checks a password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.READINESS_PASSWORD_SIGN_IN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, stricter where the library leaves it open:

    - the ID token must be issued by the configured issuer to this client;
    - the provider must not say the address is unverified;
    - an account is found by address; a new one is made only for someone invited, and
      joins the teams that invited the address. An account that existed already joins a
      team only by accepting its invitation on the invitation's page.
    """

    def __init__(self, *args, **kwargs):
        self.enabled = settings.READINESS_OIDC
        if self.enabled:  # the library reads its endpoints here, and they are unset when off
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not self.enabled or request is None or "nonce" not in kwargs:
            return None
        try:
            user = super().authenticate(request, **kwargs)
        except (requests.RequestException, SuspiciousOperation, ValueError) as error:
            logger.warning("Single sign-on refused: %s", error)
            return None
        return user

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued to another client.")
        if payload.get("iss") != settings.OIDC_OP_ISSUER:
            raise SuspiciousOperation(f"The ID token comes from {payload.get('iss')!r}.")
        return payload

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("email")) and claims.get("email_verified") is not False

    def create_user(self, claims):
        email = claims["email"].lower()
        if not invited(email=email):
            logger.info("Single sign-on: %s has no account and no invitation", email)
            return None
        with transaction.atomic():
            user = self.UserModel.objects.create_user(
                username=email,
                email=email,
                first_name=(claims.get("given_name") or "")[:150],
                last_name=(claims.get("family_name") or "")[:150],
            )  # no usable password: this person signs in with single sign-on
            invitations_accept_on_sign_in(user=user)
        return user

    def get_or_create_user(self, access_token, id_token, payload):
        # The library creates users only when OIDC_CREATE_USER is true; here an invitation
        # decides instead, so ask for creation and let create_user refuse.
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("The provider did not vouch for an email address.")
        users = self.filter_users_by_claims(claims)
        if len(users) > 1:
            raise SuspiciousOperation("Several accounts have this email address.")
        if users:
            return self.update_user(users[0], claims)
        return self.create_user(claims)
