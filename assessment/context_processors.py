"""What every page needs to know: signing in here, and the dashboards in the navigation."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .models import Organization


def sign_in(request) -> dict:
    return {
        "password_sign_in": settings.READINESS_PASSWORD_SIGN_IN,
        "single_sign_on": settings.READINESS_OIDC,
        "single_sign_on_label": settings.READINESS_OIDC_LABEL,
    }


def dashboards(request) -> dict:
    """The organizations whose dashboard the user may open (``led_organizations``): asked
    once per request, and only by a page that shows them (the navigation, the home page)."""
    return {
        "led_organizations": SimpleLazyObject(
            lambda: list(Organization.objects.led_by(request.user))
        )
    }
