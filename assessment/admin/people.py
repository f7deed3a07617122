"""Organizations, teams and memberships in the admin (superusers edit people), and
Django's own users and groups with every input named."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, User
from django.db import models

from comparisons.admin import StrictIds, ValidAutocomplete
from comparisons.admin_inputs import NamedFilteredSelect, NamedSplitDateTime, NamedTabularInline

from ..models import Membership, Organization, Team


class MembershipInline(ValidAutocomplete, NamedTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(NamedFilteredSelect, StrictIds, admin.ModelAdmin):
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


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(NamedFilteredSelect, auth_admin.UserAdmin):
    formfield_overrides = {models.DateTimeField: {"widget": NamedSplitDateTime}}


@admin.register(Group)
class GroupAdmin(NamedFilteredSelect, auth_admin.GroupAdmin):
    pass
