"""Form fields for the scopes of the criteria (kinds of system and risk tiers as JSON,
``applies_to`` as ticked kinds, one target input per risk tier, ``traces_to`` one per
line), and the importer's rules applied to an edit of them.

A draft's rows may be edited into a state publishing would refuse (the preview lists what
to fix); an edit of these fields may not add such a state: ``refuse_new_problems`` checks
the draft as a document before and after the edit (``criteria.validation.edit_problems``)
and turns each new problem into an error of the field it is about, or of the whole form
with a link to the row it shows on.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.utils.html import format_html

from comparisons.models import Dimension

from ..criteria.crosswalk import FRAMEWORK_NAMES
from ..criteria.document import number, version_document
from ..criteria.scoping import FRAMEWORKS
from ..criteria.validation import edit_problems
from ..models import UNIT, PracticeWeight, QuestionnaireVersion
from .shared import problem_links

# Fields of a practice or question whose edit is checked by the importer's rules.
CHECKED_FIELDS = ("applies_to", "rationale", "traces_to")


def scope_fields(version: QuestionnaireVersion, *names: str) -> list[str]:
    """``names`` as fields of a row's page: ``applies_to`` only if the version has kinds."""
    return [name for name in names if name != "applies_to" or version.kinds]


class ScopeItemsField(forms.JSONField):
    """The kinds or the tiers of a version: a JSON list of {key, name, description},
    shown indented so each entry reads on its own lines."""

    widget = AdminTextareaWidget

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2)

    def clean(self, value: Any) -> Any:
        cleaned = super().clean(value)
        return [] if cleaned is None else cleaned


SCOPE_ITEMS_HELP = (
    "A JSON list, one entry per {what}: "
    '{{"key": "{example}", "name": "…", "description": "…"}}. Keys are lowercase letters '
    "and digits joined by hyphens, each used once; give kinds and tiers together, or "
    "neither (rounds then have no scope). A key that practices, questions or targets still "
    "name cannot be taken away: change them first."
)


def scope_items_field(what: str, example: str, label: str) -> ScopeItemsField:
    return ScopeItemsField(
        label=label,
        required=False,
        help_text=SCOPE_ITEMS_HELP.format(what=what, example=example),
    )


class KindsField(forms.MultipleChoiceField):
    """``applies_to``: ticked kinds of system of the version; none ticked is None (every
    kind), as the file leaves ``applies_to`` out."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, version: QuestionnaireVersion, **kwargs):
        choices = [(kind["key"], kind["name"]) for kind in version.kinds]
        super().__init__(choices=choices, required=False, **kwargs)

    def clean(self, value: Any) -> list[str] | None:
        return super().clean(value) or None


class ReferencesField(forms.Field):
    """``traces_to``: one "framework:reference" per line."""

    widget = AdminTextareaWidget(attrs={"rows": 4})

    def __init__(self, **kwargs):
        names = ", ".join(f"{slug} ({FRAMEWORK_NAMES[slug]})" for slug in FRAMEWORKS)
        dimensions = ", ".join(Dimension.objects.values_list("slug", flat=True))
        super().__init__(
            required=False,
            label="Traces to",
            help_text=f"Where the question comes from, one reference per line, such as "
            f"“article:testing” or “ml-test-score:Model 4”. Frameworks: {names}. The "
            f"article's dimension (at most one): {dimensions}.",
            **kwargs,
        )

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list):
            return value
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


def tier_field_name(tier: dict[str, str]) -> str:
    return f"target_{tier['key']}"


def tier_target_field(tier: dict[str, str]) -> forms.DecimalField:
    """A target for one risk tier, checked as the weighting's own target is."""
    target = PracticeWeight._meta.get_field("target")
    label = f"Target, {tier['name']}"
    return forms.DecimalField(
        max_digits=target.max_digits,
        decimal_places=target.decimal_places,
        validators=UNIT,
        required=False,
        label=label,
        help_text="Between 0 and 1; empty: the target applies to this tier too.",
        # Shown in a table row, under the column's heading: the input names it itself.
        widget=forms.NumberInput(attrs={"aria-label": label}),
    )


class PracticeWeightForm(forms.ModelForm):
    """A discipline weighting; ``weight_form_for`` adds a target per risk tier."""

    tiers: tuple[dict[str, str], ...] = ()

    class Meta:
        model = PracticeWeight
        fields = ["discipline", "weight", "target"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for tier in self.tiers:
            self.initial.setdefault(
                tier_field_name(tier), self.instance.tier_targets.get(tier["key"])
            )

    def save(self, commit=True):
        if self.tiers:
            keys = {tier["key"] for tier in self.tiers}
            # Targets of tiers the form does not show are kept as they are.
            targets = {k: v for k, v in self.instance.tier_targets.items() if k not in keys}
            for tier in self.tiers:
                value = self.cleaned_data.get(tier_field_name(tier))
                if value is not None:
                    targets[tier["key"]] = number(value)
            self.instance.tier_targets = targets
        return super().save(commit)


def weight_form_for(tiers: list[dict[str, str]]) -> type[PracticeWeightForm]:
    fields = {tier_field_name(tier): tier_target_field(tier) for tier in tiers}
    return type("PracticeWeightForm", (PracticeWeightForm,), {"tiers": tuple(tiers), **fields})


def refuse_new_problems(form: forms.ModelForm, row: models.Model, fields: list[str]) -> None:
    """Add an error to ``form`` for each problem that saving ``fields`` (named as in the
    file format) of ``row`` would add to its draft."""
    changes = {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}
    if row.pk is None or not changes:
        return
    problems = edit_problems(row, changes)
    if not problems:
        return
    version = row if isinstance(row, QuestionnaireVersion) else row.version
    row_path, _ = version_document(version).part_of(row)
    elsewhere = []
    for problem in problems:
        name = next(
            (
                name
                for name in changes
                if problem.path == f"{row_path}.{name}"
                or problem.path.startswith((f"{row_path}.{name}.", f"{row_path}.{name}["))
            ),
            None,
        )
        if name is not None:
            where = problem.path.removeprefix(f"{row_path}.")
            form.add_error(
                name, problem.message if where == name else f"{where}: {problem.message}"
            )
        elif problem.path == row_path:
            form.add_error(None, problem.message)
        else:
            elsewhere.append(problem)
    for link in problem_links(version, elsewhere):
        form.add_error(
            None,
            format_html(
                '<a href="{}">{}</a> ({}) would have a problem: {}',
                link.url,
                link.label,
                link.problem.path,
                link.problem.message,
            ),
        )
