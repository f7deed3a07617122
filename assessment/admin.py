"""The Django admin: people, and the criteria with their lifecycle.

Criteria are edited here level by level (questionnaire > version > practice > question >
option), with links down (inline change links) and back up ("Part of"). Rows of a
published or retired version are read-only: the ModelAdmins and inlines refuse change,
add and delete for them, model ``clean()`` refuses them too (``FrozenAware``) and the
database triggers of migration 0002 refuse any UPDATE that slips past both.

State changes of a version (new draft, publish, retire) and imports go through the
services in ``assessment.criteria``; every change is recorded by django-simple-history
and shown on each object's history page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_http_methods

from comparisons.admin import HistoryAdmin, StaffMayView

from .criteria import (
    CriteriaError,
    Problem,
    parse_document,
    questionnaire_import,
    questionnaire_publish,
    questionnaire_retire,
    version_document,
    version_export,
    version_new_draft,
    version_problems,
)
from .models import (
    Membership,
    Option,
    Organization,
    Practice,
    PracticeWeight,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Team,
)
from .preview import version_preview

# People -----------------------------------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["leads"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "slug"]
    list_filter = ["organization"]
    search_fields = ["name", "slug", "organization__name", "memberships__user__username"]
    list_select_related = ["organization"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role"]
    list_filter = ["role", "team__organization", "team"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "team__name"]
    list_select_related = ["user", "team"]
    autocomplete_fields = ["user", "team"]


# Criteria: shared pieces ------------------------------------------------------------------

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
    (version, key) uniqueness would only fail at the database; the version is always set
    on the instance before validation, so it takes part in validation here.
    """

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
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


class VersionInline(StaffMayView, admin.TabularInline):
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


class PracticeInline(FrozenInline, admin.TabularInline):
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
        fields = ["questionnaire", "number", "readiness_rule", "notes"]


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


# Practices, questions, options ------------------------------------------------------------


class PracticeWeightInline(FrozenInline, admin.TabularInline):
    model = PracticeWeight
    fields = ["discipline", "weight", "target"]
    extra = 0
    verbose_name = "discipline weighting"
    verbose_name_plural = "How the practice counts for each discipline"

    def version_of(self, obj: Practice) -> QuestionnaireVersion:
        return obj.version


class QuestionInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        # A question belongs to the version of its practice.
        form.instance.version_id = self.instance.version_id


class QuestionInlineForm(VersionOwnedForm):
    class Meta:
        model = Question
        fields = ["order", "key", "text", "weight", "required"]


class QuestionInline(FrozenInline, admin.TabularInline):
    model = Question
    form = QuestionInlineForm
    formset = QuestionInlineFormSet
    fields = ["order", "key", "text", "weight", "required"]
    show_change_link = True
    extra = 0
    ordering = ["order", "pk"]

    def version_of(self, obj: Practice) -> QuestionnaireVersion:
        return obj.version


class PracticeForm(forms.ModelForm):
    class Meta:
        model = Practice
        fields = ["version", "key", "name", "description", "dimension", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "version" in self.fields:
            self.fields["version"].queryset = QuestionnaireVersion.objects.filter(
                status=DRAFT
            ).select_related("questionnaire")
            self.fields["version"].help_text = "Only drafts can take new practices."


@admin.register(Practice)
class PracticeAdmin(FrozenWhenPublished, StaffMayView, HistoryAdmin):
    form = PracticeForm
    list_display = ["name", "key", "version", "dimension", "order"]
    list_filter = ["version__status", "version", "dimension"]
    search_fields = ["name", "key", "description", "version__questionnaire__name"]
    list_select_related = ["version__questionnaire", "dimension"]
    ordering = ["version__questionnaire__name", "-version__number", "order", "pk"]
    readonly_fields = ["location"]
    inlines = [PracticeWeightInline, QuestionInline]

    def version_of(self, obj: Practice) -> QuestionnaireVersion:
        return obj.version

    def get_fields(self, request, obj=None):
        fields = ["key", "name", "description", "dimension", "order"]
        return ["version", *fields] if obj is None else ["location", *fields]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description="Part of")
    def location(self, practice: Practice) -> str:
        return location_links([practice.version])


class QuestionForm(VersionOwnedForm):
    class Meta:
        model = Question
        fields = [
            "practice",
            "key",
            "text",
            "help_text",
            "weight",
            "required",
            "order",
            "show_if_question",
            "show_if_options",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version_id = self.instance.version_id
        in_version = {"version_id": version_id} if version_id else {"version__status": DRAFT}
        if "practice" in self.fields:
            self.fields["practice"].queryset = Practice.objects.filter(**in_version)
        if "show_if_question" in self.fields:
            self.fields["show_if_question"].queryset = Question.objects.filter(
                **in_version
            ).exclude(pk=self.instance.pk)
        if "show_if_options" in self.fields:
            field = self.fields["show_if_options"]
            field.queryset = Option.objects.filter(
                **{f"question__{key}": value for key, value in in_version.items()}
            ).select_related("question")
            field.label_from_instance = lambda option: f"{option.question.key}: {option.label}"
            field.help_text = "Options of the condition question that reveal this question."

    def clean(self):
        cleaned = super().clean()
        practice = cleaned.get("practice")
        if practice is not None:
            self.instance.version_id = practice.version_id
        condition = cleaned.get("show_if_question")
        chosen = cleaned.get("show_if_options") or []
        if condition is None and chosen:
            self.add_error("show_if_options", "Choose the condition question too.")
        if condition is not None:
            if practice is not None and condition.version_id != practice.version_id:
                self.add_error(
                    "show_if_question", "Choose a question of the same questionnaire version."
                )
            if not chosen:
                self.add_error("show_if_options", "Choose at least one option that reveals it.")
            if any(option.question_id != condition.pk for option in chosen):
                self.add_error("show_if_options", f"Choose only options of “{condition.key}”.")
        return cleaned


class OptionInline(FrozenInline, admin.TabularInline):
    model = Option
    fields = ["order", "key", "label", "value", "unscored", "advice"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}
    show_change_link = True
    extra = 0
    ordering = ["order", "pk"]

    def version_of(self, obj: Question) -> QuestionnaireVersion:
        return obj.version


@admin.register(Question)
class QuestionAdmin(FrozenWhenPublished, StaffMayView, HistoryAdmin):
    form = QuestionForm
    list_display = ["text", "key", "practice", "version", "weight", "required", "order"]
    list_filter = ["version__status", "version", "practice__dimension", "required"]
    search_fields = ["text", "key", "help_text", "practice__name"]
    list_select_related = ["version__questionnaire", "practice"]
    ordering = ["version__questionnaire__name", "-version__number", "practice__order", "order"]
    readonly_fields = ["location"]
    inlines = [OptionInline]

    def version_of(self, obj: Question) -> QuestionnaireVersion:
        return obj.version

    def get_fields(self, request, obj=None):
        fields = list(QuestionForm.Meta.fields)
        return fields if obj is None else ["location", *fields]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description="Part of")
    def location(self, question: Question) -> str:
        return location_links([question.version, question.practice])


class OptionForm(forms.ModelForm):
    class Meta:
        model = Option
        fields = ["question", "key", "label", "value", "unscored", "advice", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "question" in self.fields:
            self.fields["question"].queryset = Question.objects.filter(version__status=DRAFT)


@admin.register(Option)
class OptionAdmin(FrozenWhenPublished, StaffMayView, HistoryAdmin):
    form = OptionForm
    list_display = ["label", "key", "question", "value", "unscored", "order"]
    list_filter = ["question__version__status", "question__version", "unscored"]
    search_fields = ["label", "key", "advice", "question__text", "question__key"]
    list_select_related = ["question"]
    ordering = ["question__version", "question__order", "order", "pk"]
    readonly_fields = ["location"]

    def version_of(self, obj: Option) -> QuestionnaireVersion:
        return obj.question.version

    def get_fields(self, request, obj=None):
        fields = ["key", "label", "value", "unscored", "advice", "order"]
        return ["question", *fields] if obj is None else ["location", *fields]

    @admin.display(description="Part of")
    def location(self, option: Option) -> str:
        question = option.question
        return location_links([question.version, question.practice, question])
