"""People, criteria, rounds and answers.

Organizations hold teams; memberships give people a role in a team. Criteria are
versioned: a published version is frozen (see ``services.questionnaire_publish`` and the
database triggers in migration 0002). Rounds collect one response per person; a closed
round keeps its report as a snapshot.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from simple_history.models import HistoricalRecords

from comparisons.models import Dimension, Discipline

UNIT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]
MAX_COMMENT_LENGTH = 2000


# People ----------------------------------------------------------------------------------


class OrganizationQuerySet(models.QuerySet):
    def led_by(self, user) -> OrganizationQuerySet:
        """Organizations whose dashboard the user may read: their own as lead, all as staff."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(leads=user)


class Organization(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="led_organizations",
        help_text="Org leads see every team of the organization and its dashboard.",
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamQuerySet(models.QuerySet):
    # Exists() rather than joins: no duplicate rows to remove with DISTINCT, and a plan
    # that stays small whatever the number of members.

    def visible_to(self, user) -> TeamQuerySet:
        """Teams the user belongs to, leads, or (staff) all teams."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        member = Membership.objects.filter(team=models.OuterRef("pk"), user=user)
        return self.filter(models.Exists(member) | _leads(user))

    def managed_by(self, user) -> TeamQuerySet:
        """Teams whose rounds the user may open, close and report on."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        manager = Membership.objects.filter(
            team=models.OuterRef("pk"), user=user, role=Membership.Role.MANAGER
        )
        return self.filter(models.Exists(manager) | _leads(user))


def _leads(user) -> models.Exists:
    """The team (the outer query's row) belongs to an organization the user leads."""
    return models.Exists(
        Organization.leads.through.objects.filter(
            organization=models.OuterRef("organization"), user=user
        )
    )


class Team(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)
    slug = models.SlugField()
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="team_unique_slug"),
            models.UniqueConstraint(fields=["organization", "name"], name="team_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        MANAGER = "manager", "Manager"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["team", "role", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="membership_unique_user_team"),
            models.CheckConstraint(
                condition=Q(role__in=["member", "manager"]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.get_role_display()})"


# Criteria --------------------------------------------------------------------------------


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


# Rounds and answers ----------------------------------------------------------------------


class RoundQuerySet(models.QuerySet):
    def managed_by(self, user) -> RoundQuerySet:
        return self.filter(team__in=Team.objects.managed_by(user))

    def with_viewer(self, user) -> RoundQuerySet:
        """Annotated with what decides how much of each round's report the user may read
        (see ``AssessmentRound.report_access``): their role in the round's team
        (``viewer_role``, None for a non-member) and whether they lead its organization
        (``viewer_leads``). Two flat subqueries: report pages are read over and over."""
        if not user.is_authenticated:
            return self.none()
        member = Membership.objects.filter(team=models.OuterRef("team"), user=user)
        leads = Organization.leads.through.objects.filter(
            organization=models.OuterRef("team__organization"), user=user
        )
        return self.annotate(
            viewer_role=models.Subquery(member.values("role")[:1]),
            viewer_leads=models.Exists(leads),
        )

    def for_respondent(self, user) -> RoundQuerySet:
        """Rounds of the teams the user is a member of (any role)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(team__memberships__user=user)


class AssessmentRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rounds")
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(max_length=100)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "title"], name="round_unique_title"),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="round_closed_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def report_access(self, user) -> str | None:
        """How much of the report the user may read: "full" (staff, the team's managers,
        the organization's leads), "summary" (members, once the round has closed) or
        None. Needs the round from ``AssessmentRound.objects.with_viewer(user)``."""
        if user.is_staff or self.viewer_role == Membership.Role.MANAGER or self.viewer_leads:
            return "full"
        if self.viewer_role is not None and not self.is_open:
            return "summary"
        return None


class Response(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        SUBMITTED = "submitted", "Submitted"

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responses"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "respondent"], name="response_unique_respondent"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", submitted_at__isnull=True)
                | Q(status="submitted", submitted_at__isnull=False),
                name="response_submitted_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.round}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    # Autosaves rewrite answers all day. No index of its own on the response (the unique
    # constraint below starts with it) nor on the option (only deleting an option looks
    # answers up by it): an update that changes the option then touches no index, and
    # PostgreSQL can keep it on the same page (a HOT update, see migration 0006).
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    option = models.ForeignKey(
        Option,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
        db_index=False,
    )
    comment = models.TextField(blank=True, max_length=MAX_COMMENT_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["response", "question"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique_question"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("comment"), MAX_COMMENT_LENGTH),
                name="answer_comment_max_length",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question.key}"


class ReportSnapshot(models.Model):
    """The scored report of a closed round, frozen so it never changes afterwards."""

    round = models.OneToOneField(AssessmentRound, on_delete=models.CASCADE, related_name="snapshot")
    report = models.JSONField(help_text="The whole report document (docs/report-format.md).")
    scores = models.JSONField(
        default=dict,
        help_text="Readiness per discipline and score per practice, for dashboards and trends "
        "that should not parse the whole report.",
    )
    questionnaire_name = models.CharField(max_length=200)
    version_number = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    respondents = models.PositiveIntegerField(help_text="Submitted responses scored.")
    members = models.PositiveIntegerField(help_text="Team members when the round closed.")
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Report of {self.round}"
