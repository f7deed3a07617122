"""The one exception services raise for a refused request."""

from __future__ import annotations


class AssessmentError(Exception):
    """A refused request: a clear message and the 4xx status that goes with it, and the
    input it is about, if one is (so a form can show it beside that field). Whoever raises
    it has changed nothing."""

    def __init__(self, message: str, status: int = 400, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field
