"""Middleware of the app: how large a request may be, and how responses to signed-in
people may be kept."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.cache import patch_cache_control


class PrivatePagesMiddleware:
    """Every response to a signed-in person says ``Cache-Control: private, no-store``.

    Reports, exports, the dashboard, completion, answers and autosave replies carry scores
    or answers: no shared cache (a corporate proxy, a CDN) may keep them, and neither may
    the browser's disk once the person has signed out. One rule for everything a signed-in
    person gets, here, rather than a decorator per view, so a new page cannot forget it.
    Static files never reach this middleware (WhiteNoise answers them first) and stay
    cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class RequestSizeMiddleware:
    """A request whose body is larger than ``READINESS_MAX_REQUEST_BYTES`` is answered 413
    from its Content-Length, before anything reads the body.

    Django bounds form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not uploaded files,
    which it writes to a temporary file once they pass ``FILE_UPLOAD_MAX_MEMORY_SIZE``; and
    the CSRF check reads a POST's body before any view can look at its size. The largest
    body the app takes is a questionnaire file with its form, so that is the limit. (A
    body without a Content-Length is not read at all under WSGI.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot size
        limit = settings.READINESS_MAX_REQUEST_BYTES
        if length > limit:
            message = (
                f"The request is {filesizeformat(length)}; this site takes at most "
                f"{filesizeformat(limit)} (a questionnaire file at most "
                f"{filesizeformat(settings.READINESS_MAX_IMPORT_BYTES)}). Nothing was read."
            )
            return render(request, "refused.html", {"message": message}, status=413)
        return self.get_response(request)
