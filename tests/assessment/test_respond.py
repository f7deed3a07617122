import pytest
from django.urls import reverse

from assessment.answering import AnswerInput, answers_save
from assessment.criteria.lifecycle import questionnaire_import, questionnaire_retire
from assessment.errors import AssessmentError
from assessment.models import Answer, AssessmentRound, Response
from assessment.rounds import round_close, round_open
from tests.answering import (
    SMALL_ALL,
    answer,
    answer_and_submit,
    option_of,
    question_of,
    scope_of,
)
from tests.caches import empty_caches
from tests.criteria_data import small_document
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def save_url(assessment_round):
    return reverse("assessment:answer_save", args=[assessment_round.pk])


def fields(version, question_key, option_key=None, comment=None):
    question = question_of(version, question_key)
    data = {
        f"q-{question.pk}": option_of(version, question_key, option_key).pk if option_key else ""
    }
    if comment is not None:
        data[f"c-{question.pk}"] = comment
    return data


def answers_snapshot():
    return sorted(Answer.objects.values_list("response_id", "question_id", "option_id", "comment"))


# Opening and closing rounds ---------------------------------------------------------------


def test_manager_opens_a_round(client, manager, team, small_version):
    client.force_login(manager)

    response = client.post(
        reverse("assessment:round_create", args=[team.pk]),
        {"version": small_version.pk, "title": "2026 Q4", "due_on": "2026-12-15"},
    )

    created = AssessmentRound.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("assessment:round_detail", args=[created.pk])
    assert (created.team, created.title, str(created.due_on)) == (team, "2026 Q4", "2026-12-15")
    assert created.opened_by == manager


def test_round_form_refuses_a_duplicate_title(client, manager, team, open_round, small_version):
    client.force_login(manager)

    response = client.post(
        reverse("assessment:round_create", args=[team.pk]),
        {"version": small_version.pk, "title": "2026 Q4"},
    )

    assert response.status_code == 400
    assert "already has a round called" in response.content.decode()
    assert AssessmentRound.objects.count() == 1


@pytest.mark.parametrize(
    ("left_out", "message"),
    [
        ("system_name", "Name the system the team answers for."),
        ("system_kind", "Choose the kind of system this round assesses"),
        ("risk_tier", "Choose the risk tier this round assesses"),
    ],
)
def test_round_form_shows_a_missing_scope_beside_its_field(
    client, manager, team, default_version, left_out, message
):
    data = {"version": default_version.pk, "title": "2026 Q4", **scope_of(default_version)}
    del data[left_out]
    client.force_login(manager)

    response = client.post(reverse("assessment:round_create", args=[team.pk]), data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [left_out]  # beside the field, nothing else wrong
    assert message in errors[left_out][0]
    assert AssessmentRound.objects.count() == 0


def test_round_form_refuses_a_draft_or_retired_version(client, manager, team):
    draft = questionnaire_import(data=small_document(), publish=False).version
    client.force_login(manager)

    response = client.post(
        reverse("assessment:round_create", args=[team.pk]),
        {"version": draft.pk, "title": "2026 Q4"},
    )

    assert response.status_code == 400
    assert AssessmentRound.objects.count() == 0


@pytest.mark.parametrize("user_fixture", ["member", "other_manager", "outsider"])
def test_only_managers_of_the_team_open_rounds(client, request, team, small_version, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))

    response = client.post(
        reverse("assessment:round_create", args=[team.pk]),
        {"version": small_version.pk, "title": "2026 Q4"},
    )

    assert response.status_code == 404
    assert AssessmentRound.objects.count() == 0


def test_members_see_the_open_round_on_home_with_progress(client, member, open_round):
    answer(open_round, member, {"code-in-vcs": "all"})
    client.force_login(member)

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert "Your assessments" in html
    assert "2026 Q4" in html
    assert "1 of 3 questions answered" in html
    assert "Continue" in html


def test_round_page_shows_completion_without_answers(client, manager, member, team, open_round):
    submitter = MembershipFactory(
        team=team, user=UserFactory(first_name="Sue", last_name="Bmit")
    ).user
    answer_and_submit(open_round, submitter, comments={"code-in-vcs": "secret comment"})
    answer(open_round, member, {"code-in-vcs": "none"})
    client.force_login(manager)

    response = client.get(reverse("assessment:round_detail", args=[open_round.pk]))

    html = response.content.decode()
    assert "1 of 3 submitted" in html
    assert "Sue Bmit" in html
    assert "Submitted" in html and "In progress" in html and "Not started" in html
    assert "secret comment" not in html
    assert "Manual" not in html


def test_closing_asks_for_confirmation_then_closes_for_good(client, manager, open_round):
    client.force_login(manager)
    url = reverse("assessment:round_close", args=[open_round.pk])

    confirm = client.get(url)
    open_round.refresh_from_db()
    assert "Closing is final" in confirm.content.decode()
    assert open_round.is_open

    client.post(url)

    open_round.refresh_from_db()
    assert not open_round.is_open
    assert open_round.snapshot.respondents == 0


def test_closing_warns_a_manager_who_answered_that_their_own_response_does_not_count(
    client, manager, open_round
):
    """Three responses, one the manager's: two besides theirs are too few for their report,
    and closing is final, so the page says so before they close."""
    answer_and_submit(open_round, manager)
    for _ in range(2):
        answer_and_submit(open_round, MembershipFactory(team=open_round.team).user)
    client.force_login(manager)

    page = client.get(reverse("assessment:round_close", args=[open_round.pk])).content.decode()

    assert "Besides your own, 2 people have submitted: fewer than 3" in page
    assert "completion only and no scores" in page

    answer_and_submit(open_round, MembershipFactory(team=open_round.team).user)
    page = client.get(reverse("assessment:round_close", args=[open_round.pk])).content.decode()
    assert "alert-warning" not in page


def test_members_cannot_close_a_round(client, member, open_round):
    client.force_login(member)

    response = client.post(reverse("assessment:round_close", args=[open_round.pk]))

    assert response.status_code == 404
    open_round.refresh_from_db()
    assert open_round.is_open


# The respond page -------------------------------------------------------------------------


def test_respond_page_groups_questions_and_offers_radio_groups(client, member, open_round):
    client.force_login(member)

    response = client.get(reverse("assessment:respond", args=[open_round.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<fieldset") == 4
    assert html.count("<legend") == 4
    assert 'type="radio"' in html
    assert "Governance" in html and "Version control" in html
    assert 'href="#practice-drift-monitoring"' in html
    assert 'maxlength="2000"' in html


def test_respond_page_does_not_create_a_response(client, member, open_round):
    client.force_login(member)

    client.get(reverse("assessment:respond", args=[open_round.pk]))

    assert Response.objects.count() == 0


def test_conditional_question_starts_hidden_and_shows_after_its_condition(
    client, member, open_round
):
    client.force_login(member)
    drift = question_of(open_round.version, "drift-alerts")
    url = reverse("assessment:respond", args=[open_round.pk])

    before = client.get(url).content.decode()
    answer(open_round, member, {"has-models": "yes"})
    after = client.get(url).content.decode()

    assert f'id="q-{drift.pk}" class="question-block mb-4" hidden' in before
    assert f'id="q-{drift.pk}" class="question-block mb-4">' in after


def test_autosave_saves_and_answers_with_out_of_band_updates(client, member, open_round):
    client.force_login(member)
    version = open_round.version

    response = client.post(
        save_url(open_round), fields(version, "code-in-vcs", "all"), headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="progress-side" hx-swap-oob="true"' in html
    assert 'id="progress-top" class="progress-top d-lg-none" hx-swap-oob="true"' in html
    assert "<strong>1 of 3</strong>" in html
    assert 'id="count-version-control" class="text-body-secondary text-nowrap" hx-swap-oob' in html
    assert "1/2<span" in html
    assert 'id="count-drift-monitoring"' not in html  # untouched sections are not resent
    assert "Saved" in html
    saved = Answer.objects.get()
    assert saved.option.key == "all"
    assert saved.response.respondent == member


def test_autosave_of_a_condition_reveals_the_dependent_question(client, member, open_round):
    client.force_login(member)
    version = open_round.version
    drift = question_of(version, "drift-alerts")

    response = client.post(save_url(open_round), fields(version, "has-models", "yes"), headers=HTMX)

    html = response.content.decode()
    assert f'<div id="q-{drift.pk}" class="question-block mb-4" hx-swap-oob="true">' in html
    assert "<strong>1 of 4</strong>" in html


def test_hidden_answers_are_kept_but_not_counted(client, member, open_round):
    answer(open_round, member, {"has-models": "yes", "drift-alerts": "owned"})
    client.force_login(member)

    client.post(save_url(open_round), fields(open_round.version, "has-models", "no"), headers=HTMX)
    page = client.get(reverse("assessment:respond", args=[open_round.pk])).content.decode()

    assert Answer.objects.filter(question__key="drift-alerts", option__key="owned").exists()
    assert "<strong>1 of 3</strong>" in page


def test_comment_saves_without_touching_the_option(client, member, open_round):
    answer(open_round, member, {"code-in-vcs": "all"})
    client.force_login(member)
    question = question_of(open_round.version, "code-in-vcs")
    option = option_of(open_round.version, "code-in-vcs", "all")

    client.post(
        save_url(open_round),
        {f"q-{question.pk}": option.pk, f"c-{question.pk}": "See the repo settings."},
        headers=HTMX,
    )

    saved = Answer.objects.get()
    assert (saved.option, saved.comment) == (option, "See the repo settings.")


def test_section_submit_without_javascript_saves_the_section(client, member, open_round):
    client.force_login(member)
    version = open_round.version
    practice = version.practices.get(key="version-control")
    data = {**fields(version, "code-in-vcs", "all", "in git"), **fields(version, "reviews", "some")}

    response = client.post(
        reverse("assessment:section_save", args=[open_round.pk, practice.pk]), data
    )

    assert response.status_code == 302
    assert response.url.endswith("#practice-version-control")
    assert sorted(Answer.objects.values_list("question__key", "option__key", "comment")) == [
        ("code-in-vcs", "all", "in git"),
        ("reviews", "some", ""),
    ]


def test_resume_shows_saved_answers_checked(client, member, open_round):
    answer(open_round, member, {"code-in-vcs": "all"}, {"code-in-vcs": "kept"})
    client.force_login(member)
    option = option_of(open_round.version, "code-in-vcs", "all")

    html = client.get(reverse("assessment:respond", args=[open_round.pk])).content.decode()

    assert f'id="o-{option.pk}" value="{option.pk}" checked' in html
    assert ">kept</textarea>" in html


# Review and submit ------------------------------------------------------------------------


def test_review_lists_unanswered_required_questions_with_links(client, member, open_round):
    answer(open_round, member, {"code-in-vcs": "all"})
    client.force_login(member)
    reviews = question_of(open_round.version, "reviews")

    html = client.get(reverse("assessment:review", args=[open_round.pk])).content.decode()

    assert "2 required questions still need an answer" in html
    assert f"#q-{reviews.pk}" in html
    assert "Submit my answers" not in html


def test_submit_is_refused_while_required_questions_are_open(client, member, open_round):
    answer(open_round, member, {"code-in-vcs": "all"})
    client.force_login(member)

    response = client.post(reverse("assessment:submit", args=[open_round.pk]))

    assert response.status_code == 302
    assert Response.objects.get().status == "draft"


def test_submit_leads_to_read_only_answers(client, member, open_round):
    answer(open_round, member, SMALL_ALL, {"reviews": "we pair instead"})
    client.force_login(member)

    response = client.post(reverse("assessment:submit", args=[open_round.pk]), follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("assessment:my_answers", args=[open_round.pk])
    assert "Submitted" in html
    assert "we pair instead" in html
    assert "<input" not in html.split('id="main"')[1]


def test_double_submit_submits_once(client, member, open_round):
    answer(open_round, member, SMALL_ALL)
    client.force_login(member)
    url = reverse("assessment:submit", args=[open_round.pk])

    first = client.post(url)
    submitted_at = Response.objects.get().submitted_at
    second = client.post(url)

    assert first.status_code == second.status_code == 302
    assert Response.objects.get().submitted_at == submitted_at


def test_respond_page_redirects_to_read_only_view_after_submit(client, member, open_round):
    answer_and_submit(open_round, member)
    client.force_login(member)

    response = client.get(reverse("assessment:respond", args=[open_round.pk]))

    assert response.url == reverse("assessment:my_answers", args=[open_round.pk])


# Bad input: a clear message, a 4xx, nothing changed ---------------------------------------


@pytest.fixture
def answered(member, open_round):
    answer(open_round, member, {"code-in-vcs": "none"}, {"code-in-vcs": "before"})
    return open_round


def assert_refused(response, status, message):
    assert response.status_code == status
    assert message in response.content.decode()


def test_option_of_another_question_is_refused(client, member, answered):
    client.force_login(member)
    version = answered.version
    question = question_of(version, "code-in-vcs")
    before = answers_snapshot()

    response = client.post(
        save_url(answered),
        {f"q-{question.pk}": option_of(version, "reviews", "all").pk},
        headers=HTMX,
    )

    assert_refused(response, 400, "That option does not belong to the question.")
    assert answers_snapshot() == before


def test_option_of_another_version_is_refused(client, member, answered):
    other = questionnaire_import(
        data=small_document(questionnaire={"slug": "other", "name": "Other", "description": ""})
    ).version
    client.force_login(member)
    question = question_of(answered.version, "code-in-vcs")
    before = answers_snapshot()

    response = client.post(
        save_url(answered),
        {f"q-{question.pk}": option_of(other, "code-in-vcs", "all").pk},
        headers=HTMX,
    )

    assert_refused(response, 400, "That option does not belong to the question.")
    assert answers_snapshot() == before


def test_question_outside_the_rounds_version_is_refused(client, member, answered):
    other = questionnaire_import(
        data=small_document(questionnaire={"slug": "other", "name": "Other", "description": ""})
    ).version
    client.force_login(member)
    before = answers_snapshot()

    response = client.post(save_url(answered), fields(other, "code-in-vcs", "all"), headers=HTMX)

    assert_refused(response, 400, "not part of this round's questionnaire")
    assert answers_snapshot() == before


@pytest.mark.parametrize(
    "data",
    [
        {"q-abc": "1"},
        {"q-1": "x"},
        {"q-1": "-3"},
        {"q-" + "9" * 30: "1"},
    ],
)
def test_malformed_fields_are_refused(client, member, answered, data):
    client.force_login(member)
    before = answers_snapshot()

    response = client.post(save_url(answered), data, headers=HTMX)

    assert response.status_code == 400
    assert answers_snapshot() == before


def test_two_questions_in_one_autosave_are_refused(client, member, answered):
    client.force_login(member)
    version = answered.version
    before = answers_snapshot()

    response = client.post(
        save_url(answered),
        {**fields(version, "code-in-vcs", "all"), **fields(version, "reviews", "all")},
        headers=HTMX,
    )

    assert_refused(response, 400, "one question's answer at a time")
    assert answers_snapshot() == before


def test_over_long_comment_is_refused(client, member, answered):
    client.force_login(member)
    before = answers_snapshot()

    response = client.post(
        save_url(answered),
        fields(answered.version, "code-in-vcs", "all", comment="x" * 2001),
        headers=HTMX,
    )

    assert_refused(response, 400, "at most 2,000 characters")
    assert answers_snapshot() == before


def test_comment_of_exactly_2000_characters_is_kept(client, member, answered):
    client.force_login(member)

    client.post(
        save_url(answered),
        fields(answered.version, "code-in-vcs", "all", comment="x" * 2000),
        headers=HTMX,
    )

    assert len(Answer.objects.get().comment) == 2000


def test_round_of_another_team_is_not_found(client, other_manager, answered):
    client.force_login(other_manager)
    before = answers_snapshot()

    response = client.post(
        save_url(answered), fields(answered.version, "code-in-vcs", "all"), headers=HTMX
    )

    assert response.status_code == 404
    assert answers_snapshot() == before
    assert Response.objects.filter(respondent=other_manager).count() == 0


@pytest.mark.parametrize("htmx", [True, False])
def test_an_empty_post_to_a_round_of_another_team_is_not_found(
    client, other_manager, answered, htmx
):
    """An empty autosave changes nothing, but it still says nothing about other rounds."""
    client.force_login(other_manager)

    response = client.post(save_url(answered), {}, headers=HTMX if htmx else {})

    assert response.status_code == 404
    assert Response.objects.filter(respondent=other_manager).count() == 0


def test_an_answer_with_neither_option_nor_comment_is_refused(member, answered):
    before = answers_snapshot()
    nothing = AnswerInput(
        question_pk=question_of(answered.version, "code-in-vcs").pk, option_pk=None, comment=None
    )

    with pytest.raises(AssessmentError, match="needs an option, a comment or a link"):
        answers_save(assessment_round=answered, respondent=member, answers=[nothing])

    assert answers_snapshot() == before


def test_closed_round_accepts_no_answers(client, member, answered):
    round_close(assessment_round=answered)
    client.force_login(member)
    before = answers_snapshot()

    response = client.post(
        save_url(answered), fields(answered.version, "code-in-vcs", "all"), headers=HTMX
    )

    assert_refused(response, 409, "This round is closed")
    assert answers_snapshot() == before


def test_submitted_response_never_changes(client, member, open_round):
    answer_and_submit(open_round, member)
    client.force_login(member)
    before = answers_snapshot()

    response = client.post(
        save_url(open_round), fields(open_round.version, "code-in-vcs", "none"), headers=HTMX
    )

    assert_refused(response, 409, "You have submitted this assessment")
    assert answers_snapshot() == before


def test_refusal_without_htmx_is_a_page_with_the_message(client, member, answered):
    round_close(assessment_round=answered)
    client.force_login(member)
    practice = answered.version.practices.get(key="version-control")

    response = client.post(
        reverse("assessment:section_save", args=[answered.pk, practice.pk]),
        fields(answered.version, "code-in-vcs", "all"),
    )

    assert_refused(response, 409, "This round is closed")


def test_section_form_cannot_save_questions_of_another_section(client, member, answered):
    client.force_login(member)
    practice = answered.version.practices.get(key="version-control")
    before = answers_snapshot()

    response = client.post(
        reverse("assessment:section_save", args=[answered.pk, practice.pk]),
        fields(answered.version, "has-models", "yes"),
    )

    assert response.status_code == 400
    assert answers_snapshot() == before


def test_get_on_save_endpoints_is_refused(client, member, answered):
    client.force_login(member)

    response = client.get(save_url(answered))

    assert response.status_code == 405


def test_rounds_cannot_use_a_retired_version(team, manager, small_version):
    questionnaire_retire(version=small_version)
    small_version.refresh_from_db()

    with pytest.raises(AssessmentError, match="published"):
        round_open(team=team, version=small_version, title="Late", opened_by=manager)


# Query counts -----------------------------------------------------------------------------


def test_autosave_queries_do_not_grow_with_questions(
    client, member, team, manager, small_version, default_version
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member)
    counts = []
    for version, key, option in (
        (small_version, "reviews", "all"),
        (default_version, "definition-of-done", "undefined"),
    ):
        assessment_round = round_open(
            team=team, version=version, title=f"v{version.pk}", opened_by=manager,
            **scope_of(version),
        )  # fmt: skip
        client.post(save_url(assessment_round), fields(version, key, option), headers=HTMX)
        empty_caches()
        with CaptureQueriesContext(connection) as queries:
            client.post(save_url(assessment_round), fields(version, key, option), headers=HTMX)
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_an_autosave_on_cold_caches_reads_the_criteria_once(
    client, member, answered, django_assert_num_queries
):
    """Session and user (2), the round (1), the criteria loaded cold (6), then in one
    transaction (a savepoint inside the test's) the lock on the round, the response and
    its answers (3) and the upsert (1); last the dimensions' names for the reply (1)."""
    client.force_login(member)
    url, data = save_url(answered), fields(answered.version, "code-in-vcs", "all")
    empty_caches()

    with django_assert_num_queries(16):
        response = client.post(url, data, headers=HTMX)

    assert response.status_code == 200


def test_a_comment_from_a_stale_tab_keeps_the_option_chosen_in_another(client, member, answered):
    client.force_login(member)
    question = question_of(answered.version, "code-in-vcs")

    client.post(save_url(answered), {f"c-{question.pk}": "typed in the old tab"}, headers=HTMX)

    saved = Answer.objects.get()
    assert (saved.option.key, saved.comment) == ("none", "typed in the old tab")


def test_a_choice_from_a_stale_tab_keeps_the_comment_written_in_another(client, member, answered):
    client.force_login(member)

    client.post(save_url(answered), fields(answered.version, "code-in-vcs", "all"), headers=HTMX)

    saved = Answer.objects.get()
    assert (saved.option.key, saved.comment) == ("all", "before")


def test_an_autosave_with_nothing_chosen_or_typed_changes_nothing(client, member, answered):
    client.force_login(member)
    question = question_of(answered.version, "code-in-vcs")
    before = answers_snapshot()

    response = client.post(save_url(answered), {f"q-{question.pk}": ""}, headers=HTMX)

    assert response.status_code == 204
    assert answers_snapshot() == before


def test_ids_in_other_scripts_digits_are_refused(client, member, answered):
    client.force_login(member)

    response = client.post(save_url(answered), {"q-²": "1"}, headers=HTMX)

    assert response.status_code == 400


def test_a_beacon_without_htmx_saves_the_comment(client, member, answered):
    client.force_login(member)
    question = question_of(answered.version, "code-in-vcs")

    response = client.post(save_url(answered), {f"c-{question.pk}": "sent as the tab closed"})

    assert response.status_code == 302
    assert Answer.objects.get().comment == "sent as the tab closed"


def test_the_respond_page_shows_each_respondent_only_their_own_evidence(client, member, open_round):
    """Two members with the same answers: neither sees the other's link, and a changed link
    shows at once (the page once shared one member's section markup with another)."""
    question = question_of(open_round.version, "code-in-vcs")
    option = option_of(open_round.version, "code-in-vcs", "all")
    other = MembershipFactory(team=open_round.team).user

    def save(user, link):
        answer = AnswerInput(
            question_pk=question.pk, option_pk=option.pk, comment="", evidence=link
        )
        answers_save(assessment_round=open_round, respondent=user, answers=[answer])

    def page(user) -> str:
        client.force_login(user)
        return client.get(reverse("assessment:respond", args=[open_round.pk])).content.decode()

    save(member, "https://wiki.example/mia-runbook")
    assert "mia-runbook" in page(member)
    save(other, "")
    assert "mia-runbook" not in page(other)
    save(member, "https://wiki.example/new-runbook")
    mine = page(member)
    assert "new-runbook" in mine and "mia-runbook" not in mine
