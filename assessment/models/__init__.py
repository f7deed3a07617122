"""People, criteria, rounds and answers.

Organizations hold teams; memberships give people a role in a team (``people``). Criteria
are versioned, and a published version is frozen (``criteria``). Rounds collect one
response per person; a closed round keeps its report as a snapshot (``rounds``).
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
from .people import Membership, Organization, Team
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
    "UNIT",
    "Answer",
    "AssessmentRound",
    "FrozenAware",
    "Membership",
    "Option",
    "Organization",
    "Practice",
    "PracticeWeight",
    "Question",
    "Questionnaire",
    "QuestionnaireVersion",
    "ReportSnapshot",
    "Response",
    "Team",
]
