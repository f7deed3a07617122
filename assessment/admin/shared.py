"""Pieces the criteria admins share: frozen rows, version-owned forms, links to rows, and
validation problems linked to the row to fix."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.db import models
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html_join
from django.views.decorators.http import require_http_methods

from comparisons.admin import StaffMayView

from ..criteria.document import Problem, version_document
from ..models import PracticeWeight, QuestionnaireVersion

DRAFT = QuestionnaireVersion.Status.DRAFT
PUBLISHED = QuestionnaireVersion.Status.PUBLISHED


class FrozenWhenPublished:
    """Refuse change and delete for rows of a version that has left draft.

    ``version_of(obj)`` names the version that owns ``obj``: for a ModelAdmin ``obj`` is
    the row itself, for an inline it is the parent row of the page.
    """

    def version_of(self, obj) -> QuestionnaireVersion:
        raise NotImplementedError

    def is_frozen(self, obj) -> bool:
        return obj is not None and not self.version_of(obj).is_draft

    def has_change_permission(self, request, obj=None) -> bool:
        return not self.is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self.is_frozen(obj) and super().has_delete_permission(request, obj)


class FrozenInline(FrozenWhenPublished, StaffMayView):
    def has_add_permission(self, request, obj) -> bool:
        return not self.is_frozen(obj) and super().has_add_permission(request, obj)


class VersionOwnedForm(forms.ModelForm):
    """A form for a row whose ``version`` is set by code, not typed in.

    Django leaves constraints on fields outside the form unchecked, so the
    (version, key) uniqueness would only fail at the database; once the version is set on
    the instance, it takes part in validation here. Before that (the field it comes from
    was refused), its "cannot be null" would name a field the form does not have, which
    Django raises as a ValueError: the form's own error is enough.
    """

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        if self.instance.version_id is not None:
            exclusions.discard("version")
        return exclusions


def allow_methods(*methods: str):
    """``require_http_methods`` for a ModelAdmin view method."""
    return method_decorator(require_http_methods(list(methods)))


def admin_url(row: models.Model) -> str:
    return reverse(f"admin:{row._meta.app_label}_{row._meta.model_name}_change", args=[row.pk])


def row_label(row: models.Model) -> str:
    return f"{row._meta.verbose_name.capitalize()} “{row}”"


def location_links(rows: Iterable[models.Model]) -> str:
    return format_html_join(
        " › ", '<a href="{}">{}</a>', ((admin_url(row), row_label(row)) for row in rows)
    )


# Problems, linked to the rows to fix ------------------------------------------------------


@dataclass(frozen=True)
class ProblemLink:
    """A validation problem with the admin page where it can be fixed."""

    problem: Problem
    url: str
    label: str


def row_for_path(objects: dict[str, models.Model], json_path: str) -> models.Model | None:
    """The deepest row whose JSON path is the problem's path or a parent of it."""
    best: tuple[int, models.Model] | None = None
    for prefix, row in objects.items():
        within = json_path == prefix or json_path.startswith((f"{prefix}.", f"{prefix}["))
        if within and (best is None or len(prefix) > best[0]):
            best = (len(prefix), row)
    return best[1] if best else None


def problem_links(version: QuestionnaireVersion, problems: Iterable[Problem]) -> list[ProblemLink]:
    objects = version_document(version).objects
    links = []
    for problem in problems:
        row = row_for_path(objects, problem.path) or version
        if isinstance(row, PracticeWeight):
            row = row.practice  # weights are edited on their practice's page
        links.append(ProblemLink(problem, admin_url(row), row_label(row)))
    return links
