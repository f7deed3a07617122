"""People, criteria, rounds and answers.

Organizations hold teams; memberships give people a role in a team (``people``);
invitations bring new people in, and every change to people is recorded
(``invitations``). Criteria
are versioned, and a published version is frozen (``criteria``). Rounds collect one
response per person; a closed round keeps its report as a snapshot (``rounds``).
Reminders sent and what mail each person wants are kept too (``notifications``), and who
each person is at the identity provider once single sign-on has linked them (``identities``).
"""

from __future__ import annotations

from .criteria import (
    UNIT,
    FrozenAware,
    Option,
    Practice,
    PracticeWeight,
    Question,
    Questionnaire,
    QuestionnaireVersion,
)
from .identities import SingleSignOnIdentity
from .invitations import Invitation, PeopleChange
from .notifications import NotificationPreference, Reminder
from .people import MIN_GROUP_SIZE, Membership, Organization, Team
from .rounds import (
    MAX_COMMENT_LENGTH,
    MAX_EVIDENCE_LENGTH,
    Answer,
    AssessmentRound,
    ReportSnapshot,
    Response,
)

__all__ = [
    "MAX_COMMENT_LENGTH",
    "MAX_EVIDENCE_LENGTH",
    "MIN_GROUP_SIZE",
    "UNIT",
    "Answer",
    "AssessmentRound",
    "FrozenAware",
    "Invitation",
    "Membership",
    "NotificationPreference",
    "Option",
    "Organization",
    "PeopleChange",
    "Practice",
    "PracticeWeight",
    "Question",
    "Questionnaire",
    "QuestionnaireVersion",
    "Reminder",
    "ReportSnapshot",
    "Response",
    "SingleSignOnIdentity",
    "Team",
]
