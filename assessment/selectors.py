"""What a user may see: every read a page makes, scoped to the user at fetch time.

Anything outside the user's teams is a 404 whatever the URL says: each fetch goes through
a QuerySet of the objects the user may reach (``Team.objects.managed_by(user)``, ...),
never through a filter applied afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404

from .answering import (
    Progress,
    Sheet,
    StoredAnswer,
    progress_of,
    sheet_build,
    stored_answers,
    visible_question_pks,
)
from .criteria.loading import layout_for, round_criteria
from .errors import AssessmentError
from .models import Answer, AssessmentRound, Membership, Organization, Response, Team
from .reports import privacy
from .reports.standing import TeamStanding, team_standings

# Rounds -----------------------------------------------------------------------------------


def respondent_round(*, user, round_pk: int) -> AssessmentRound:
    """A round of one of the user's teams (any role), for answering it."""
    return get_object_or_404(
        AssessmentRound.objects.for_respondent(user).select_related(
            "team__organization", "version__questionnaire"
        ),
        pk=round_pk,
    )


def managed_round(*, user, round_pk: int) -> AssessmentRound:
    """A round the user may open, close, follow and export, with the user's own part in it
    (``with_viewer``)."""
    return get_object_or_404(
        AssessmentRound.objects.managed_by(user)
        .with_viewer(user)
        .select_related("team__organization", "version__questionnaire"),
        pk=round_pk,
    )


@dataclass(frozen=True)
class Reading:
    """A round's report as one reader may read it: all of it (managers, org leads) or the
    members' summary, and why its scores are withheld from this reader, if they are."""

    round: AssessmentRound
    full: bool
    withheld: str | None  # privacy.STILL_OPEN, privacy.TOO_FEW or None

    @property
    def min_group_size(self) -> int:
        return self.round.team.organization.min_group_size

    @property
    def explanation(self) -> str:
        """Why the scores are withheld, in full ("" when they are not)."""
        return privacy.explained(self.withheld, self.min_group_size)


def reported_round(*, user, round_pk: int) -> Reading:
    """A round whose report the user may read (404 otherwise), in one query."""
    assessment_round = get_object_or_404(
        AssessmentRound.objects.with_viewer(user).select_related(
            "team__organization", "version__questionnaire"
        ),
        pk=round_pk,
    )
    access = assessment_round.report_access(user)
    if access is None:
        raise Http404("No such report among yours.")
    return Reading(
        round=assessment_round,
        full=access == "full",
        withheld=privacy.withheld(
            is_open=assessment_round.is_open,
            respondents=assessment_round.reported_respondents,
            reader_submitted=assessment_round.viewer_submitted,
            min_group_size=assessment_round.team.organization.min_group_size,
        ),
    )


def exported_round(*, user, round_pk: int) -> AssessmentRound:
    """A round whose whole report the user may download: 404 unless they read all of it,
    ``AssessmentError`` (409) while its scores are withheld from them."""
    reading = reported_round(user=user, round_pk=round_pk)
    if not reading.full:
        raise Http404("No such report among yours.")
    if reading.withheld:
        raise AssessmentError(reading.explanation, 409)
    return reading.round


def exported_answers_round(*, user, round_pk: int) -> AssessmentRound:
    """A round whose answers the user may download: as ``exported_round``, and judged again
    on the submitted responses that remain, since the answers are read as they are now (an
    account deleted after closing takes its answers with it)."""
    assessment_round = exported_round(user=user, round_pk=round_pk)
    remaining = Response.objects.filter(
        round=assessment_round, status=Response.Status.SUBMITTED
    ).count()
    minimum = assessment_round.team.organization.min_group_size
    reason = privacy.withheld(
        is_open=False,
        respondents=remaining,
        reader_submitted=assessment_round.viewer_submitted,
        min_group_size=minimum,
    )
    if reason:
        raise AssessmentError(privacy.explained(reason, minimum), 409)
    return assessment_round


def response_of(*, assessment_round: AssessmentRound, respondent) -> Response | None:
    return Response.objects.filter(round=assessment_round, respondent=respondent).order_by().first()


def own_sheet(*, assessment_round: AssessmentRound, respondent) -> tuple[Response | None, Sheet]:
    """A respondent's response (None before the first save) and their answers laid over the
    round's questionnaire."""
    response = response_of(assessment_round=assessment_round, respondent=respondent)
    criteria = round_criteria(assessment_round)
    return response, sheet_build(criteria, layout_for(criteria), stored_answers(response))


# Completion -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompletionRow:
    name: str
    role: str
    status: str  # "submitted", "in progress", "not started"


@dataclass(frozen=True)
class Completion:
    rows: tuple[CompletionRow, ...]  # submitted first, then in progress, then not started

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def submitted(self) -> int:
        return self.count("submitted")

    @property
    def in_progress(self) -> int:
        return self.count("in progress")


FORMER_MEMBER = "No longer in the team"


def round_completion(*, assessment_round: AssessmentRound) -> Completion:
    """Who has submitted, who is in progress and who has not started: names, no answers.
    The team's members, and anyone removed from it whose submitted response still counts
    (as the report's "n of N members" does); a removed person's draft counts nowhere."""
    responses = Response.objects.filter(round=assessment_round).select_related("respondent")
    by_respondent = {response.respondent_id: response for response in responses}
    memberships = Membership.objects.filter(team_id=assessment_round.team_id).select_related("user")
    label = {Response.Status.SUBMITTED: "submitted", Response.Status.DRAFT: "in progress"}
    rows = []
    for m in memberships:
        response = by_respondent.pop(m.user_id, None)
        rows.append(
            CompletionRow(
                name=m.user.get_full_name() or m.user.get_username(),
                role=m.get_role_display(),
                status=label[response.status] if response else "not started",
            )
        )
    rows.extend(
        CompletionRow(
            name=response.respondent.get_full_name() or response.respondent.get_username(),
            role=FORMER_MEMBER,
            status="submitted",
        )
        for response in by_respondent.values()
        if response.is_submitted
    )
    order = {"submitted": 0, "in progress": 1, "not started": 2}
    return Completion(tuple(sorted(rows, key=lambda row: (order[row.status], row.name.lower()))))


@dataclass(frozen=True)
class Closing:
    """What closing a round would mean for the person closing it."""

    completion: Completion
    closer_submitted: bool
    withheld: str | None  # what the closed report would say to them, or None

    @property
    def others(self) -> int:
        """Submitted responses besides the closer's own."""
        return self.completion.submitted - self.closer_submitted


def round_closing(*, assessment_round: AssessmentRound) -> Closing:
    """Completion, and whether the closed report would withhold its scores from the person
    closing it (their own response does not count for them). ``assessment_round`` comes
    from ``managed_round``."""
    completion = round_completion(assessment_round=assessment_round)
    return Closing(
        completion=completion,
        closer_submitted=assessment_round.viewer_submitted,
        withheld=privacy.withheld(
            is_open=False,
            respondents=completion.submitted,
            reader_submitted=assessment_round.viewer_submitted,
            min_group_size=assessment_round.team.organization.min_group_size,
        ),
    )


# Home -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentItem:
    """A round as one respondent sees it on the home page."""

    round: AssessmentRound
    status: str  # "not started", "in progress", "submitted"
    progress: Progress | None


def assessments_for(*, user) -> list[AssessmentItem]:
    """Rounds of the user's teams with the user's own progress, in three queries (and the
    criteria of each published version once per process)."""
    rounds = list(
        AssessmentRound.objects.for_respondent(user)
        .select_related("team", "version__questionnaire")
        .order_by("-status", "-opened_at")  # "open" sorts after "closed": open ones first
    )
    responses = {r.round_id: r for r in Response.objects.filter(respondent=user, round__in=rounds)}
    answers: dict[int, dict[int, StoredAnswer]] = {}
    rows = Answer.objects.filter(
        response__in=[r for r in responses.values() if not r.is_submitted]
    ).values_list("response__round_id", "question_id", "option_id", "comment")
    for round_pk, question_pk, option_pk, comment in rows:
        answers.setdefault(round_pk, {})[question_pk] = StoredAnswer(option_pk, comment)
    items = []
    for assessment_round in rounds:
        response = responses.get(assessment_round.pk)
        progress = None
        if response is not None and response.is_submitted:
            status = "submitted"
        elif not assessment_round.is_open:
            continue  # closed before this person submitted: nothing left to do
        else:
            status = "in progress" if response else "not started"
            criteria = round_criteria(assessment_round)
            stored = answers.get(assessment_round.pk, {})
            progress = progress_of(criteria, stored, visible_question_pks(criteria, stored))
        items.append(AssessmentItem(assessment_round, status, progress))
    return items


@dataclass(frozen=True)
class Home:
    """What the home page lists. (The organizations whose dashboard the user opens come
    with every page: ``context_processors.dashboards``.)"""

    memberships: list[Membership]
    assessments: list[AssessmentItem]
    managed: list[TeamStanding]  # teams whose rounds the user runs: open rounds, reports
    led: list[Organization]  # organizations whose teams and record of changes they keep

    @property
    def people_teams(self) -> list[Team]:
        """Teams whose people the user manages: the teams they run (``people_managed_by``
        is ``with_manager``)."""
        return [standing.team for standing in self.managed]


def home_for(*, user) -> Home:
    """The user's teams, their own assessments and, for the teams they manage or lead,
    each open round's completion and the latest report they may read; the same queries
    whatever the number of teams and rounds. A superuser's list is their own too: every
    team of every organization would bury it (they reach those through the dashboards)."""
    managed = list(Team.objects.with_manager(user).select_related("organization"))
    return Home(
        memberships=list(Membership.objects.filter(user=user).select_related("team__organization")),
        assessments=assessments_for(user=user),
        managed=team_standings(teams=managed, reader=user),
        led=list(Organization.objects.with_lead(user)),
    )


def visible_team(*, user, team_pk: int) -> tuple[Team, bool]:
    """A team the user belongs to or leads, and whether they manage it."""
    team = get_object_or_404(
        Team.objects.visible_to(user).select_related("organization"), pk=team_pk
    )
    return team, Team.objects.managed_by(user).filter(pk=team.pk).exists()


@dataclass(frozen=True)
class TeamRound:
    """A round on its team's page, as the user finds it: ``round`` knows the user's part in
    it (``viewer_role``, ``viewer_submitted``: see ``RoundQuerySet.with_viewer``)."""

    round: AssessmentRound
    withheld: str | None  # why its scores are withheld from the user, once closed


def team_rounds(*, user, team: Team) -> list[TeamRound]:
    """The team's rounds, newest first, in one query. ``team`` needs its organization."""
    rounds = AssessmentRound.objects.with_viewer(user).filter(team=team)
    return [
        TeamRound(
            assessment_round,
            None
            if assessment_round.is_open
            else privacy.withheld(
                is_open=False,
                respondents=assessment_round.reported_respondents,
                reader_submitted=assessment_round.viewer_submitted,
                min_group_size=team.organization.min_group_size,
            ),
        )
        for assessment_round in rounds.select_related("version__questionnaire")
    ]
