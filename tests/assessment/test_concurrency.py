"""Concurrent saves and submits lose nothing and never end in an error page.

Each test starts a few threads ("tabs") at the same moment with a barrier, many times
over. Every thread has its own database connection, so on PostgreSQL the requests really
overlap and the row locks and constraints decide; on SQLite the IMMEDIATE transactions
queue the writers (the test database is a file there, see config/settings_test.py, so
SQLite locks as in production). The tests need committed data the threads can see, hence
``transaction=True``; ``serialized_rollback`` restores the comparison data that
migrations seed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from functools import partial
from typing import Any

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse

from assessment.answering import AnswerInput, answers_save
from assessment.models import Answer, AssessmentRound, Response
from assessment.rounds import round_open
from tests.answering import SMALL_ALL, option_of, question_of
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROUNDS = 30
MAX_TABS = 4
HTMX = {"HX-Request": "true"}
WAIT_SECONDS = 30


def close_connection() -> None:
    connection.close()  # the calling thread's connection: ``connection`` is per thread


@pytest.fixture
def together() -> Iterator[Callable[..., list[Any]]]:
    """Run actions in separate threads released at the same moment; return their results.

    The worker threads live for the whole test, each with its own database connection
    (Django gives every thread one), so the rounds do not pay for new connections.
    An exception in any action is raised in the test.
    """
    pool = ThreadPoolExecutor(max_workers=MAX_TABS)

    def run_together(*actions: Callable[[], Any]) -> list[Any]:
        barrier = threading.Barrier(len(actions), timeout=WAIT_SECONDS)

        def released(action: Callable[[], Any]) -> Any:
            barrier.wait()
            return action()

        futures = [pool.submit(released, action) for action in actions]
        wait(futures, timeout=2 * WAIT_SECONDS)
        return [future.result(timeout=0) for future in futures]

    try:
        yield run_together
    finally:
        # The barrier puts one close on each worker, so every connection opened is closed.
        run_together(*[close_connection] * MAX_TABS)
        pool.shutdown()


def tab(user) -> Client:
    """A browser tab of ``user``: its own client and session."""
    client = Client()
    client.force_login(user)
    return client


def inputs(version, choices: dict[str, str]) -> list[AnswerInput]:
    """Answers given as {question key: option key}, looked up once for many saves."""
    return [
        AnswerInput(
            question_pk=question_of(version, key).pk,
            option_pk=option_of(version, key, option).pk,
            comment=None,
        )
        for key, option in choices.items()
    ]


def save_fields(version, question_key: str, option_key: str) -> dict[str, int]:
    question = question_of(version, question_key)
    return {f"q-{question.pk}": option_of(version, question_key, option_key).pk}


def stored_choices(assessment_round: AssessmentRound, user) -> dict[str, str | None]:
    rows = Answer.objects.filter(
        response__round=assessment_round, response__respondent=user
    ).values_list("question__key", "option__key")
    return dict(rows)


def reset_to_draft(assessment_round: AssessmentRound) -> None:
    Response.objects.filter(round=assessment_round).update(
        status=Response.Status.DRAFT, submitted_at=None
    )


# Autosave ---------------------------------------------------------------------------------


def test_tabs_saving_different_questions_on_first_save_keep_every_answer(
    together, member, open_round
):
    choices = inputs(open_round.version, SMALL_ALL)

    for repetition in range(ROUNDS):
        Response.objects.filter(round=open_round).delete()
        tabs = 2 + repetition % 3
        actions = [
            partial(answers_save, assessment_round=open_round, respondent=member, answers=[choice])
            for choice in choices[:tabs]
        ]

        together(*actions)

        assert Response.objects.filter(round=open_round, respondent=member).count() == 1
        assert stored_choices(open_round, member) == dict(list(SMALL_ALL.items())[:tabs])


def test_tabs_saving_the_same_question_keep_one_value_and_never_fail(together, member, open_round):
    version = open_round.version
    url = reverse("assessment:answer_save", args=[open_round.pk])
    options = ["none", "some", "all", "dont-know"]
    clients = [tab(member) for _ in options]

    for repetition in range(ROUNDS):
        if repetition % 2 == 0:  # every other time, the first save ever for this respondent
            Response.objects.filter(round=open_round).delete()
        count = 2 + repetition % 3
        actions = [
            partial(client.post, url, save_fields(version, "reviews", option), headers=HTMX)
            for client, option in zip(clients[:count], options[:count], strict=True)
        ]

        replies = together(*actions)

        assert [reply.status_code for reply in replies] == [200] * count
        assert Response.objects.filter(round=open_round).count() == 1
        assert Answer.objects.filter(response__round=open_round).count() == 1
        assert stored_choices(open_round, member)["reviews"] in options[:count]


# Submitting -------------------------------------------------------------------------------


def test_double_submit_submits_once_and_redirects_both_clicks(together, member, open_round):
    everything = inputs(open_round.version, SMALL_ALL)
    answers_save(assessment_round=open_round, respondent=member, answers=everything)
    url = reverse("assessment:submit", args=[open_round.pk])
    done = reverse("assessment:my_answers", args=[open_round.pk])
    clients = [tab(member), tab(member)]
    submissions: list[Response] = []

    def record(sender, instance, update_fields, **kwargs):
        if update_fields and "submitted_at" in update_fields:
            submissions.append(instance)

    post_save.connect(record, sender=Response, weak=False)
    try:
        for _ in range(ROUNDS):
            reset_to_draft(open_round)
            submissions.clear()

            replies = together(*[partial(client.post, url) for client in clients])

            assert [(reply.status_code, reply.url) for reply in replies] == [(302, done)] * 2
            stored = Response.objects.get(round=open_round)
            assert stored.is_submitted
            assert [s.submitted_at for s in submissions] == [stored.submitted_at]
    finally:
        post_save.disconnect(record, sender=Response)


def test_autosave_racing_submit_lands_before_it_or_is_refused(together, member, open_round):
    version = open_round.version
    answers_save(assessment_round=open_round, respondent=member, answers=inputs(version, SMALL_ALL))
    before = inputs(version, {"reviews": "some"})
    save_url = reverse("assessment:answer_save", args=[open_round.pk])
    submit_url = reverse("assessment:submit", args=[open_round.pk])
    saver, submitter = tab(member), tab(member)

    for _ in range(ROUNDS):
        reset_to_draft(open_round)
        answers_save(assessment_round=open_round, respondent=member, answers=before)

        saved, submitted = together(
            partial(saver.post, save_url, save_fields(version, "reviews", "all"), headers=HTMX),
            partial(submitter.post, submit_url),
        )

        stored = Response.objects.get(round=open_round)
        late_changes = Answer.objects.filter(response=stored, updated_at__gt=stored.submitted_at)
        assert submitted.status_code == 302
        assert stored.is_submitted
        assert saved.status_code in {200, 409}
        expected = "all" if saved.status_code == 200 else "some"
        assert stored_choices(open_round, member)["reviews"] == expected
        assert not late_changes.exists()


# Closing ----------------------------------------------------------------------------------


def test_autosave_racing_close_lands_before_it_or_is_refused(
    together, manager, member, small_version, team
):
    """A save and a close at the same moment: the save either lands before the close (its
    answer written no later than the round's closing time) or is refused and writes
    nothing, the first save of a respondent included (then no response is left)."""
    version = small_version
    save_fields_all = save_fields(version, "reviews", "all")
    saver, closer = tab(member), tab(manager)

    for repetition in range(ROUNDS):
        assessment_round = round_open(
            team=team, version=version, title=f"Close race {repetition}", opened_by=manager
        )
        first_save = repetition % 2 == 0
        if not first_save:
            answers_save(
                assessment_round=assessment_round,
                respondent=member,
                answers=inputs(version, {"reviews": "some"}),
            )
        save_url = reverse("assessment:answer_save", args=[assessment_round.pk])
        close_url = reverse("assessment:round_close", args=[assessment_round.pk])

        saved, closed = together(
            partial(saver.post, save_url, save_fields_all, headers=HTMX),
            partial(closer.post, close_url),
        )

        assessment_round.refresh_from_db()
        answers = Answer.objects.filter(response__round=assessment_round)
        assert closed.status_code == 302
        assert not assessment_round.is_open
        assert saved.status_code in {200, 409}
        assert not answers.filter(updated_at__gt=assessment_round.closed_at).exists()
        if saved.status_code == 200:
            assert stored_choices(assessment_round, member)["reviews"] == "all"
        elif first_save:
            assert not Response.objects.filter(round=assessment_round).exists()
        else:
            assert stored_choices(assessment_round, member)["reviews"] == "some"


@pytest.fixture
def slow_answer_writes() -> Iterator[None]:
    """Make every answer write on PostgreSQL take a while (a trigger that sleeps), so a
    test can act while a save is between its check and its write."""
    seconds = 0.5
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_slow_answer() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN PERFORM pg_sleep({seconds}); RETURN NEW; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER test_slow_answer BEFORE INSERT ON assessment_answer "
            "FOR EACH ROW EXECUTE FUNCTION test_slow_answer()"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER test_slow_answer ON assessment_answer")
            cursor.execute("DROP FUNCTION test_slow_answer()")


def save_writing() -> None:
    """Wait until a save sleeps in the slow_answer_writes trigger."""
    deadline = time.monotonic() + WAIT_SECONDS
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # This run's database only: another test run on the same server has its own.
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event = 'PgSleep' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.005)
    raise AssertionError("no save reached its write")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writing statement at a time: a save cannot be caught mid-way",
)
@pytest.mark.parametrize("action", ["close", "submit"])
def test_a_save_in_flight_holds_off_a_close_or_submit_until_it_lands(
    together, slow_answer_writes, manager, member, open_round, action
):
    """The close or submit starts while the save is writing. It waits for the save, so
    the answer it sees is the answer that stays."""
    version = open_round.version
    answers_save(assessment_round=open_round, respondent=member, answers=inputs(version, SMALL_ALL))
    answers_save(
        assessment_round=open_round, respondent=member, answers=inputs(version, {"reviews": "some"})
    )
    saver = tab(member)
    if action == "close":
        actor, url = tab(manager), reverse("assessment:round_close", args=[open_round.pk])
    else:
        actor, url = tab(member), reverse("assessment:submit", args=[open_round.pk])

    def act_while_the_save_writes():
        save_writing()
        reply = actor.post(url)
        return reply, stored_choices(open_round, member)["reviews"]

    saved, (acted, seen) = together(
        partial(
            saver.post,
            reverse("assessment:answer_save", args=[open_round.pk]),
            save_fields(version, "reviews", "all"),
            headers=HTMX,
        ),
        act_while_the_save_writes,
    )

    assert saved.status_code == 200
    assert acted.status_code == 302
    assert seen == "all"
    assert stored_choices(open_round, member)["reviews"] == "all"


def test_snapshot_counts_exactly_the_responses_submitted_before_the_close(
    together, team, manager, member, small_version
):
    others = [MembershipFactory(team=team).user for _ in range(2)]
    respondents = [member, *others]
    respondent_tabs = [tab(user) for user in respondents]
    manager_tab = tab(manager)
    everything = inputs(small_version, SMALL_ALL)

    for repetition in range(ROUNDS):
        assessment_round = round_open(
            team=team, version=small_version, title=f"Race {repetition}", opened_by=manager
        )
        for user in respondents:
            answers_save(assessment_round=assessment_round, respondent=user, answers=everything)
        submit_url = reverse("assessment:submit", args=[assessment_round.pk])
        done = reverse("assessment:my_answers", args=[assessment_round.pk])
        close_url = reverse("assessment:round_close", args=[assessment_round.pk])
        racing = respondent_tabs[: 1 + repetition % 3]

        *submits, closed = together(
            *[partial(client.post, submit_url) for client in racing],
            partial(manager_tab.post, close_url),
        )

        assessment_round.refresh_from_db()
        submitted = Response.objects.filter(
            round=assessment_round, status=Response.Status.SUBMITTED
        )
        assert closed.status_code == 302
        assert {reply.status_code for reply in submits} <= {302, 409}
        assert not assessment_round.is_open
        assert assessment_round.snapshot.respondents == submitted.count()
        assert sum(reply.get("Location") == done for reply in submits) == submitted.count()
        assert not submitted.filter(submitted_at__gt=assessment_round.closed_at).exists()
