"""When scores may be shown: the rule that keeps every respondent unrecognisable.

A round's scores exist for a reader only once the round is closed (a report that changes
as people submit would show each person's answers as the difference) and only when at
least the organization's minimum group size of people *besides the reader* submitted (a
reader who answered could otherwise subtract their own answers). Below that, every channel
(page, exports, PDF, trend, dashboard, member summary) shows completion only.
"""

from __future__ import annotations

STILL_OPEN = (
    "Scores appear when the round closes. Until then only completion is shown: who has "
    "submitted, never what."
)
TOO_FEW = "Too few responses to report without identifying people."


def withheld(
    *, is_open: bool, respondents: int | None, reader_submitted: bool, min_group_size: int
) -> str | None:
    """Why a round's scores are withheld from a reader, or None when they may be shown.
    ``respondents`` is the number of submitted responses the round's report counts."""
    if is_open:
        return STILL_OPEN
    others = (respondents or 0) - (1 if reader_submitted else 0)
    if others < min_group_size:
        return TOO_FEW
    return None


def explained(reason: str | None, min_group_size: int) -> str:
    """A reason from ``withheld`` in full, as pages and refused exports say it ("" for
    None): too few responses also says how many it takes, and why."""
    if reason != TOO_FEW:
        return reason or ""
    return (
        f"{TOO_FEW} A report exists when at least {min_group_size} people besides the reader "
        "have submitted; with fewer, scores, answers and comments could point at a person."
    )
