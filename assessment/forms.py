from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms

from .models import AssessmentRound, QuestionnaireVersion


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, version: QuestionnaireVersion) -> str:
        return f"{version.questionnaire.name}, version {version.number}"


class RoundForm(forms.Form):
    version = VersionChoiceField(
        label="Questionnaire",
        queryset=QuestionnaireVersion.objects.published().select_related("questionnaire"),
        empty_label=None,
    )
    title = forms.CharField(
        max_length=100, help_text="How the team will recognise it, for example “2026 Q4”."
    )
    due_on = forms.DateField(
        label="Due date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional. Shown to the team; answers are still accepted after it.",
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the round a title.")
        if AssessmentRound.objects.filter(team=self.team, title=title).exists():
            raise forms.ValidationError(f"{self.team} already has a round called “{title}”.")
        return title
