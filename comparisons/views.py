from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .services import comparison_table


@login_not_required
@require_GET
def comparison(request: HttpRequest) -> HttpResponse:
    return render(request, "comparisons/comparison.html", {"table": comparison_table()})
