"""Mail to people: a round opens, a reminder, a round closes, an invitation, an addition.

Every message has a plain-text and an HTML part (``templates/email/<name>.txt``, ``.html``
and ``<name>_subject.txt``) and links into the app through ``READINESS_BASE_URL``. Services
call the functions below inside their transaction; the mail goes out once it commits
(``transaction.on_commit``), so a change that rolls back sends nothing, and a mail server
that fails is logged without undoing the change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .models import AssessmentRound, Invitation, Membership, ReportSnapshot, Response
from .reports import privacy

logger = logging.getLogger(__name__)

_quiet: ContextVar[bool] = ContextVar("readiness_mail_quiet", default=False)


@dataclass(frozen=True)
class Letter:
    """One message to one address: the template's name and what it shows."""

    to: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def link(path: str) -> str:
    """An absolute URL into the app for a path from ``reverse``."""
    base = settings.READINESS_BASE_URL
    if not base:
        raise ImproperlyConfigured("Set READINESS_BASE_URL: mail needs links into the app.")
    return f"{base}{path}"


def letters_send(letters: Iterable[Letter]) -> int:
    """Render and send the letters over one connection; returns how many went out."""
    messages = []
    for letter in letters:
        context = {"base_url": settings.READINESS_BASE_URL, **letter.context}
        subject = render_to_string(f"{letter.template}_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=settings.EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
            body=render_to_string(f"{letter.template}.txt", context),
            to=[letter.to],
        )
        message.attach_alternative(
            render_to_string(f"{letter.template}.html", context), "text/html"
        )
        messages.append(message)
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def after_commit(build: Callable[[], list[Letter]]) -> None:
    """Build and send letters once the current transaction commits."""
    if _quiet.get():
        return

    def send() -> None:
        try:
            letters_send(build())
        except Exception:  # a mail server down must not turn a saved change into an error
            logger.exception("Mail could not be sent")

    transaction.on_commit(send)


@contextmanager
def quiet() -> Iterator[None]:
    """Send nothing inside: for loading the demo's past rounds, which are news to nobody."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _reachable(memberships) -> list[Membership]:
    return [m for m in memberships if m.user.is_active and m.user.email]


def _greeting_name(user) -> str:
    return user.first_name or user.get_full_name() or user.get_username()


# Rounds ------------------------------------------------------------------------------------


def round_opened(*, assessment_round: AssessmentRound) -> None:
    """Ask every member of the round's team to answer, with the due date."""

    def build() -> list[Letter]:
        url = link(reverse("assessment:respond", args=[assessment_round.pk]))
        memberships = Membership.objects.filter(team_id=assessment_round.team_id)
        return [
            Letter(
                m.user.email,
                "email/round_opened",
                {
                    "name": _greeting_name(m.user),
                    "round": assessment_round,
                    "team": assessment_round.team,
                    "url": url,
                },
            )
            for m in _reachable(memberships.select_related("user"))
        ]

    after_commit(build)


def round_closed(*, assessment_round: AssessmentRound) -> None:
    """Tell the team that the report (managers) or their summary (members) is ready, or
    that too few responded for scores."""

    def build() -> list[Letter]:
        respondents = (
            ReportSnapshot.objects.filter(round=assessment_round)
            .values_list("respondents", flat=True)
            .first()
        ) or 0
        submitted = set(
            Response.objects.filter(
                round=assessment_round, status=Response.Status.SUBMITTED
            ).values_list("respondent_id", flat=True)
        )
        minimum = assessment_round.team.organization.min_group_size
        url = link(reverse("assessment:report", args=[assessment_round.pk]))
        memberships = Membership.objects.filter(team_id=assessment_round.team_id)
        return [
            Letter(
                m.user.email,
                "email/round_closed",
                {
                    "name": _greeting_name(m.user),
                    "round": assessment_round,
                    "team": assessment_round.team,
                    "url": url,
                    "manager": m.role == Membership.Role.MANAGER,
                    "respondents": respondents,
                    # The reader's own answers do not count towards the minimum.
                    "too_few": privacy.withheld(
                        is_open=False,
                        respondents=respondents,
                        reader_submitted=m.user_id in submitted,
                        min_group_size=minimum,
                    )
                    is not None,
                    "minimum": minimum,
                    "answered": m.user_id in submitted,
                },
            )
            for m in _reachable(memberships.select_related("user"))
        ]

    after_commit(build)


def reminder_letter(*, person, assessment_round: AssessmentRound) -> Letter:
    return Letter(
        person.email,
        "email/reminder",
        {
            "name": _greeting_name(person),
            "round": assessment_round,
            "team": assessment_round.team,
            "url": link(reverse("assessment:respond", args=[assessment_round.pk])),
            "preferences_url": link(reverse("preferences")),
        },
    )


def reminders_sent(*, letters: list[Letter]) -> None:
    after_commit(lambda: letters)


# People ------------------------------------------------------------------------------------


def invitation_sent(
    *, invitation: Invitation, token: str, assessment_round: AssessmentRound | None = None
) -> None:
    """The invitation with its link (the only place the token ever appears). With a round:
    a reminder that it is open, for someone who has not accepted yet. Someone who has an
    account already is told to sign in rather than to choose a password: only the owner
    of the address reads this."""
    inviter = invitation.invited_by
    has_account = get_user_model().objects.filter(email__iexact=invitation.email).exists()
    context = {
        "name": invitation.name,
        "team": invitation.team,
        "organization": invitation.team.organization,
        "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
        "role": invitation.get_role_display().lower(),
        "expires_at": invitation.expires_at,
        "url": link(reverse("invitation_accept", args=[token])),
        "round": assessment_round,
        "sso": settings.READINESS_OIDC,
        "has_account": has_account,
    }
    after_commit(lambda: [Letter(invitation.email, "email/invitation", context)])


def member_added(*, membership: Membership, by) -> None:
    """Tell someone with an account that they are now in a team."""
    user = membership.user
    if not (user.is_active and user.email):
        return
    context = {
        "name": _greeting_name(user),
        "team": membership.team,
        "role": membership.get_role_display().lower(),
        "by": by.get_full_name() or by.get_username(),
        "url": link(reverse("assessment:team_detail", args=[membership.team_id])),
    }
    after_commit(lambda: [Letter(user.email, "email/added", context)])
