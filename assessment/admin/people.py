"""Organizations, teams and memberships in the admin (superusers edit people)."""

from __future__ import annotations

from django.contrib import admin

from comparisons.admin import StrictIds, ValidAutocomplete
from comparisons.admin_inputs import NamedTabularInline

from ..models import Membership, Organization, Team


class MembershipInline(ValidAutocomplete, NamedTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(StrictIds, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["leads"]


@admin.register(Team)
class TeamAdmin(StrictIds, admin.ModelAdmin):
    list_display = ["name", "organization", "slug"]
    list_filter = ["organization"]
    search_fields = ["name", "slug", "organization__name", "memberships__user__username"]
    list_select_related = ["organization"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(StrictIds, ValidAutocomplete, admin.ModelAdmin):
    list_display = ["user", "team", "role"]
    list_filter = ["role", "team__organization", "team"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "team__name"]
    list_select_related = ["user", "team"]
    autocomplete_fields = ["user", "team"]
