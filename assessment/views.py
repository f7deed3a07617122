from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Membership


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "home_anonymous.html")
    memberships = Membership.objects.filter(user=request.user).select_related("team__organization")
    led = request.user.led_organizations.all()
    return render(request, "home.html", {"memberships": memberships, "led_organizations": led})
