"""Invitations: a single-use link that expires, to join a team with a new account.

The link carries a random token; the database keeps only its SHA-256 hash. Sending a link
again makes a new token, so only the latest link works. Accepting with a password creates
the account (its username is the invited address) and accepts every other invitation
still open for that address: whoever holds the link reads that mailbox. A first sign-in
with single sign-on, which creates the account, accepts the invitations of the address the
identity provider vouches for. Someone who had an account already accepts each invitation
on its page, signed in: nobody joins a team without saying so.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import notifications
from .changes import change_record, person_label
from .errors import AssessmentError
from .models import AssessmentRound, Invitation, Membership, PeopleChange, Team


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _expiry(now):
    return now + timedelta(days=settings.READINESS_INVITATION_DAYS)


def invitation_create(*, team: Team, email: str, name: str, role: str, invited_by) -> Invitation:
    """Invite an address to a team and send it the link. The caller has checked that the
    address has no pending invitation to the team and no account in its organization (an
    account elsewhere is invited like a new address, and joins only by accepting)."""
    now = timezone.now()
    token = _new_token()
    invitation = Invitation(
        team=team,
        email=email.lower(),
        name=name.strip(),
        role=role,
        token_hash=token_hash(token),
        invited_by=invited_by,
        sent_at=now,
        expires_at=_expiry(now),
    )
    invitation.full_clean()
    invitation.save()
    change_record(
        team=team,
        actor=invited_by,
        action=PeopleChange.Action.PERSON_INVITED,
        person=email,
        detail=f"as {invitation.get_role_display().lower()}",
    )
    notifications.invitation_sent(invitation=invitation, token=token)
    return invitation


@transaction.atomic
def invitation_resend(
    *, invitation: Invitation, by, assessment_round: AssessmentRound | None = None
) -> Invitation:
    """Send a new link (the old one stops working) that works for another full period.
    With a round, the mail also says that the round is open (a reminder)."""
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("team")
        .get(pk=invitation.pk)
    )
    if locked.accepted_at or locked.revoked_at:
        raise AssessmentError(f"The invitation of {locked.email} is no longer open.", 409)
    now = timezone.now()
    token = _new_token()
    locked.token_hash = token_hash(token)
    locked.sent_at = now
    locked.expires_at = _expiry(now)
    locked.save(update_fields=["token_hash", "sent_at", "expires_at"])
    change_record(
        team=locked.team,
        actor=by,
        action=PeopleChange.Action.INVITATION_RESENT,
        person=locked.email,
        detail=f"with a reminder about {assessment_round.title}" if assessment_round else "",
    )
    notifications.invitation_sent(invitation=locked, token=token, assessment_round=assessment_round)
    return locked


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> Invitation:
    """Withdraw an invitation: its link stops working at once."""
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("team")
        .get(pk=invitation.pk)
    )
    if locked.accepted_at:
        raise AssessmentError(f"{locked.email} has already accepted.", 409)
    if locked.revoked_at:
        return locked
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    change_record(
        team=locked.team,
        actor=by,
        action=PeopleChange.Action.INVITATION_REVOKED,
        person=locked.email,
    )
    return locked


# Following a link -------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkState:
    """What a link leads to: an invitation (None for an unknown token) and its status."""

    invitation: Invitation | None
    status: str  # an Invitation.Status value, or "unknown"
    has_account: bool = False

    @property
    def usable(self) -> bool:
        return self.status == Invitation.Status.PENDING


def invitation_for_link(*, token: str) -> LinkState:
    """The invitation a link's token belongs to, as it stands now. Changes nothing."""
    if not token or len(token) > 100:
        return LinkState(None, "unknown")
    invitation = (
        Invitation.objects.select_related("team__organization", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        return LinkState(None, "unknown")
    has_account = get_user_model().objects.filter(email__iexact=invitation.email).exists()
    return LinkState(invitation, invitation.status_at(timezone.now()), has_account)


def _locked_usable(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .filter(token_hash=token_hash(token))
        .select_related("team")
        .first()
    )
    if invitation is None:
        raise AssessmentError("This invitation link is not valid.", 404)
    status = invitation.status_at(timezone.now())
    if status == Invitation.Status.ACCEPTED:
        raise AssessmentError("This invitation has already been used.", 410)
    if status != Invitation.Status.PENDING:
        raise AssessmentError(f"This invitation is {status}.", 410)
    return invitation


def _accept(invitations, user) -> list[Membership]:
    """Turn invitations into memberships of ``user`` and record it."""
    now = timezone.now()
    memberships = []
    for invitation in invitations:
        membership, created = Membership.objects.get_or_create(
            user=user, team=invitation.team, defaults={"role": invitation.role}
        )
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        if created:
            change_record(
                team=invitation.team,
                actor=user,
                action=PeopleChange.Action.INVITATION_ACCEPTED,
                person=person_label(user),
                detail=f"as {membership.get_role_display().lower()}",
            )
            memberships.append(membership)
    return memberships


@transaction.atomic
def invitation_accept_with_password(*, token: str, first_name: str, last_name: str, password: str):
    """Create the invited person's account with the password they chose, and put them in
    every team that invited their address. Returns the new user."""
    invitation = _locked_usable(token)
    user_model = get_user_model()
    if user_model.objects.filter(email__iexact=invitation.email).exists():
        raise AssessmentError(
            f"There is already an account for {invitation.email}: sign in to accept.", 409
        )
    user = user_model(
        username=invitation.email,
        email=invitation.email,
        first_name=first_name.strip()[:150],
        last_name=last_name.strip()[:150],
    )
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise AssessmentError(" ".join(error.messages)) from error
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # the username is taken by an account with another email
        raise AssessmentError(
            f"The username {invitation.email} is taken; ask an administrator.", 409
        ) from error
    others = Invitation.objects.usable(timezone.now()).filter(email=invitation.email)
    _accept([invitation, *others.exclude(pk=invitation.pk).select_related("team")], user)
    return user


@transaction.atomic
def invitation_accept_as(*, token: str, user) -> Membership:
    """Accept an invitation for a person already signed in with the invited address."""
    invitation = _locked_usable(token)
    if (user.email or "").lower() != invitation.email:
        raise AssessmentError(
            f"This invitation is for {invitation.email}, and you are signed in as "
            f"{user.email or user.get_username()}. Sign out first to accept it.",
            403,
        )
    accepted = _accept([invitation], user)
    return accepted[0] if accepted else Membership.objects.get(user=user, team=invitation.team)


@transaction.atomic
def invitations_accept_on_sign_in(*, user) -> list[Membership]:
    """After the single sign-on that created the account: accept every usable invitation
    of the person's address (the reason the account exists)."""
    invitations = (
        Invitation.objects.usable(timezone.now())
        .select_for_update(of=("self",))
        .filter(email=(user.email or "").lower())
        .select_related("team")
    )
    return _accept(list(invitations), user)


def invited(*, email: str) -> bool:
    """Whether an address has a usable invitation: single sign-on creates an account only
    for someone invited."""
    return Invitation.objects.usable(timezone.now()).filter(email=email.lower()).exists()
