"""Admin for the comparison model. Criteria editors change it; any staff user may read it."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .models import Dimension, Discipline, Foundation, Source, Stance


class StaffMayView:
    """Any active staff user may read (not change) these rows without a permission.

    Staff are the app's admins (DESIGN.md); only the "Criteria editors" group (and
    superusers) may change criteria and the comparison, so plain staff see them read-only.
    """

    def has_view_permission(self, request, obj=None) -> bool:
        user = request.user
        return (user.is_active and user.is_staff) or super().has_view_permission(request, obj)

    def has_module_permission(self, request) -> bool:
        user = request.user
        return (user.is_active and user.is_staff) or super().has_module_permission(request)


class HistoryAdmin(SimpleHistoryAdmin):
    """Each object's history page shows who changed what, from what to what.

    django-simple-history 3.13 saves a POST to its "revert to this version" form after
    checking only the view permission; here it also needs the change permission on the
    object, so read-only staff and frozen criteria cannot be changed that way.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class StanceInline(StaffMayView, admin.TabularInline):
    model = Stance
    extra = 0
    fields = ["discipline", "summary", "detail", "source"]
    autocomplete_fields = ["discipline"]


class StableSlug:
    """A slug is how criteria files, stored reports and caches name a row: once the row
    exists it stays as it is (rename the name instead)."""

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, "slug") if obj is not None else readonly

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else super().get_prepopulated_fields(request, obj)


@admin.register(Discipline)
class DisciplineAdmin(StableSlug, StaffMayView, HistoryAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Dimension)
class DimensionAdmin(StableSlug, StaffMayView, HistoryAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug", "question", "stances__summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StanceInline]


@admin.register(Stance)
class StanceAdmin(StaffMayView, HistoryAdmin):
    list_display = ["dimension", "discipline", "summary"]
    list_filter = ["discipline", "dimension"]
    search_fields = ["summary", "detail"]
    list_select_related = ["dimension", "discipline"]
    autocomplete_fields = ["dimension", "discipline"]


@admin.register(Foundation)
class FoundationAdmin(StaffMayView, admin.ModelAdmin):
    list_display = ["name", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "detail"]


@admin.register(Source)
class SourceAdmin(StaffMayView, admin.ModelAdmin):
    list_display = ["title", "author", "published_on"]
    search_fields = ["title", "author"]
