"""URLs for the bench scripts only: the app's URLs plus a trivial page to compare against.

The trivial page goes through the same middleware and context processors as every other
page and renders a tiny template, so the ratios measure what a page itself costs.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path
from django.views.decorators.http import require_GET

from config.urls import urlpatterns as app_urlpatterns

TRIVIAL = engines["django"].from_string(
    "<!doctype html><title>Trivial</title><p>Hello, {{ user.get_username }}.</p>"
)


@require_GET
def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(TRIVIAL.render({}, request))


urlpatterns = [path("bench/trivial/", trivial, name="bench-trivial"), *app_urlpatterns]
