"""Practices, questions and options in the admin, each with links up and down."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models

from comparisons.admin import HistoryAdmin, StaffMayView
from comparisons.admin_inputs import NamedInlineFormSet, NamedTabularInline

from ..models import Option, Practice, PracticeWeight, Question, QuestionnaireVersion
from .scopes import (
    CHECKED_FIELDS,
    KindsField,
    PracticeWeightForm,
    ReferencesField,
    refuse_new_problems,
    scope_fields,
    tier_field_name,
    weight_form_for,
)
from .shared import DRAFT, FrozenInline, FrozenWhenPublished, VersionOwnedForm, location_links


class PracticeWeightInline(FrozenInline, NamedTabularInline):
    model = PracticeWeight
    form = PracticeWeightForm
    fields = ["discipline", "weight", "target"]
    readonly_fields = ["targets_by_tier"]
    extra = 0
    verbose_name = "discipline weighting"
    verbose_name_plural = "How the practice counts for each discipline"

    def version_of(self, obj: Practice) -> QuestionnaireVersion:
        return obj.version

    def editable_tiers(self, obj: Practice | None) -> list[dict[str, str]]:
        return obj.version.tiers if obj is not None and not self.is_frozen(obj) else []

    def get_fields(self, request, obj=None):
        if obj is not None and obj.version.tiers and self.is_frozen(obj):
            return [*self.fields, "targets_by_tier"]
        return [*self.fields, *(tier_field_name(tier) for tier in self.editable_tiers(obj))]

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = weight_form_for(self.editable_tiers(obj))
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description="Targets by risk tier")
    def targets_by_tier(self, weight: PracticeWeight) -> str:
        version = weight.practice.version
        return (
            "; ".join(
                f"{version.tier_name(key)}: {target}" for key, target in weight.tier_targets.items()
            )
            or "the target for every tier"
        )


class QuestionInlineFormSet(NamedInlineFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        # A question belongs to the version of its practice.
        form.instance.version_id = self.instance.version_id


class QuestionInlineForm(VersionOwnedForm):
    class Meta:
        model = Question
        fields = ["order", "key", "text", "weight", "required"]


class QuestionInline(FrozenInline, NamedTabularInline):
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
        fields = [
            "version",
            "key",
            "name",
            "description",
            "dimension",
            "order",
            "applies_to",
            "rationale",
        ]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "version" in self.fields:
            self.fields["version"].queryset = QuestionnaireVersion.objects.filter(
                status=DRAFT
            ).select_related("questionnaire")
            self.fields["version"].help_text = "Only drafts can take new practices."
        if "applies_to" in self.fields:
            self.fields["applies_to"] = KindsField(
                self.instance.version,
                label="Asked of",
                help_text="The kinds of system the practice is asked of; none ticked: every kind.",
            )

    def clean(self):
        cleaned = super().clean()
        refuse_new_problems(
            self, self.instance, [name for name in CHECKED_FIELDS if name in self.changed_data]
        )
        return cleaned


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
        if obj is None:
            return ["version", *fields]  # scopes are set on the practice's page
        return ["location", *fields, *scope_fields(obj.version, "applies_to", "rationale")]

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
            "applies_to",
            "traces_to",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "applies_to" in self.fields:
            self.fields["applies_to"] = KindsField(
                self.instance.version,
                label="Asked of",
                help_text="The kinds of system the question is asked of; none ticked: every "
                "kind its practice is asked of.",
            )
        if "traces_to" in self.fields:
            self.fields["traces_to"] = ReferencesField()
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
        refuse_new_problems(
            self, self.instance, [name for name in CHECKED_FIELDS if name in self.changed_data]
        )
        return cleaned


class OptionInline(FrozenInline, NamedTabularInline):
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
        fields = [name for name in QuestionForm.Meta.fields if name not in CHECKED_FIELDS]
        if obj is None:
            return fields  # scopes are set on the question's page
        return ["location", *fields, *scope_fields(obj.version, "applies_to", "traces_to")]

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
