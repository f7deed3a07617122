"""Organizations, their teams, and people's roles in them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

# The fewest responses besides a reader's own for any score to exist (docs/scoring.md).
MIN_GROUP_SIZE = 3


class OrganizationQuerySet(models.QuerySet):
    def led_by(self, user) -> OrganizationQuerySet:
        """Organizations whose dashboard the user may read: their own as lead, all as a
        superuser. Staff (criteria editors) act on criteria only: no organization's data."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(leads=user)

    def with_lead(self, user) -> OrganizationQuerySet:
        """Organizations the user leads, staff or not: whose teams they create and rename,
        and whose record of changes to people they read."""
        if not user.is_authenticated:
            return self.none()
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
    min_group_size = models.PositiveSmallIntegerField(
        default=MIN_GROUP_SIZE,
        validators=[MinValueValidator(MIN_GROUP_SIZE)],
        help_text="Scores of a round exist only when at least this many people besides the "
        f"reader submitted, so that no one can be recognised. Never below {MIN_GROUP_SIZE}.",
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_group_size__gte=MIN_GROUP_SIZE),
                name="organization_min_group_size_at_least_3",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TeamQuerySet(models.QuerySet):
    # Exists() rather than joins: no duplicate rows to remove with DISTINCT, and a plan
    # that stays small whatever the number of members.

    def visible_to(self, user) -> TeamQuerySet:
        """Teams the user belongs to, leads, or (superusers) all teams."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        member = Membership.objects.filter(team=models.OuterRef("pk"), user=user)
        return self.filter(models.Exists(member) | _leads(user))

    def managed_by(self, user) -> TeamQuerySet:
        """Teams whose rounds the user may open, close and report on: ``with_manager``,
        and every team for a superuser."""
        if user.is_authenticated and user.is_superuser:
            return self.all()
        return self.with_manager(user)

    def with_manager(self, user) -> TeamQuerySet:
        """Teams the user manages themselves, superuser or not: as one of the team's
        managers or a lead of its organization. What the home page lists; a superuser
        reaches the others through the dashboards and the admin."""
        if not user.is_authenticated:
            return self.none()
        manager = Membership.objects.filter(
            team=models.OuterRef("pk"), user=user, role=Membership.Role.MANAGER
        )
        return self.filter(models.Exists(manager) | _leads(user))

    def people_managed_by(self, user) -> TeamQuerySet:
        """Teams whose people the user may add, remove, invite and remind: as one of the
        team's managers or a lead of its organization (``with_manager``). Staff have no
        say in an organization's people (the admin is for superusers)."""
        return self.with_manager(user)


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
