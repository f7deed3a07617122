"""Questionnaire versions in the admin: the lifecycle (new draft, publish, retire), each
confirmed on its own page, the preview and the download."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from comparisons.admin import HistoryAdmin, StaffMayView
from comparisons.admin_inputs import NamedTabularInline

from ..criteria.document import CriteriaError, version_export
from ..criteria.lifecycle import questionnaire_publish, questionnaire_retire, version_new_draft
from ..criteria.validation import version_problems
from ..models import Practice, QuestionnaireVersion
from .preview import version_preview
from .scopes import refuse_new_problems, scope_items_field
from .shared import (
    DRAFT,
    PUBLISHED,
    FrozenInline,
    FrozenWhenPublished,
    admin_url,
    allow_methods,
    problem_links,
)


@dataclass(frozen=True)
class Transition:
    """A lifecycle step of a version, confirmed on its own page and done by POST."""

    name: str
    service: Callable[..., QuestionnaireVersion]  # takes version=, returns the result
    title: str
    explanation: str
    button: str
    done: str  # formatted with the resulting version and the one it started from
    failed: str
    allowed: tuple[str, ...]  # statuses it applies to


TRANSITIONS = {
    "publish": Transition(
        name="publish",
        service=questionnaire_publish,
        title="Publish {version}",
        explanation=(
            "Publishing checks the whole version and freezes it: it can no longer change, "
            "and managers can open rounds on it. To change it later, create a new draft."
        ),
        button="Publish {version}",
        done="{result} is published: managers can now open rounds on it.",
        failed="{version} was not published",
        allowed=(DRAFT,),
    ),
    "retire": Transition(
        name="retire",
        service=questionnaire_retire,
        title="Retire {version}",
        explanation=(
            "No new round can use a retired version. Rounds already opened on it, their "
            "answers and their reports stay as they are. This cannot be undone."
        ),
        button="Retire {version}",
        done="{result} is retired: no new round can use it.",
        failed="{version} was not retired",
        allowed=(PUBLISHED,),
    ),
    "new_draft": Transition(
        name="new_draft",
        service=version_new_draft,
        title="New draft from {version}",
        explanation=(
            "The new draft is a copy of this version with the next version number and the "
            "same keys, so reports compare like with like. This version does not change."
        ),
        button="Create the new draft",
        done="{result} is a new draft, copied from {version}.",
        failed="No draft was created from {version}",
        allowed=(DRAFT, PUBLISHED, QuestionnaireVersion.Status.RETIRED),
    ),
}


class PracticeInline(FrozenInline, NamedTabularInline):
    model = Practice
    fields = ["order", "key", "name", "dimension"]
    show_change_link = True
    extra = 0
    ordering = ["order", "pk"]

    def version_of(self, obj: QuestionnaireVersion) -> QuestionnaireVersion:
        return obj


class VersionForm(forms.ModelForm):
    class Meta:
        model = QuestionnaireVersion
        fields = ["questionnaire", "number", "readiness_rule", "notes", "kinds", "tiers"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # On a draft's page only: a new version starts without scopes.
        for name, what, example, label in (
            ("kinds", "kind of system", "hosted-llm", "Kinds of system"),
            ("tiers", "risk tier", "customer-facing", "Risk tiers"),
        ):
            if name in self.fields:
                self.fields[name] = scope_items_field(what, example, label)

    def clean(self):
        cleaned = super().clean()
        if {"kinds", "tiers"} & set(self.changed_data):
            # Both, even if one changed: a version has scopes only with both.
            refuse_new_problems(self, self.instance, ["kinds", "tiers"])
        return cleaned


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(FrozenWhenPublished, StaffMayView, HistoryAdmin):
    form = VersionForm
    list_display = [
        "__str__",
        "questionnaire",
        "number",
        "status",
        "readiness_rule",
        "published_at",
    ]
    list_filter = ["status", "questionnaire", "readiness_rule"]
    search_fields = ["questionnaire__name", "questionnaire__slug", "notes"]
    list_select_related = ["questionnaire"]
    ordering = ["questionnaire__name", "-number"]
    actions = ["new_drafts", "publish_versions", "retire_versions"]
    inlines = [PracticeInline]

    class Media:
        css = {"all": ["css/admin-criteria.css"]}

    def version_of(self, obj: QuestionnaireVersion) -> QuestionnaireVersion:
        return obj

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["questionnaire", "number", "readiness_rule", "notes"]
        return [
            "questionnaire",
            "number",
            "status",
            "readiness_rule",
            "notes",
            "kinds",
            "tiers",
            "content_hash",
            "created_at",
            "published_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["questionnaire", "number", "status", "content_hash", "created_at", "published_at"]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_move": self.can_move(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def can_move(self, request) -> bool:
        """Whether the user may create drafts, publish and retire (model permission)."""
        return self.has_change_permission(request)

    def get_urls(self):
        def url(route: str, view, name: str):
            return path(
                f"<path:object_id>/{route}/",
                self.admin_site.admin_view(view),
                name=f"assessment_questionnaireversion_{name}",
            )

        return [
            url("preview", self.preview_view, "preview"),
            url("download", self.download_view, "download"),
            url("publish", self.publish_view, "publish"),
            url("retire", self.retire_view, "retire"),
            url("new-draft", self.new_draft_view, "new_draft"),
            *super().get_urls(),
        ]

    def viewable_version(self, request, object_id: str) -> QuestionnaireVersion:
        version = self.get_object(request, unquote(object_id))
        if version is None:
            raise Http404("No such questionnaire version.")
        if not self.has_view_or_change_permission(request, version):
            raise PermissionDenied
        return version

    # Read views

    @allow_methods("GET")
    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        version = self.viewable_version(request, object_id)
        problems = version_problems(version) if version.is_draft else []
        try:
            dimensions = version_preview(version)
        except (ValueError, KeyError):
            dimensions = None  # the problems below say what to fix first
        context = {
            **self.admin_site.each_context(request),
            "title": f"Preview of {version}",
            "opts": self.opts,
            "original": version,
            "dimensions": dimensions,
            "problems": problem_links(version, problems),
            "preview": True,
            "media": self.media,
        }
        return TemplateResponse(
            request, "admin/assessment/questionnaireversion/preview.html", context
        )

    @allow_methods("GET")
    def download_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        version = self.viewable_version(request, object_id)
        response = HttpResponse(version_export(version=version), content_type="application/json")
        filename = f"{version.questionnaire.slug}-v{version.number}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    # Lifecycle: a confirmation page (GET), then the change itself (POST)

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self.transition_view(request, object_id, TRANSITIONS["publish"])

    def retire_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self.transition_view(request, object_id, TRANSITIONS["retire"])

    def new_draft_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self.transition_view(request, object_id, TRANSITIONS["new_draft"])

    @allow_methods("GET", "POST")
    def transition_view(
        self, request: HttpRequest, object_id: str, transition: Transition
    ) -> HttpResponse:
        version = self.viewable_version(request, object_id)
        if not self.can_move(request):
            raise PermissionDenied
        if request.method == "POST":
            result = self.run_transition(request, version, transition)
            return HttpResponseRedirect(admin_url(result or version))
        context = {
            **self.admin_site.each_context(request),
            "title": transition.title.format(version=version),
            "opts": self.opts,
            "original": version,
            "transition": transition,
            "button": transition.button.format(version=f"v{version.number}"),
            "allowed": version.status in transition.allowed,
        }
        return TemplateResponse(
            request, "admin/assessment/questionnaireversion/transition.html", context
        )

    def run_transition(
        self, request: HttpRequest, version: QuestionnaireVersion, transition: Transition
    ) -> QuestionnaireVersion | None:
        """Call the service; report success, or every problem linked to its row."""
        try:
            result = transition.service(version=version)
        except CriteriaError as error:
            count = len(error.problems)
            self.message_user(
                request,
                f"{transition.failed.format(version=version)}: {count} "
                f"problem{'s' if count != 1 else ''} to fix.",
                messages.ERROR,
            )
            for link in problem_links(version, error.problems):
                self.message_user(
                    request,
                    format_html(
                        '<a href="{}">{}</a> ({}): {}',
                        link.url,
                        link.label,
                        link.problem.path,
                        link.problem.message,
                    ),
                    messages.ERROR,
                )
            return None
        except ValidationError as error:
            self.message_user(
                request,
                f"{transition.failed.format(version=version)}: {' '.join(error.messages)}",
                messages.ERROR,
            )
            return None
        self.message_user(
            request, transition.done.format(result=result, version=version), messages.SUCCESS
        )
        return result

    # The same steps as bulk actions on the list of versions

    @admin.action(description="New draft from each selected version", permissions=["move"])
    def new_drafts(self, request, queryset) -> None:
        for version in queryset:
            self.run_transition(request, version, TRANSITIONS["new_draft"])

    @admin.action(description="Publish selected drafts", permissions=["move"])
    def publish_versions(self, request, queryset) -> None:
        for version in queryset:
            self.run_transition(request, version, TRANSITIONS["publish"])

    @admin.action(description="Retire selected published versions", permissions=["move"])
    def retire_versions(self, request, queryset) -> None:
        for version in queryset:
            self.run_transition(request, version, TRANSITIONS["retire"])

    def has_move_permission(self, request) -> bool:
        return self.can_move(request)
