"""How people sign in: a password (unless a deployment turns it off) or single sign-on
with OpenID Connect (when a deployment turns it on). django-axes, first in
AUTHENTICATION_BACKENDS, watches both."""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .errors import AssessmentError
from .identities import SIGN_ON_REFUSAL, identity_sign_in

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

    - the ID token must be issued by the configured issuer to this client, and the
      userinfo must be about the ID token's subject;
    - which account the identity opens is ``identities.identity_sign_in``'s to decide: a
      verified address, an identity linked once for good, never an administrator's account
      by address, a new account only for someone invited.

    A refusal with a reason the person can act on leaves it on the request
    (``SIGN_ON_REFUSAL``) for the callback view to show on the sign-in page.
    """

    def __init__(self, *args, **kwargs):
        self.enabled = settings.READINESS_OIDC
        if self.enabled:  # the library reads its endpoints here, and they are unset when off
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not self.enabled or request is None or "nonce" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except AssessmentError as refusal:
            logger.info("Single sign-on refused: %s", refusal.message)
            setattr(request, SIGN_ON_REFUSAL, refusal.message)
        except (requests.RequestException, SuspiciousOperation, ValueError) as error:
            logger.warning("Single sign-on refused: %s", error)
        return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued to another client.")
        if payload.get("iss") != settings.OIDC_OP_ISSUER:
            raise SuspiciousOperation(f"The ID token comes from {payload.get('iss')!r}.")
        if not payload.get("sub"):
            raise SuspiciousOperation("The ID token names no subject.")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        # The library links by address alone and creates users only when OIDC_CREATE_USER
        # is true; here identity_sign_in decides.
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload["sub"]:  # OpenID Connect Core 5.3.2
            raise SuspiciousOperation("The userinfo is about another subject than the ID token.")
        return identity_sign_in(
            issuer=payload["iss"],
            subject=payload["sub"],
            email=claims.get("email") or "",
            email_verified=claims.get("email_verified"),
            first_name=claims.get("given_name") or "",
            last_name=claims.get("family_name") or "",
        )
