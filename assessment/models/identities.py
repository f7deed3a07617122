"""Who a person is at the identity provider, once single sign-on has linked their account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SingleSignOnIdentity(models.Model):
    """The provider's name for a person: the ID token's issuer and subject (``sub``), which
    the provider never gives to anyone else, unlike an address. Stored when single sign-on
    first links the account, and looked up before any address afterwards."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_on_identities"
    )
    issuer = models.CharField(max_length=500)
    subject = models.CharField(max_length=255)  # OpenID Connect: at most 255 ASCII characters
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="sign_on_identity_unique_subject"
            ),
            models.UniqueConstraint(
                fields=["user", "issuer"], name="sign_on_identity_one_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.issuer}"
