"""The one exception services raise for a refused request."""

from __future__ import annotations


class AssessmentError(Exception):
    """A refused request: a clear message and the 4xx status that goes with it. Whoever
    raises it has changed nothing."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status
