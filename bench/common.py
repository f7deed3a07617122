"""What the bench scripts share: a scratch PostgreSQL database and batch timing.

The scripts run as ``.venv/bin/python bench/<name>.py``, so this folder is on the path and
they import it as ``common``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
BATCH_SECONDS = 0.15  # long enough to time, short enough that a batch and its baseline
# see the same machine


@contextmanager
def scratch_postgres(name: str) -> Iterator[str]:
    """A new PostgreSQL database ``name`` at 127.0.0.1 for the block, dropped after it."""
    import psycopg

    def admin(statement: str) -> None:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(statement)

    admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin(f"CREATE DATABASE {name}")
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def batch_seconds(
    fetch: Callable[[], int], count: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    """Mean seconds per request over ``count`` requests in a row, by ``clock``."""
    start = clock()
    for _ in range(count):
        fetch()
    return (clock() - start) / count


def calls_for(fetch: Callable[[], int], clock: Callable[[], float] = time.perf_counter) -> int:
    """How many requests make a batch of about BATCH_SECONDS."""
    one = min(batch_seconds(fetch, 1, clock) for _ in range(3))
    return max(1, round(BATCH_SECONDS / one))


def widest_scope(version) -> dict[str, str]:
    """``round_open`` keyword arguments for the scope whose respondents see the most
    questions (its highest risk tier), so a bench measures the heaviest round; nothing for a
    version without scopes."""
    from assessment.criteria.loading import criteria_for
    from assessment.scoring import Scope

    if not version.scoped:
        return {}
    tier = version.tiers[-1]["key"]

    def asked(kind: str) -> int:
        return len(criteria_for(version, Scope(kind, tier)).question_keys)

    kind = max((item["key"] for item in version.kinds), key=asked)
    return {"system_name": "Bench system", "system_kind": kind, "risk_tier": tier}
