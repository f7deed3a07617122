"""Middleware of the app: how responses to signed-in people may be kept."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
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
