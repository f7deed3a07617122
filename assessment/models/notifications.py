"""What mail people want, and the reminders sent, so none goes out twice in a day."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .invitations import Invitation
from .rounds import AssessmentRound


class NotificationPreference(models.Model):
    """A person's choices about mail; someone without a row gets everything."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    reminders = models.BooleanField(
        default=True, help_text="Mail me when a round I have not submitted is due."
    )

    def __str__(self) -> str:
        return f"Mail preferences of {self.user}"


class Reminder(models.Model):
    """One reminder about a round, to a member or to someone invited who has not accepted
    yet. At most one per person, round and day: the database refuses a second."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    sent_on = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the daily send_reminders command sent it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person", "sent_on"],
                condition=Q(person__isnull=False),
                name="reminder_once_a_day_per_person",
            ),
            models.UniqueConstraint(
                fields=["round", "invitation", "sent_on"],
                condition=Q(invitation__isnull=False),
                name="reminder_once_a_day_per_invitation",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False, invitation__isnull=True)
                | Q(person__isnull=True, invitation__isnull=False),
                name="reminder_person_or_invitation",
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder about {self.round} on {self.sent_on}"
