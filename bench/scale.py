"""How do the costs grow with the organization? Ten times the data should cost at most
about ten times the time, the same number of queries, and an export must stream.

Builds, in a throwaway database, the 60-question questionnaire of bench/reports.py and:

* dashboards of 10, 100 and 1,000 teams, each team with 2 closed rounds of 3 respondents
  (closed through ``rounds.round_close``, which stores each snapshot);
* answers CSVs of closed rounds with 10, 1,000 and 100,000 submitted responses (about 57
  answers each, inserted with ``bulk_create``).

Figures:

* queries of each page and export on cold caches (the cache framework and the
  per-process criteria emptied first): the goal is the same count at every size;
* the dashboard's time, first view (its cached board emptied before each request) and
  cached, of 1,000 teams against 100 teams: the goal is at most 12x for the first view;
* the 100,000-response CSV streamed to the last byte: the peak growth of this process's
  resident memory while it streams (sampled every 5 ms from /proc/self/statm), against a
  goal of under 100 MB, and its time per row for scale.

Timing is wall-clock, best of several requests. Run from the repository root:
``.venv/bin/python bench/scale.py`` (SQLite in a temporary directory) or with
``--postgres`` (a scratch database ``readiness_scale`` on 127.0.0.1:5432). Building the
data takes a few minutes. The last line printed is one line of JSON; the exit status is 1
when a goal is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from common import scratch_postgres
from reports import (
    SEED,
    closed_quarters,
    configure_django,
    questionnaire_document,
    responses_in_bulk,
    scratch_database,
    team_create,
    users_create,
)

sys.dont_write_bytecode = True
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEAM_SIZES = (10, 100, 1000)
ROUNDS_PER_TEAM = 2
RESPONDENTS_PER_ROUND = 3
CSV_SIZES = (10, 1000, 100_000)
DASHBOARD_SCALE_GOAL = 12  # 1,000 teams against 100
MEMORY_GOAL_MB = 100
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE


class PeakMemory:
    """The highest resident memory of this process while the block runs, sampled."""

    def __init__(self) -> None:
        self.start = resident_bytes()
        self.peak = self.start
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.wait(0.005):
            self.peak = max(self.peak, resident_bytes())

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, resident_bytes())

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start) / 1e6


def build_dashboards(version, manager, rng) -> dict[int, str]:
    """An organization per size; returns size -> organization slug."""
    from assessment.models import Organization

    slugs = {}
    for size in TEAM_SIZES:
        organization = Organization.objects.create(name=f"Scale {size}", slug=f"scale-{size}")
        organization.leads.add(manager)
        members = users_create(f"m{size}", size * RESPONDENTS_PER_ROUND)
        teams = []
        for t in range(size):
            team_members = members[t * RESPONDENTS_PER_ROUND : (t + 1) * RESPONDENTS_PER_ROUND]
            teams.append(
                (
                    team_create(organization, f"Team {size}-{t:04d}", team_members, None),
                    team_members,
                )
            )
        closed_quarters(teams, version, manager, 2026, ROUNDS_PER_TEAM, rng)
        slugs[size] = organization.slug
    return slugs


def build_exports(version, manager, rng) -> dict[int, int]:
    """A closed round per size; returns size -> round pk."""
    from assessment.models import Organization
    from assessment.rounds import round_close, round_open

    organization = Organization.objects.create(name="Scale exports", slug="scale-exports")
    rounds = {}
    for size in CSV_SIZES:
        crowd = users_create(f"c{size}", size)
        team = team_create(organization, f"Crowd {size}", crowd, manager)
        assessment_round = round_open(team=team, version=version, title="Census", opened_by=manager)
        responses_in_bulk([(assessment_round, crowd)], rng)
        rounds[size] = round_close(assessment_round=assessment_round).pk
    return rounds


def cold_queries(fetch: Callable[[], object]) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessment.criteria.loading import _published_criteria

    cache.clear()
    _published_criteria.cache_clear()
    with CaptureQueriesContext(connection) as captured:
        fetch()
    return len(captured)


def best_seconds(fetch: Callable[[], object], repeat: int, before: Callable | None = None) -> float:
    best = float("inf")
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        fetch()
        best = min(best, time.perf_counter() - started)
    return best


def run(args: argparse.Namespace) -> int:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from assessment.criteria.lifecycle import questionnaire_import
    from assessment.models import Answer

    started = time.perf_counter()
    rng = random.Random(SEED)
    version = questionnaire_import(data=questionnaire_document()).version
    manager = get_user_model().objects.create_user("scale-manager")
    slugs = build_dashboards(version, manager, rng)
    exports = build_exports(version, manager, rng)
    print(f"data: {connection.vendor}; built in {time.perf_counter() - started:.0f} s")
    client = Client()
    client.force_login(manager)

    def get(url: str) -> Callable[[], int]:
        def fetch() -> int:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            if response.streaming:
                return sum(len(chunk) for chunk in response.streaming_content)
            return len(response.content)

        return fetch

    dashboards = {size: get(reverse("assessment:dashboard", args=[slugs[size]])) for size in slugs}
    csvs = {size: get(reverse("assessment:answers_csv", args=[exports[size]])) for size in exports}
    missed = []

    dashboard_queries = {size: cold_queries(fetch) for size, fetch in dashboards.items()}
    first = {size: best_seconds(fetch, 5, before=cache.clear) for size, fetch in dashboards.items()}
    cached = {size: best_seconds(fetch, 10) for size, fetch in dashboards.items()}
    scale_first = first[1000] / first[100]
    scale_cached = cached[1000] / cached[100]
    for size in TEAM_SIZES:
        print(
            f"dashboard {size:>5} teams: {dashboard_queries[size]} queries cold, first view "
            f"{first[size] * 1000:.1f} ms, cached {cached[size] * 1000:.1f} ms"
        )
    print(
        f"dashboard 1,000 teams / 100 teams: first view {scale_first:.1f}x "
        f"(goal {DASHBOARD_SCALE_GOAL}x), cached {scale_cached:.1f}x"
    )
    if len(set(dashboard_queries.values())) != 1:
        missed.append("dashboard queries")
    if scale_first > DASHBOARD_SCALE_GOAL:
        missed.append("dashboard scale")

    csv_queries = {size: cold_queries(fetch) for size, fetch in csvs.items() if size < 100_000}
    with PeakMemory() as memory:
        started = time.perf_counter()
        csv_queries[100_000] = cold_queries(csvs[100_000])
        seconds = time.perf_counter() - started
    rows = Answer.objects.filter(response__round_id=exports[100_000]).count()
    for size in CSV_SIZES:
        print(f"answers CSV {size:>7,} responses: {csv_queries[size]} queries cold")
    print(
        f"answers CSV of 100,000 responses: {rows:,} answers streamed in {seconds:.1f} s "
        f"({seconds / rows * 1e6:.1f} µs per answer); peak memory growth "
        f"{memory.growth_mb:.1f} MB (goal under {MEMORY_GOAL_MB} MB)"
    )
    if len(set(csv_queries.values())) != 1:
        missed.append("answers CSV queries")
    if memory.growth_mb >= MEMORY_GOAL_MB:
        missed.append("answers CSV memory")

    if missed:
        print(f"missed: {', '.join(missed)}")
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "dashboard": {
                    "queries": dashboard_queries,
                    "first_ms": {size: round(s * 1000, 1) for size, s in first.items()},
                    "cached_ms": {size: round(s * 1000, 1) for size, s in cached.items()},
                    "scale_first": round(scale_first, 1),
                    "scale_cached": round(scale_cached, 1),
                    "scale_goal": DASHBOARD_SCALE_GOAL,
                },
                "answers_csv": {
                    "queries": csv_queries,
                    "rows_100k": rows,
                    "seconds_100k": round(seconds, 1),
                    "memory_growth_mb": round(memory.growth_mb, 1),
                    "memory_goal_mb": MEMORY_GOAL_MB,
                },
                "missed": missed,
            }
        )
    )
    return 1 if missed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="use a scratch PostgreSQL")
    args = parser.parse_args()
    if args.postgres:
        with scratch_postgres("readiness_scale") as database_url:
            configure_django(database_url)
            return run(args)
    with scratch_database(False) as database_url:
        configure_django(database_url)
        return run(args)


if __name__ == "__main__":
    sys.exit(main())
