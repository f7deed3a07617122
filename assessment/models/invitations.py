"""Invitations to join a team, and the record of every change to an organization's people.

An invitation's link carries a random token; only its SHA-256 hash is stored, so a copy of
the database cannot be turned into working links.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from .people import Membership, Organization, Team


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        """Neither accepted nor withdrawn (expired ones included: they can be sent again)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def usable(self, now) -> InvitationQuerySet:
        """Pending and not expired: the ones a link or a sign-in may still accept."""
        return self.pending().filter(expires_at__gt=now)


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Not accepted yet"
        EXPIRED = "expired", "Expired"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Withdrawn"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    # Lower case; it becomes the new account's username, hence Django's 150 characters.
    email = models.EmailField(max_length=150)
    name = models.CharField(max_length=150, blank=True)
    role = models.CharField(
        max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(help_text="When the current link was sent.")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_invitations",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["team", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_pending_per_team",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["member", "manager"]), name="invitation_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="invitation_email_lower"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.team}"

    def status_at(self, now) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= now:
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())


class PeopleChange(models.Model):
    """One change to an organization's teams or people: who did what, to whom, when.

    Names are copied as they were, so the record reads the same after a team is renamed
    or an account deleted.
    """

    class Action(models.TextChoices):
        TEAM_CREATED = "team_created", "created the team"
        TEAM_RENAMED = "team_renamed", "renamed the team"
        PERSON_ADDED = "person_added", "added"
        PERSON_INVITED = "person_invited", "invited"
        INVITATION_RESENT = "invitation_resent", "sent a new invitation link to"
        INVITATION_REVOKED = "invitation_revoked", "withdrew the invitation of"
        INVITATION_ACCEPTED = "invitation_accepted", "accepted the invitation of"
        PERSON_REMOVED = "person_removed", "removed"
        ROLE_CHANGED = "role_changed", "changed the role of"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="people_changes"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="people_changes"
    )
    team_name = models.CharField(max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=20, choices=Action.choices)
    person = models.CharField(max_length=254, blank=True, help_text="Whom it concerns.")
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="peoplechange_org_recent")
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.get_action_display()} {self.person}".strip()
