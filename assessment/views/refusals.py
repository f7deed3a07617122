"""How a refused request is answered, the CSRF check's refusals included."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE, REASON_NO_REFERER
from django.shortcuts import render

from ..errors import AssessmentError


def refused(request: HttpRequest, error: AssessmentError) -> HttpResponse:
    """A refused request: plain text for htmx (shown by app.js), a page otherwise."""
    if request.htmx:
        return HttpResponse(error.message, status=error.status, content_type="text/plain")
    if error.status == 404:
        raise Http404(error.message)
    return render(request, "refused.html", {"message": error.message}, status=error.status)


CSRF_REFUSAL = (
    "This form has expired or did not come from this site, so nothing was saved. "
    "Reload the page and try again."
)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A request the CSRF check refused (``CSRF_FAILURE_VIEW``): the site's own page, since
    Django's has inline styles that the Content-Security-Policy blocks; plain text for
    htmx, which app.js shows beside the answer."""
    if getattr(request, "htmx", False):
        return HttpResponse(CSRF_REFUSAL, status=403, content_type="text/plain")
    context = {
        "message": CSRF_REFUSAL,
        "no_cookie": reason == REASON_NO_CSRF_COOKIE,
        "no_referer": reason == REASON_NO_REFERER,
    }
    return render(request, "403_csrf.html", context, status=403)
