"""People in the app: org leads create and rename teams; managers (and leads) add people by
address, remove them and change their roles.

Someone already in the team's organization (a member of one of its teams, or one of its
leads) is added at once; anyone else is invited (``invitations``), whether or not they have
an account elsewhere in the deployment: the manager's answer is the same either way, so it
never tells who has an account, and nobody joins another organization's team without
accepting. Every change is recorded (``changes``) in the same transaction, and whoever is
told by mail is told once it commits. Each service raises ``AssessmentError`` and changes
nothing when a request is refused. Removing someone deletes only the membership: their
responses stay, so closed reports (snapshots) keep their answers, and their access ends
with the next request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils.text import slugify

from . import notifications
from .changes import change_record, person_label
from .errors import AssessmentError
from .invitations import invitation_create
from .models import Invitation, Membership, Organization, PeopleChange, Team


@dataclass(frozen=True)
class PersonEntry:
    """Someone to add: an address (lower case) and, from a CSV, maybe a name."""

    email: str
    name: str = ""


@dataclass
class AddResult:
    added: list[str] = field(default_factory=list)
    invited: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = []
        if self.added:
            parts.append(f"Added {', '.join(self.added)}.")
        if self.invited:
            parts.append(f"Invited {', '.join(self.invited)}: they get a link by mail.")
        if self.already:
            parts.append(f"Already in the team or invited: {', '.join(self.already)}.")
        return " ".join(parts) or "Nobody to add."


def _accounts_in_organization(emails: list[str], organization: Organization) -> dict[str, object]:
    """Address -> the account with that address in the organization (a member of one of
    its teams, or a lead). Accounts outside it are not looked at: nothing said here may
    depend on them."""
    accounts: dict[str, object] = {}
    member = Membership.objects.filter(user=OuterRef("pk"), team__organization=organization)
    lead = Organization.leads.through.objects.filter(user=OuterRef("pk"), organization=organization)
    users = (
        get_user_model()
        .objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .filter(Exists(member) | Exists(lead))
        .order_by("pk")
    )
    for user in users:
        if user.email_lower in accounts:
            raise AssessmentError(
                f"Two accounts share {user.email_lower}, so it is not clear whom to add: "
                "ask an administrator.",
                409,
            )
        accounts[user.email_lower] = user
    return accounts


@transaction.atomic
def people_add(*, team: Team, people: list[PersonEntry], role: str, by) -> AddResult:
    """Add people to a team by address: accounts of the team's organization join at once,
    anyone else is invited. People already in the team or already invited are left as
    they are."""
    if role not in Membership.Role.values:
        raise AssessmentError("Choose member or manager.")
    entries = list({entry.email.lower(): entry for entry in people}.values())
    emails = [entry.email.lower() for entry in entries]
    accounts = _accounts_in_organization(emails, team.organization)
    in_team = set(team.memberships.values_list("user_id", flat=True))
    invited = set(
        Invitation.objects.pending()
        .filter(team=team, email__in=emails)
        .values_list("email", flat=True)
    )
    result = AddResult()
    for entry in entries:
        email = entry.email.lower()
        account = accounts.get(email)
        if (account is not None and account.pk in in_team) or email in invited:
            result.already.append(email)
        elif account is not None:
            membership = Membership.objects.create(user=account, team=team, role=role)
            change_record(
                team=team,
                actor=by,
                action=PeopleChange.Action.PERSON_ADDED,
                person=person_label(account),
                detail=f"as {membership.get_role_display().lower()}",
            )
            notifications.member_added(membership=membership, by=by)
            result.added.append(email)
        else:
            try:
                invitation_create(team=team, email=email, name=entry.name, role=role, invited_by=by)
            except ValidationError as error:
                raise AssessmentError(f"{email}: {' '.join(error.messages)}") from error
            result.invited.append(email)
    return result


def _own_access_check(*, membership: Membership, by, what: str) -> None:
    """Nobody removes or demotes themselves out of managing the team (and then cannot
    undo it), unless they lead its organization and so keep managing it."""
    if membership.user_id != by.pk:
        return
    if membership.team.organization.leads.filter(pk=by.pk).exists():
        return
    raise AssessmentError(
        f"You cannot {what} yourself: ask another manager of the team or your org lead.", 409
    )


@transaction.atomic
def membership_role_change(*, membership: Membership, role: str, by) -> Membership:
    """Make a member a manager of the team, or a manager a member."""
    if role not in Membership.Role.values:
        raise AssessmentError("Choose member or manager.")
    locked = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "team__organization")
        .get(pk=membership.pk)
    )
    if locked.role == role:
        return locked
    if role == Membership.Role.MEMBER:
        _own_access_check(membership=locked, by=by, what="make a member of")
    before = locked.get_role_display().lower()
    locked.role = role
    locked.save(update_fields=["role"])
    change_record(
        team=locked.team,
        actor=by,
        action=PeopleChange.Action.ROLE_CHANGED,
        person=person_label(locked.user),
        detail=f"{before} → {locked.get_role_display().lower()}",
    )
    return locked


@transaction.atomic
def membership_remove(*, membership: Membership, by) -> None:
    """Take someone out of a team. Their submitted answers stay in the round reports, open
    rounds' included, where they count among the members too (``with_counted_members``);
    a draft they leave in an open round counts nowhere."""
    locked = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "team__organization")
        .filter(pk=membership.pk)
        .first()
    )
    if locked is None:
        return  # removed a moment ago, in another tab
    _own_access_check(membership=locked, by=by, what="remove")
    locked.delete()
    change_record(
        team=locked.team,
        actor=by,
        action=PeopleChange.Action.PERSON_REMOVED,
        person=person_label(locked.user),
        detail=f"was {locked.get_role_display().lower()}",
    )


# Teams -------------------------------------------------------------------------------------


def _team_name_clean(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise AssessmentError("Give the team a name.")
    if len(name) > 200:
        raise AssessmentError("A team name can be at most 200 characters.")
    return name


def _free_slug(organization: Organization, name: str) -> str:
    base = slugify(name)[:45] or "team"
    taken = set(
        Team.objects.filter(organization=organization, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def team_create(
    *, organization: Organization, name: str, by, managers: list[PersonEntry] = ()
) -> tuple[Team, AddResult]:
    """Create a team in an organization and name its managers (added or invited)."""
    name = _team_name_clean(name)
    if Team.objects.filter(organization=organization, name__iexact=name).exists():
        raise AssessmentError(f"{organization} already has a team called “{name}”.", 409)
    team = Team(organization=organization, name=name, slug=_free_slug(organization, name))
    try:
        team.full_clean()
        with transaction.atomic():
            team.save()
    except (ValidationError, IntegrityError) as error:  # created a moment ago in another tab
        raise AssessmentError(f"{organization} already has a team called “{name}”.", 409) from error
    change_record(team=team, actor=by, action=PeopleChange.Action.TEAM_CREATED)
    result = people_add(team=team, people=list(managers), role=Membership.Role.MANAGER, by=by)
    return team, result


@transaction.atomic
def team_rename(*, team: Team, name: str, by) -> Team:
    name = _team_name_clean(name)
    locked = Team.objects.select_for_update().get(pk=team.pk)
    if locked.name == name:
        return locked
    clash = Team.objects.filter(organization_id=locked.organization_id, name__iexact=name)
    if clash.exclude(pk=locked.pk).exists():
        raise AssessmentError(f"There is already a team called “{name}”.", 409)
    before = locked.name
    locked.name = name
    locked.save(update_fields=["name"])
    change_record(
        team=locked, actor=by, action=PeopleChange.Action.TEAM_RENAMED, detail=f"from “{before}”"
    )
    return locked
