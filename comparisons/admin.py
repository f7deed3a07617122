"""Admin for the comparison model. Criteria editors change it; any staff user may read it."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from .admin_inputs import NamedAutocompleteSelect, NamedListEditable, NamedTabularInline
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


class StrictIds:
    """An id in the URL that the primary key could never hold is a 404 on every page of
    the model (change, delete, history, and views of our own that use ``get_object``).
    Django's admin would answer with a redirect to the index ("perhaps it was deleted?"),
    and django-simple-history's history pages with a 500: the ValueError of comparing an
    integer column with "abc"."""

    def checked_id(self, object_id: str, field=None):
        field = field or self.opts.pk
        try:
            return field.to_python(object_id)
        except ValidationError as error:
            raise Http404(f"No {self.opts.verbose_name} has the id {object_id[:40]!r}.") from error

    def get_object(self, request, object_id, from_field=None):
        field = None if from_field is None else self.opts.get_field(from_field)
        self.checked_id(object_id, field)
        return super().get_object(request, object_id, from_field)


class ValidAutocompleteSelect(NamedAutocompleteSelect):
    """Django's autocomplete widget looks the chosen ids up to show their names; a value
    the column cannot hold ("abc", a NUL, 2**63) made that lookup fail (ValueError, or
    OverflowError on SQLite): a 500 when a form came back with its errors, or when an add
    page was opened with ``?team=abc``. Such a value is left out here; the field's own
    error says what is wrong with it."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        to_field = remote.model._meta.get_field(remote.field_name)
        kept = []
        for item in value:
            try:
                to_field.run_validators(to_field.to_python(item))  # type, then range
            except ValidationError:
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)


class ValidAutocomplete:
    """Autocomplete fields with ``ValidAutocompleteSelect``."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ValidAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class HistoryAdmin(StrictIds, SimpleHistoryAdmin):
    """Each object's history page shows who changed what, from what to what.

    django-simple-history 3.13 saves a POST to its "revert to this version" form after
    checking only the view permission; here it also needs the change permission on the
    object, so read-only staff and frozen criteria cannot be changed that way.
    """

    def history_view(self, request, object_id, extra_context=None):
        self.checked_id(unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.checked_id(unquote(object_id))
        history_model = getattr(self.model, self.opts.simple_history_manager_attribute).model
        self.checked_id(version_id, history_model._meta.pk)
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class StanceInline(StaffMayView, ValidAutocomplete, NamedTabularInline):
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
class DisciplineAdmin(NamedListEditable, StableSlug, StaffMayView, HistoryAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Dimension)
class DimensionAdmin(NamedListEditable, StableSlug, StaffMayView, HistoryAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug", "question", "stances__summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StanceInline]


@admin.register(Stance)
class StanceAdmin(StaffMayView, ValidAutocomplete, HistoryAdmin):
    list_display = ["dimension", "discipline", "summary"]
    list_filter = ["discipline", "dimension"]
    search_fields = ["summary", "detail"]
    list_select_related = ["dimension", "discipline"]
    autocomplete_fields = ["dimension", "discipline"]


@admin.register(Foundation)
class FoundationAdmin(StaffMayView, StrictIds, admin.ModelAdmin):
    list_display = ["name", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "detail"]


@admin.register(Source)
class SourceAdmin(StaffMayView, StrictIds, admin.ModelAdmin):
    list_display = ["title", "author", "published_on"]
    search_fields = ["title", "author"]
    # An address typed without a scheme is taken as https (Django 6's default, today).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
