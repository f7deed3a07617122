"""Versioned criteria: questionnaires, versions, practices, weights, questions, options.

A published version is frozen: ``FrozenAware.clean`` refuses changes, the admin shows it
read-only and the database triggers of migration 0002 refuse any UPDATE of its rows.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from comparisons.models import Dimension, Discipline

UNIT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


class Questionnaire(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VersionQuerySet(models.QuerySet):
    def published(self) -> VersionQuerySet:
        return self.filter(status=QuestionnaireVersion.Status.PUBLISHED)


class QuestionnaireVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    class Rule(models.TextChoices):
        MEAN = "mean", "Weighted mean of practices"
        WEAKEST = "weakest", "Weakest practice"

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    readiness_rule = models.CharField(
        max_length=10,
        choices=Rule.choices,
        default=Rule.MEAN,
        help_text="How practice scores combine into readiness. Frozen with the version.",
    )
    notes = models.TextField(blank=True)
    kinds = models.JSONField(
        default=list,
        blank=True,
        help_text="The kinds of system a round may assess, each {key, name, description}. "
        "Empty: rounds of this version have no scope (every question applies).",
    )
    tiers = models.JSONField(
        default=list,
        blank=True,
        help_text="The risk tiers a round may be of, each {key, name, description}.",
    )
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = VersionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["questionnaire__name", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="version_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(content_hash=""),
                name="version_frozen_has_hash",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire.name} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def scoped(self) -> bool:
        """Whether rounds of this version record what they assess (kind and tier)."""
        return bool(self.kinds)

    def kind_name(self, key: str) -> str:
        return next((kind["name"] for kind in self.kinds if kind["key"] == key), key)

    def tier_name(self, key: str) -> str:
        return next((tier["name"] for tier in self.tiers if tier["key"] == key), key)

    def check_editable(self) -> None:
        if not self.is_draft:
            raise ValidationError(
                f"{self} is {self.get_status_display().lower()} and can no longer change. "
                "Create a new draft from it instead."
            )


class FrozenAware(models.Model):
    """Criteria rows refuse validation once their version has left draft."""

    class Meta:
        abstract = True

    def owning_version(self) -> QuestionnaireVersion:
        raise NotImplementedError

    def clean(self) -> None:
        super().clean()
        try:
            version = self.owning_version()
        except ObjectDoesNotExist:
            return  # no parent chosen yet (an admin add form): that field reports it
        version.check_editable()


class Practice(FrozenAware):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="practices"
    )
    key = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="practices")
    order = models.PositiveIntegerField(default=0)
    applies_to = models.JSONField(
        null=True,
        blank=True,
        help_text="Keys of the kinds of system the practice is asked of; empty: every kind.",
    )
    rationale = models.TextField(
        blank=True, help_text="One line: why this practice has these weights and targets."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="practice_unique_key"),
        ]

    def __str__(self) -> str:
        return self.name

    def owning_version(self) -> QuestionnaireVersion:
        return self.version


class PracticeWeight(FrozenAware):
    """How much a practice counts for one discipline, and the level a team should reach."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="weights")
    discipline = models.ForeignKey(
        Discipline, on_delete=models.PROTECT, related_name="practice_weights"
    )
    weight = models.DecimalField(
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="0 means the practice is not part of this discipline.",
    )
    target = models.DecimalField(
        max_digits=4, decimal_places=3, validators=UNIT, help_text="Between 0 and 1."
    )
    tier_targets = models.JSONField(
        default=dict,
        blank=True,
        help_text="Targets for particular risk tiers, {tier key: target}; the others use "
        "the target above.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["practice", "discipline__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "discipline"], name="practiceweight_unique_discipline"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="practiceweight_weight_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(target__gte=0, target__lte=1), name="practiceweight_target_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice} for {self.discipline}: weight {self.weight}"

    def owning_version(self) -> QuestionnaireVersion:
        return self.practice.version


class Question(FrozenAware):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=64)
    text = models.CharField(max_length=500)
    help_text = models.TextField(blank=True)
    weight = models.DecimalField(
        max_digits=6,
        decimal_places=3,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("100"))],
    )
    required = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)
    show_if_question = models.ForeignKey(
        "self",
        # RESTRICT: a condition question can go only together with its dependents (as when
        # a whole draft is deleted); SET_NULL would update rows of frozen versions.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="dependents",
        help_text="Show this question only when that earlier question got one of the options.",
    )
    show_if_options = models.ManyToManyField("Option", blank=True, related_name="reveals")
    applies_to = models.JSONField(
        null=True,
        blank=True,
        help_text="Keys of the kinds of system the question is asked of; empty: every kind "
        "its practice is asked of.",
    )
    traces_to = models.JSONField(
        default=list,
        blank=True,
        help_text='Where the question comes from, e.g. "article:testing", '
        '"ml-test-score:Model 4" (docs/questionnaire-format.md).',
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "practice__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_unique_key"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="question_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.text

    def owning_version(self) -> QuestionnaireVersion:
        return self.version


class Option(FrozenAware):
    class Unscored(models.TextChoices):
        SCORED = "", "Scored"
        NOT_APPLICABLE = "not_applicable", "Not applicable"
        DONT_KNOW = "dont_know", "Don't know"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    key = models.SlugField(max_length=64)
    label = models.CharField(max_length=300)
    value = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=UNIT,
        help_text="Between 0 and 1; empty for an unscored option.",
    )
    unscored = models.CharField(
        max_length=16, choices=Unscored.choices, default=Unscored.SCORED, blank=True
    )
    advice = models.TextField(blank=True, help_text="The next step for a team that chose this.")
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["question", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="option_unique_key"),
            models.CheckConstraint(
                condition=(Q(unscored="") & Q(value__isnull=False, value__gte=0, value__lte=1))
                | (Q(unscored__in=["not_applicable", "dont_know"]) & Q(value__isnull=True)),
                name="option_value_or_unscored",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def owning_version(self) -> QuestionnaireVersion:
        return self.question.version

    def clean(self) -> None:
        super().clean()
        if self.unscored and self.value is not None:
            raise ValidationError({"value": "An unscored option has no value."})
        if not self.unscored and self.value is None:
            raise ValidationError({"value": "A scored option needs a value between 0 and 1."})
