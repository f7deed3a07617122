"""What every page needs to know about signing in here."""

from __future__ import annotations

from django.conf import settings


def sign_in(request) -> dict:
    return {
        "password_sign_in": settings.READINESS_PASSWORD_SIGN_IN,
        "single_sign_on": settings.READINESS_OIDC,
        "single_sign_on_label": settings.READINESS_OIDC_LABEL,
    }
