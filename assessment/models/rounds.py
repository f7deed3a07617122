"""Assessment rounds, each person's response and answers, and a closed round's snapshot."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Length
from django.db.models.lookups import LessThanOrEqual

from .criteria import Option, Question, QuestionnaireVersion
from .people import Membership, Organization, Team

MAX_COMMENT_LENGTH = 2000
MAX_EVIDENCE_LENGTH = 500


class RoundQuerySet(models.QuerySet):
    def managed_by(self, user) -> RoundQuerySet:
        return self.filter(team__in=Team.objects.managed_by(user))

    def with_viewer(self, user) -> RoundQuerySet:
        """Annotated with what decides how much of each round's report the user may read
        (see ``AssessmentRound.report_access``): their role in the round's team
        (``viewer_role``, None for a non-member), whether they lead its organization
        (``viewer_leads``), whether they submitted a response themselves
        (``viewer_submitted``) and how many responses its snapshot counts
        (``reported_respondents``, None while the round is open)."""
        if not user.is_authenticated:
            return self.none()
        member = Membership.objects.filter(team=models.OuterRef("team"), user=user)
        leads = Organization.leads.through.objects.filter(
            organization=models.OuterRef("team__organization"), user=user
        )
        submitted = Response.objects.filter(
            round=models.OuterRef("pk"), respondent=user, status=Response.Status.SUBMITTED
        )
        return self.annotate(
            viewer_role=models.Subquery(member.values("role")[:1]),
            viewer_leads=models.Exists(leads),
            viewer_submitted=models.Exists(submitted),
            reported_respondents=models.F("snapshot__respondents"),
        )

    def with_counted_members(self) -> RoundQuerySet:
        """Annotated with ``counted_members``, the N of a round's "n of N members": the
        team's members now, and the people no longer in the team whose submitted response
        still counts (docs/report-format.md). Never fewer than the submitted responses; a
        removed person's unsubmitted draft counts nowhere."""
        members = (
            Membership.objects.filter(team=models.OuterRef("team"))
            .order_by()
            .values("team")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        in_team = Membership.objects.filter(
            team=models.OuterRef(models.OuterRef("team")), user=models.OuterRef("respondent")
        )
        former = (
            Response.objects.filter(round=models.OuterRef("pk"), status=Response.Status.SUBMITTED)
            .exclude(models.Exists(in_team))
            .order_by()
            .values("round")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(
            counted_members=Coalesce(models.Subquery(members), 0)
            + Coalesce(models.Subquery(former), 0)
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
    # The scope: what the round assesses. Blank in rounds opened before scopes existed.
    system_name = models.CharField(
        max_length=200, blank=True, help_text="The system the team answers for."
    )
    system_kind = models.CharField(
        max_length=64, blank=True, help_text="A kind of system of the questionnaire version."
    )
    risk_tier = models.CharField(
        max_length=64, blank=True, help_text="A risk tier of the questionnaire version."
    )
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

    @property
    def scope(self) -> tuple[str | None, str | None]:
        """(kind, tier) for the scoring engine; (None, None) for a round without scope."""
        return (self.system_kind or None, self.risk_tier or None)

    @property
    def kind_name(self) -> str:
        return self.version.kind_name(self.system_kind) if self.system_kind else ""

    @property
    def tier_name(self) -> str:
        return self.version.tier_name(self.risk_tier) if self.risk_tier else ""

    def report_access(self, user) -> str | None:
        """How much of the report the user may read: "full" (superusers, the team's
        managers, the organization's leads), "summary" (members, once the round has
        closed) or None. Needs the round from ``AssessmentRound.objects.with_viewer(user)``."""
        if user.is_superuser or self.viewer_role == Membership.Role.MANAGER or self.viewer_leads:
            return "full"
        if self.viewer_role is not None and not self.is_open:
            return "summary"
        return None


def new_pseudonym() -> str:
    """A random name for a response in exports: it says nothing of the person, of when
    they answered, or of the row, and sorting by it shuffles the responses."""
    return f"R-{secrets.token_hex(8)}"


class Response(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        SUBMITTED = "submitted", "Submitted"

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responses"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    pseudonym = models.CharField(max_length=20, default=new_pseudonym, editable=False)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "respondent"], name="response_unique_respondent"
            ),
            models.UniqueConstraint(
                fields=["round", "pseudonym"], name="response_unique_pseudonym"
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
    evidence = models.URLField(
        max_length=MAX_EVIDENCE_LENGTH,
        blank=True,
        help_text="A link to what backs the answer up (a dashboard, a runbook, a pipeline).",
    )
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
    members = models.PositiveIntegerField(
        help_text="Team members when the round closed, and people removed before it closed "
        "whose submitted responses count."
    )
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [
            # Lists a team's snapshots with their number of responses from the index alone:
            # on SQLite the table's rows keep ``respondents`` behind the whole report, and
            # reading it there cost the dashboard of 100 teams 6 ms (bench/reports.py).
            models.Index(fields=["round", "respondents"], name="snapshot_round_respondents"),
        ]

    def __str__(self) -> str:
        return f"Report of {self.round}"
