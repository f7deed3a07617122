"""How a refused request is answered."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ..errors import AssessmentError


def refused(request: HttpRequest, error: AssessmentError) -> HttpResponse:
    """A refused request: plain text for htmx (shown by app.js), a page otherwise."""
    if request.htmx:
        return HttpResponse(error.message, status=error.status, content_type="text/plain")
    if error.status == 404:
        raise Http404(error.message)
    return render(request, "refused.html", {"message": error.message}, status=error.status)
