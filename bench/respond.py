"""How much dearer are the respond page and one autosave than a trivial page?

Builds, in a throwaway SQLite database, the shipped default questionnaire and the small one
of tests/criteria_data.py (both loaded with the real importers), a team with one member and
an open round on each; the member answers half of the visible questions through
``answering.answers_save``. Every request goes through ``django.test.Client`` as that
signed-in member, with production settings (``DEBUG`` off; plain static storage as in the
test settings, so no ``collectstatic`` is needed).

* respond: ``GET`` of the respond page of the default questionnaire, half answered;
* respond_first: the same with the caches emptied before each request (the criteria read
  from the database again), for information (no goal): the first request after a restart;
* autosave: one htmx ``POST`` that saves one question (the same option each time, so the
  sheet stays half answered);
* baseline: ``/bench/trivial/`` of bench/urls.py, a tiny template rendered through the same
  middleware and context processors.

Timing: each round times a batch of trivial requests right before a batch of the measured
request (each batch about ``BATCH_SECONDS`` long), so both see the same machine; the figure
is the median over rounds of the ratio of the two batches' mean times. Times are the CPU
time of this process: the requests run in this one thread against an in-process SQLite
database, so that is the time they cost, and other work on a shared machine does not
blur it. Best-of times in milliseconds are printed for scale only.

Queries: one request inside ``CaptureQueriesContext`` on cold caches (the cache framework and
the per-process criteria emptied first), for the small and the default questionnaire; the
goal is that they are equal.

Run from the repository root: ``.venv/bin/python bench/respond.py``; ``--profile respond``
(or ``autosave``) prints a cProfile of that request instead of timing. The last line
printed is one line of JSON; the exit status is 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import batch_seconds, calls_for, widest_scope

sys.dont_write_bytecode = True  # the project's modules load later: no __pycache__ in the repo
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# respond_first has no goal: the respond page after a restart, printed for information.
GOALS: dict[str, float | None] = {"respond": 15, "autosave": 5, "respond_first": None}
CPU = time.process_time  # this process's CPU time: see the docstring
HTMX = {"HX-Request": "true"}


def configure_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DJANGO_SECRET_KEY"] = "bench-" + secrets.token_urlsafe(48)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"
    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise, no STATIC_ROOT
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0, interactive=False)
    override_settings(ROOT_URLCONF="bench.urls").enable()


# The data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HalfAnsweredRound:
    """An open round, half answered by the member, and one autosave to repeat on it."""

    round_pk: int
    questions: int
    answered: int
    autosave: dict[str, str]


def half_answered_round(*, team, member, manager, version) -> HalfAnsweredRound:
    """Open a round on ``version`` and answer every other visible question (first option)."""
    from assessment.answering import AnswerInput, answers_save, visible_question_pks
    from assessment.criteria.loading import round_criteria
    from assessment.rounds import round_open

    assessment_round = round_open(
        team=team,
        version=version,
        title=f"Bench v{version.pk}",
        opened_by=manager,
        **widest_scope(version),
    )
    criteria = round_criteria(assessment_round)
    questions = {q.pk: q for p in criteria.practices for q in p.questions}
    visible = visible_question_pks(criteria, {})
    ordered = [pk for pk in questions if pk in visible]
    chosen = ordered[::2]
    answers_save(
        assessment_round=assessment_round,
        respondent=member,
        answers=[
            AnswerInput(question_pk=pk, option_pk=questions[pk].options[0].pk, comment=None)
            for pk in chosen
        ],
    )
    # Autosave an answered question that no other question depends on, so repeating it
    # changes nothing: the page stays half answered for every request.
    target = next(pk for pk in chosen if pk not in criteria.conditions)
    return HalfAnsweredRound(
        round_pk=assessment_round.pk,
        questions=len(questions),
        answered=len(chosen),
        autosave={f"q-{target}": str(questions[target].options[0].pk)},
    )


def build_data() -> tuple[Any, HalfAnsweredRound, HalfAnsweredRound]:
    from django.contrib.auth import get_user_model

    from assessment.criteria.document import DEFAULT_QUESTIONNAIRE
    from assessment.criteria.lifecycle import questionnaire_import, questionnaire_import_file
    from assessment.models import Membership, Organization, Team
    from tests.criteria_data import small_document

    organization = Organization.objects.create(name="Bench", slug="bench")
    team = Team.objects.create(organization=organization, name="Bench team", slug="bench-team")
    users = get_user_model().objects
    member = users.create_user(username="bench-member", first_name="Mia", last_name="Bench")
    manager = users.create_user(username="bench-manager")
    Membership.objects.create(user=member, team=team, role=Membership.Role.MEMBER)
    Membership.objects.create(user=manager, team=team, role=Membership.Role.MANAGER)
    large = questionnaire_import_file(path=DEFAULT_QUESTIONNAIRE).version
    small = questionnaire_import(data=small_document()).version
    return (
        member,
        half_answered_round(team=team, member=member, manager=manager, version=small),
        half_answered_round(team=team, member=member, manager=manager, version=large),
    )


# Measuring --------------------------------------------------------------------------------


@dataclass
class Request:
    name: str
    send: Callable[[], Any]
    per_batch: int = 1

    def fetch(self) -> int:
        """One request; returns the body's size."""
        response = self.send()
        if response.status_code != 200:
            raise RuntimeError(f"{self.name} answered {response.status_code}")
        return len(response.content)


def query_count(request: Request) -> int:
    """Queries of one request on cold caches, as the first request after a restart."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessment.criteria.loading import _published_criteria

    cache.clear()
    _published_criteria.cache_clear()
    with CaptureQueriesContext(connection) as captured:
        request.fetch()
    return len(captured)


def requests_for(client, target: HalfAnsweredRound) -> tuple[Request, Request, Request]:
    from django.core.cache import cache
    from django.urls import reverse

    respond_url = reverse("assessment:respond", args=[target.round_pk])
    save_url = reverse("assessment:answer_save", args=[target.round_pk])

    def respond_first():
        cache.clear()
        return client.get(respond_url)

    return (
        Request("respond", lambda: client.get(respond_url)),
        Request("autosave", lambda: client.post(save_url, target.autosave, headers=HTMX)),
        Request("respond_first", respond_first),
    )


def profile(request: Request) -> None:
    request.fetch()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(max(3, request.per_batch)):
        request.fetch()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


def run(args: argparse.Namespace) -> int:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    member, small, large = build_data()
    client = Client()
    client.force_login(member)
    trivial_url = reverse("bench-trivial")
    trivial = Request("trivial", lambda: client.get(trivial_url))
    small_respond, small_autosave, _ = requests_for(client, small)
    respond, autosave, respond_first = requests_for(client, large)
    measured = [respond, autosave, respond_first]
    print(
        f"data: {connection.vendor}; default questionnaire {large.questions} questions, "
        f"{large.answered} answered; small questionnaire {small.questions} questions, "
        f"{small.answered} answered"
    )

    for request in (trivial, *measured, small_respond, small_autosave):
        request.fetch()  # warm: frozen criteria, templates, the response row
    if args.profile:
        profile(next(r for r in measured if r.name == args.profile))
        return 0
    queries = {
        "respond": (query_count(small_respond), query_count(respond)),
        "autosave": (query_count(small_autosave), query_count(autosave)),
        "respond_first": (query_count(small_respond), query_count(respond)),
        "trivial": (query_count(trivial),) * 2,
    }
    trivial.per_batch = calls_for(trivial.fetch, CPU)
    for request in measured:
        request.per_batch = calls_for(request.fetch, CPU)

    ratios: dict[str, list[float]] = {request.name: [] for request in measured}
    best_ms = {request.name: float("inf") for request in (trivial, *measured)}
    for _ in range(args.rounds):
        for request in measured:
            base = batch_seconds(trivial.fetch, trivial.per_batch, CPU)
            seconds = batch_seconds(request.fetch, request.per_batch, CPU)
            ratios[request.name].append(seconds / base)
            best_ms[request.name] = min(best_ms[request.name], seconds * 1000)
            best_ms["trivial"] = min(best_ms["trivial"], base * 1000)

    figures: dict[str, Any] = {"trivial": {"ms": round(best_ms["trivial"], 3)}}
    missed = []
    print(f"{'request':<13} {'ratio':>7} {'goal':>6} {'best ms':>9} {'queries small/default':>22}")
    print(f"{'trivial':<13} {'':>7} {'':>6} {best_ms['trivial']:>9.2f} {queries['trivial'][0]:>22}")
    for request in measured:
        ratio = statistics.median(ratios[request.name])
        goal = GOALS[request.name]
        small_queries, large_queries = queries[request.name]
        shown_goal = f"{goal:>5g}x" if goal is not None else f"{'–':>6}"
        print(
            f"{request.name:<13} {ratio:>6.1f}x {shown_goal} {best_ms[request.name]:>9.2f} "
            f"{f'{small_queries}/{large_queries}':>22}"
        )
        figures[request.name] = {
            "ratio": round(ratio, 1),
            "goal": goal,
            "ms": round(best_ms[request.name], 2),
            "queries_small": small_queries,
            "queries_default": large_queries,
            "queries_goal": "small == default",
        }
        if goal is not None and ratio > goal:
            missed.append(request.name)
        if small_queries != large_queries:
            missed.append(f"{request.name} queries")
    print(
        f"ratio: median over {args.rounds} rounds of (batch / trivial batch just before it), "
        "CPU time; queries: one request, session and user included"
    )
    if missed:
        print(f"missed: {', '.join(missed)}")
    print(json.dumps({"database": connection.vendor, **figures, "missed": missed}))
    return 1 if missed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved batches per request")
    parser.add_argument("--profile", choices=sorted(GOALS), help="cProfile one request and stop")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="readiness-bench-") as directory:
        configure_django(f"sqlite:///{directory}/bench.sqlite3")
        try:
            return run(args)
        finally:
            from django.db import connections

            connections.close_all()


if __name__ == "__main__":
    sys.exit(main())
