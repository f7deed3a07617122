"""Accessible names for the admin's inputs that have no label of their own.

A tabular inline and a changelist's editable columns show a field's label once, as the
column's heading, and no ``<label>`` per input; screen readers then announce a bare "edit
text" or "combo box" (axe-core: ``label``, ``select-name``). Each such input is named by
its column here, and the date and time inputs of a date-and-time field by what they hold.
Two widgets build part of their markup in the browser, where a server attribute cannot
reach: a script of ours, listed after the widget's own in its media, names those parts
once they exist.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import (
    AdminSplitDateTime,
    AutocompleteSelect,
    FilteredSelectMultiple,
)
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst


def named_by_label(field: forms.Field) -> forms.Field:
    """``field`` with an ``aria-label`` of its label, as its column heading shows it."""
    if not field.widget.is_hidden:
        field.widget.attrs.setdefault("aria-label", capfirst(field.label))
    return field


class NamedInlineFormSet(BaseInlineFormSet):
    """Each row's "Delete?" box names the row it deletes."""

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            row = f" “{form.instance}”" if form.instance.pk is not None else ""
            form.fields["DELETE"].widget.attrs["aria-label"] = f"Delete{row}"


class NamedTabularInline(admin.TabularInline):
    """A tabular inline whose inputs are named by their column.

    Only the model's own fields pass through ``formfield_for_dbfield``; a field a form
    declares itself names its input there (as the risk tiers' targets do).
    """

    formset = NamedInlineFormSet

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        return named_by_label(field) if field is not None else None


class NamedListEditable:
    """The changelist's ``list_editable`` inputs, named by their column (each row's name is
    the row heading of its first cell)."""

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)
        for field in formset.form.base_fields.values():
            named_by_label(field)
        return formset


class NamedSplitDateTime(AdminSplitDateTime):
    """A date and a time input, each named: Django shows "Date:" and "Time:" beside them as
    plain text, and the field's label names only the group (its legend)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs.setdefault("aria-label", "Date")
        self.widgets[1].attrs.setdefault("aria-label", "Time")


class NamedAutocompleteSelect(AutocompleteSelect):
    """Select2's combobox, named by the field (static/js/admin-autocomplete.js)."""

    class Media:
        # Django's script first: Media keeps the order of each list, no more.
        js = ["admin/js/autocomplete.js", "js/admin-autocomplete.js"]


class NamedFilteredSelectMultiple(FilteredSelectMultiple):
    """The two-box selector, with its filter icons made images
    (static/js/admin-selectfilter.js)."""

    class Media:
        js = ["admin/js/SelectFilter2.js", "js/admin-selectfilter.js"]


class NamedFilteredSelect:
    """``filter_horizontal`` and ``filter_vertical`` with ``NamedFilteredSelectMultiple``."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        filtered = (*self.filter_vertical, *self.filter_horizontal)
        if "widget" not in kwargs and db_field.name in filtered:
            kwargs["widget"] = NamedFilteredSelectMultiple(
                db_field.verbose_name, db_field.name in self.filter_vertical
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
