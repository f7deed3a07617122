"""Reminders to answer a round: sent by a manager, or daily by ``manage.py send_reminders``.

Each reminder is a row (``Reminder``) that the database allows once per person, round and
day, written before the mail is sent (after commit): two managers pressing the button at
once, or the command run twice by cron, send one mail. People who turned reminders off get
none; a manager's reminder also reaches people invited who have not accepted yet, with a
new link (``invitations.invitation_resend``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

from . import notifications
from .errors import AssessmentError
from .invitations import invitation_resend
from .models import AssessmentRound, Invitation, Membership, Reminder, Response

DUE_WITHIN_DAYS = 3


@dataclass(frozen=True)
class ReminderPlan:
    """Who a manager's reminder would reach today, and who it leaves out."""

    members: tuple  # users who have not submitted and want reminders
    invitations: tuple  # people invited to the team who have not accepted
    already_today: int  # reminded today already
    opted_out: int  # turned reminders off

    @property
    def count(self) -> int:
        return len(self.members) + len(self.invitations)


def _not_submitted(assessment_round: AssessmentRound):
    submitted = Response.objects.filter(
        round=assessment_round, respondent=OuterRef("user"), status=Response.Status.SUBMITTED
    )
    return (
        Membership.objects.filter(team_id=assessment_round.team_id)
        .exclude(Exists(submitted))
        .filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "user__notification_preference")
        .order_by("user__email")
    )


def _wants_reminders(user) -> bool:
    preference = getattr(user, "notification_preference", None)
    return preference is None or preference.reminders


def reminder_plan(*, assessment_round: AssessmentRound, by, today: datetime.date) -> ReminderPlan:
    """Whom ``round_remind`` would reach now: members who have not submitted (not the
    sender) and open invitations, less anyone reminded today."""
    reminded = Reminder.objects.filter(round=assessment_round, sent_on=today)
    reminded_people = set(reminded.exclude(person=None).values_list("person_id", flat=True))
    reminded_invitations = set(
        reminded.exclude(invitation=None).values_list("invitation_id", flat=True)
    )
    members, already, opted_out = [], 0, 0
    for membership in _not_submitted(assessment_round).exclude(user=by):
        if membership.user_id in reminded_people:
            already += 1
        elif not _wants_reminders(membership.user):
            opted_out += 1
        else:
            members.append(membership.user)
    invitations = []
    for invitation in Invitation.objects.pending().filter(team_id=assessment_round.team_id):
        if invitation.pk in reminded_invitations:
            already += 1
        else:
            invitations.append(invitation)
    return ReminderPlan(tuple(members), tuple(invitations), already, opted_out)


def _claim(**fields) -> bool:
    """Write the day's reminder row; False when one exists (sent already today)."""
    try:
        with transaction.atomic():
            Reminder.objects.create(**fields)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def round_remind(*, assessment_round: AssessmentRound, by, today: datetime.date) -> ReminderPlan:
    """Remind everyone who has not submitted an open round, at most once a day each.
    Returns who was reminded."""
    locked = AssessmentRound.objects.select_for_update().get(pk=assessment_round.pk)
    if not locked.is_open:
        raise AssessmentError("This round is closed: there is nothing left to remind of.", 409)
    plan = reminder_plan(assessment_round=locked, by=by, today=today)
    if not plan.count:
        raise AssessmentError(
            "Nobody to remind: everyone has submitted, was reminded today or turned "
            "reminders off. You can remind again tomorrow.",
            409,
        )
    letters = []
    members = []
    for user in plan.members:
        if _claim(round=locked, person=user, sent_on=today, sent_by=by):
            letters.append(notifications.reminder_letter(person=user, assessment_round=locked))
            members.append(user)
    invitations = []
    for invitation in plan.invitations:
        if _claim(round=locked, invitation=invitation, sent_on=today, sent_by=by):
            invitation_resend(invitation=invitation, by=by, assessment_round=locked)
            invitations.append(invitation)
    notifications.reminders_sent(letters=letters)
    return ReminderPlan(tuple(members), tuple(invitations), plan.already_today, plan.opted_out)


def reminders_send_due(*, today: datetime.date, within_days: int = DUE_WITHIN_DAYS) -> int:
    """Remind the members of open rounds due within ``within_days`` who have not submitted
    (``manage.py send_reminders``, daily). Safe to run twice: returns how many were sent."""
    due = AssessmentRound.objects.filter(
        Q(due_on__gte=today) & Q(due_on__lte=today + datetime.timedelta(days=within_days)),
        status=AssessmentRound.Status.OPEN,
    ).select_related("team")
    sent = 0
    for assessment_round in due:
        with transaction.atomic():
            letters = [
                notifications.reminder_letter(person=m.user, assessment_round=assessment_round)
                for m in _not_submitted(assessment_round)
                if _wants_reminders(m.user)
                and _claim(round=assessment_round, person=m.user, sent_on=today)
            ]
            notifications.reminders_sent(letters=letters)
        sent += len(letters)
    return sent
