"""Forms: opening a round, and reading the answers a respond page posts."""

from __future__ import annotations

from collections.abc import Collection

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import URLValidator

from .answering import AnswerInput
from .models import (
    MAX_COMMENT_LENGTH,
    MAX_EVIDENCE_LENGTH,
    QuestionnaireVersion,
)


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, version: QuestionnaireVersion) -> str:
        return f"{version.questionnaire.name}, version {version.number}"


class RoundForm(forms.Form):
    """A new round: the questionnaire, what the team answers for (the scope) and when.

    The kinds of system and risk tiers offered are those of the published versions. The
    form only reads the input; ``rounds.round_open`` decides what may be opened (a scope of
    the round's own version, a title the team has not used) and the view shows its refusal
    beside the field it is about."""

    version = VersionChoiceField(
        label="Questionnaire",
        queryset=QuestionnaireVersion.objects.published().select_related("questionnaire"),
        empty_label=None,
    )
    title = forms.CharField(
        max_length=100, help_text="How the team will recognise it, for example “2026 Q4”."
    )
    system_name = forms.CharField(
        label="System assessed",
        max_length=200,
        required=False,
        help_text="The product or service the team answers for, for example “Claims "
        "triage assistant”. A team with two systems opens a round for each.",
    )
    system_kind = forms.ChoiceField(
        label="Kind of system",
        required=False,
        widget=forms.RadioSelect,
        help_text="Decides which questions are asked: a team without AI is not asked how "
        "it runs models.",
    )
    risk_tier = forms.ChoiceField(
        label="Risk tier",
        required=False,
        widget=forms.RadioSelect,
        help_text="Decides the targets: an internal tool is not held to the bar of a "
        "system that makes decisions about people.",
    )
    due_on = forms.DateField(
        label="Due date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional. Shown to the team; answers are still accepted after it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        for name, field in (("kinds", "system_kind"), ("tiers", "risk_tier")):
            choices: dict[str, str] = {}
            for version in self.fields["version"].queryset:
                for item in getattr(version, name):
                    label = (
                        f"{item['name']}: {item['description']}"
                        if item.get("description")
                        else item["name"]
                    )
                    choices.setdefault(item["key"], label)
            self.fields[field].choices = list(choices.items())


def database_id(raw: str) -> int | None:
    """A database id written in ASCII digits (at most 18, so it fits in 64 bits), or None."""
    if raw.isascii() and raw.isdigit() and len(raw) <= 18:
        return int(raw)
    return None


LINK = URLValidator(schemes=["http", "https"])


class AnswersForm(forms.Form):
    """Answers as the respond page posts them: ``q-<question pk>`` holds the chosen option's
    pk, ``c-<question pk>`` a comment, ``e-<question pk>`` an evidence link.

    A field that was not sent leaves the stored value as it is (``AnswerInput``), so a tab
    that only changes a comment never clears the option another tab chose. A question with
    neither field sent is not an answer. ``questions`` limits the questions a post may
    answer (a section's form), ``at_most`` how many (the autosave sends one).
    """

    def __init__(self, data, *, questions: Collection[int] | None = None, at_most: int = 0):
        super().__init__(data)
        self.questions = set(questions) if questions is not None else None
        self.at_most = at_most

    def clean(self) -> dict:
        answers: dict[int, AnswerInput] = {}
        for name in self.data:
            prefix, _, raw_pk = name.partition("-")
            if prefix not in {"q", "c", "e"}:
                continue
            question_pk = database_id(raw_pk)
            if question_pk is None:
                raise forms.ValidationError(f"Unknown field {name[:40]!r}.")
            if self.questions is not None and question_pk not in self.questions:
                raise forms.ValidationError("That question is not part of this section.")
            option_pk, comment = self._option(question_pk), self._comment(question_pk)
            evidence = self._evidence(question_pk)
            if option_pk is not None or comment is not None or evidence is not None:
                answers[question_pk] = AnswerInput(question_pk, option_pk, comment, evidence)
        if self.at_most and len(answers) > self.at_most:
            raise forms.ValidationError("Send one question's answer at a time.")
        return {"answers": [answers[pk] for pk in sorted(answers)]}

    def _option(self, question_pk: int) -> int | None:
        raw = self.data.get(f"q-{question_pk}", "")
        option_pk = database_id(raw) if raw else None
        if raw and option_pk is None:
            raise forms.ValidationError("That option does not exist.")
        return option_pk

    def _comment(self, question_pk: int) -> str | None:
        name = f"c-{question_pk}"
        if name not in self.data:
            return None
        # Browsers send line breaks as CR LF but count them as one character against
        # maxlength: stored as LF, the 2,000 limit means the same on both sides.
        text = self.data.get(name).replace("\r\n", "\n")
        if "\x00" in text:
            raise forms.ValidationError("A comment cannot contain a null character.")
        if len(text) > MAX_COMMENT_LENGTH:
            raise forms.ValidationError(
                f"A comment can be at most {MAX_COMMENT_LENGTH:,} characters; "
                f"this one has {len(text):,}."
            )
        return text

    def _evidence(self, question_pk: int) -> str | None:
        name = f"e-{question_pk}"
        if name not in self.data:
            return None
        link = self.data.get(name).strip()
        if link:
            try:
                if len(link) > MAX_EVIDENCE_LENGTH:
                    raise forms.ValidationError("too long")
                LINK(link)
            except forms.ValidationError:
                raise forms.ValidationError(
                    "An evidence link is a web address starting with https:// or http:// "
                    f"(at most {MAX_EVIDENCE_LENGTH} characters)."
                ) from None
        return link

    @property
    def error_message(self) -> str:
        return " ".join(self.non_field_errors())
