"""Questionnaires in the admin, and importing a questionnaire file."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path

from comparisons.admin import HistoryAdmin, StaffMayView
from comparisons.admin_inputs import NamedTabularInline

from ..criteria.document import CriteriaError, Problem, parse_document
from ..criteria.lifecycle import questionnaire_import
from ..models import Questionnaire, QuestionnaireVersion
from .shared import DRAFT, PUBLISHED, admin_url, allow_methods

# Import -----------------------------------------------------------------------------------


class QuestionnaireImportForm(forms.Form):
    file = forms.FileField(
        label="Questionnaire file",
        help_text="A JSON file in the questionnaire format (docs/questionnaire-format.md), "
        "such as one downloaded from a version's page.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json"}),
    )
    draft = forms.BooleanField(
        label="Import as a draft",
        required=False,
        help_text="Keep the version editable and publish it from its page when it is ready. "
        "Otherwise it is published at once.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = filesizeformat(settings.READINESS_MAX_IMPORT_BYTES)
        self.fields["file"].help_text += f" At most {limit}; a larger file is refused unread."

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.READINESS_MAX_IMPORT_BYTES
        if upload.size > limit:
            raise ValidationError(
                f"The file is {filesizeformat(upload.size)}; a questionnaire file can be at "
                f"most {filesizeformat(limit)}. Nothing was imported."
            )
        return upload


# Questionnaires and versions --------------------------------------------------------------


class VersionInline(StaffMayView, NamedTabularInline):
    """The versions of a questionnaire; each links to its own page, where it is edited."""

    model = QuestionnaireVersion
    fields = ["number", "status", "readiness_rule", "created_at", "published_at"]
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj) -> bool:
        return False  # new versions come from "New draft from this version" or an import

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Questionnaire)
class QuestionnaireAdmin(StaffMayView, HistoryAdmin):
    list_display = ["name", "slug", "latest_published"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [VersionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                published_number=models.Max(
                    "versions__number", filter=models.Q(versions__status=PUBLISHED)
                )
            )
        )

    @admin.display(description="Published version", ordering="published_number")
    def latest_published(self, questionnaire: Questionnaire) -> str:
        number = questionnaire.published_number
        return f"v{number}" if number else "none"

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.versions.exclude(status=DRAFT).exists():
            return False  # rounds and reports depend on its published versions
        return super().has_delete_permission(request, obj)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="assessment_questionnaire_import",
            ),
            *super().get_urls(),
        ]

    @allow_methods("GET", "POST")
    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = QuestionnaireImportForm(request.POST or None, request.FILES or None)
        problems: tuple[Problem, ...] = ()
        if request.method == "POST" and form.is_valid():
            try:
                raw = form.cleaned_data["file"].read()
                result = questionnaire_import(
                    data=parse_document(raw), publish=not form.cleaned_data["draft"]
                )
            except CriteriaError as error:
                problems = error.problems
            else:
                level = messages.SUCCESS if result.created else messages.INFO
                self.message_user(request, result.message, level)
                return HttpResponseRedirect(admin_url(result.version))
        context = {
            **self.admin_site.each_context(request),
            "title": "Import a questionnaire file",
            "opts": self.opts,
            "form": form,
            "problems": problems,
            "max_bytes": settings.READINESS_MAX_IMPORT_BYTES,
        }
        status = 400 if form.errors or problems else 200
        return TemplateResponse(
            request, "admin/assessment/questionnaire/import.html", context, status=status
        )
