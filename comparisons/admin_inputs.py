"""Accessible names for the admin's inputs that have no label of their own.

A tabular inline and a changelist's editable columns show a field's label once, as the
column's heading, and no ``<label>`` per input; screen readers then announce a bare "edit
text" or "combo box" (axe-core: ``label``, ``select-name``). Each such input is named by
its column here.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
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
