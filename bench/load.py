"""Does autosave keep up under load, and does every acknowledged answer reach the database?

Starts gunicorn (2 sync workers, production settings: ``DEBUG`` off, HTTPS-only cookies,
WhiteNoise's manifest storage after ``collectstatic`` into a temporary ``STATIC_ROOT``, the
cache in Redis at 127.0.0.1:6379 under a key prefix of the run's own) on a scratch
PostgreSQL database ``readiness_load`` at 127.0.0.1:5432, holding the default
questionnaire, one organization, 5 teams with an open round each, 10 respondents and a
manager per team, and 5 members per team who have already submitted (so the live reports
have something to show). Clients are stdlib threads (``http.client``), one connection per
request (gunicorn's sync workers close each connection), each carrying its own session
cookie, the CSRF cookie and token it got from the respond page, ``X-Forwarded-Proto:
https`` (the app sits behind a TLS proxy in production) and a same-origin ``Referer``.

* phase A, the baseline: the same 55 clients fetch ``/bench/trivial/`` (a tiny template
  through the same middleware, mounted by bench/wsgi.py) as fast as they can;
* phase B, for ``--duration`` seconds (default 60): 50 respondents autosave a random
  option of a random question (the htmx ``POST`` the respond page sends), and 5 managers
  read their team's live report, each client in a closed loop without pauses.

The machine is shared, so the phases alternate: A, B, A, B, ..., A, with B cut into
``--slices`` slices (default one per 10 s) and A (``--baseline`` seconds in all, default a
third of B) into one more; each slice ends when its last request has been answered.

Each respondent remembers, per question, the option the server last acknowledged with a
200. Afterwards every acknowledged answer must be in the database with that option: one
that is not is lost. (A question whose last attempt failed without an answer may hold
either option and is counted apart.) Latencies are from sending a request to reading its
last byte, so they include the wait in gunicorn's queue. Goals: no errors, no lost answer,
autosave p95 under 300 ms. The autosaves per second of phase B over the trivial pages per
second of phase A are printed, with no goal.

Everything talks to 127.0.0.1 only; every request has a timeout, the run as a whole an
alarm; gunicorn is stopped and the database dropped whatever happens.

Run from the repository root: ``.venv/bin/python bench/load.py`` (``--duration 5`` for a
smoke test; ``--workers 4`` to try another worker count). The last line printed is one
line of JSON; the exit status is 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from common import scratch_postgres, widest_scope

sys.dont_write_bytecode = True  # the project's modules load later: no __pycache__ in the repo
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
PG_DATABASE = "readiness_load"
TEAMS = 5
RESPONDENTS_PER_TEAM = 10
SUBMITTED_PER_TEAM = 5
WORKERS = 2
REQUEST_TIMEOUT = 30.0
SEED = 20260129

GOAL_ERRORS = 0
GOAL_LOST = 0
GOAL_AUTOSAVE_P95_MS = 300
REDIS_URL = "redis://127.0.0.1:6379/0"
CSRF_IN_PAGE = re.compile(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'")


# Database and server ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def production_environment(database_url: str, port: int, static_root: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "load-" + secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{HOST}:{port}",
        "DJANGO_STATIC_ROOT": static_root,
        "DJANGO_LOG_LEVEL": "WARNING",
        # The production cache: Redis, under a prefix of this run's own.
        "DJANGO_REDIS_URL": REDIS_URL,
        "DJANGO_CACHE_KEY_PREFIX": f"load-{secrets.token_hex(4)}",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


@contextmanager
def gunicorn(
    environment: dict[str, str], port: int, log_path: Path, workers: int
) -> Iterator[None]:
    """gunicorn on 127.0.0.1:port until the block ends; its log is printed if it fails."""
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "bench.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--chdir",
        str(ROOT),
        "--error-logfile",
        str(log_path),
    ]
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            command, env={**os.environ, **environment}, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{log_path.read_text()[-3000:]}")
            try:
                call(port, "GET", "/bench/trivial/", {"X-Forwarded-Proto": "https"}, timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not answer within 60 s") from None
                time.sleep(0.2)
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# HTTP -------------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    body: bytes
    cookies: SimpleCookie


def call(
    port: int,
    method: str,
    path: str,
    headers: dict[str, str],
    body: str | None = None,
    timeout: float = REQUEST_TIMEOUT,
) -> Reply:
    """One request on a new connection (gunicorn's sync workers close it after a reply)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        return Reply(response.status, payload, cookies)
    finally:
        connection.close()


@dataclass
class Client:
    """A signed-in person: session (and CSRF) cookies set by hand, as they are Secure."""

    name: str
    session_key: str
    port: int
    csrf_cookie: str = ""
    csrf_token: str = ""

    def headers(self) -> dict[str, str]:
        cookie = f"sessionid={self.session_key}"
        if self.csrf_cookie:
            cookie += f"; csrftoken={self.csrf_cookie}"
        return {
            "Host": f"{HOST}:{self.port}",
            "X-Forwarded-Proto": "https",
            "Cookie": cookie,
        }

    def get(self, path: str) -> Reply:
        return call(self.port, "GET", path, self.headers())

    def post(self, path: str, fields: dict[str, str]) -> Reply:
        headers = {
            **self.headers(),
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://{HOST}:{self.port}/",
            "X-CSRFToken": self.csrf_token,
            "HX-Request": "true",
        }
        return call(self.port, "POST", path, headers, urlencode(fields))

    def fetch_csrf(self, path: str) -> None:
        """Open a page as a browser would, keeping the CSRF cookie and the page's token."""
        reply = self.get(path)
        if reply.status != 200:
            raise RuntimeError(f"{self.name}: {path} answered {reply.status}")
        if "csrftoken" in reply.cookies:
            self.csrf_cookie = reply.cookies["csrftoken"].value
        match = CSRF_IN_PAGE.search(reply.body.decode())
        if match is None or not self.csrf_cookie:
            raise RuntimeError(f"{self.name}: no CSRF cookie or token on {path}")
        self.csrf_token = match.group(1)


# The data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Respondent:
    user_pk: int
    round_pk: int
    session_key: str
    options: dict[int, tuple[int, ...]]  # question pk -> its option pks


@dataclass(frozen=True)
class Manager:
    round_pk: int
    session_key: str


def session_for(user) -> str:
    """A database session signed in as the user, as the login view would create it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "assessment.backends.PasswordBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def build_data() -> tuple[list[Respondent], list[Manager]]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from assessment.answering import AnswerInput, answers_save
    from assessment.criteria.document import DEFAULT_QUESTIONNAIRE
    from assessment.criteria.lifecycle import questionnaire_import_file
    from assessment.criteria.loading import criteria_for
    from assessment.models import Membership, Organization, Team
    from assessment.rounds import response_submit, round_open
    from assessment.scoring import Scope

    rng = random.Random(SEED)
    version = questionnaire_import_file(path=DEFAULT_QUESTIONNAIRE).version
    scope = widest_scope(version)
    criteria = criteria_for(version, Scope(scope.get("system_kind"), scope.get("risk_tier")))
    options = {
        question.pk: tuple(option.pk for option in question.options)
        for practice in criteria.practices
        for question in practice.questions
    }
    user_model = get_user_model()
    organization = Organization.objects.create(name="Load test", slug="load-test")
    respondents, managers = [], []
    for t in range(TEAMS):
        team = Team.objects.create(organization=organization, name=f"Team {t}", slug=f"team-{t}")
        people = user_model.objects.bulk_create(
            [
                user_model(username=f"t{t}-person-{i}", password=make_password(None))
                for i in range(1 + RESPONDENTS_PER_TEAM + SUBMITTED_PER_TEAM)
            ]
        )
        manager, answering, done = (
            people[0],
            people[1 : 1 + RESPONDENTS_PER_TEAM],
            people[1 + RESPONDENTS_PER_TEAM :],
        )
        Membership.objects.bulk_create(
            [Membership(user=manager, team=team, role=Membership.Role.MANAGER)]
            + [Membership(user=u, team=team) for u in answering + done]
        )
        assessment_round = round_open(
            team=team,
            version=version,
            title="Load test round",
            opened_by=manager,
            **scope,
        )
        for user in done:
            answers_save(
                assessment_round=assessment_round,
                respondent=user,
                answers=[
                    AnswerInput(question_pk=pk, option_pk=rng.choice(choices), comment=None)
                    for pk, choices in options.items()
                ],
            )
            response_submit(assessment_round=assessment_round, respondent=user)
        managers.append(Manager(assessment_round.pk, session_for(manager)))
        respondents += [
            Respondent(user.pk, assessment_round.pk, session_for(user), options)
            for user in answering
        ]
    return respondents, managers


# Load -------------------------------------------------------------------------------------


@dataclass
class Tally:
    """What one client saw: latencies of replies with the expected status, and errors."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, Counter] = field(default_factory=dict)

    def timed(self, endpoint: str, expected: int, send: Callable[[], Reply]) -> Reply | None:
        start = time.perf_counter()
        try:
            reply = send()
        except OSError as error:  # refused, reset, timed out
            self.errors.setdefault(endpoint, Counter())[type(error).__name__] += 1
            return None
        if reply.status != expected:
            self.errors.setdefault(endpoint, Counter())[f"HTTP {reply.status}"] += 1
            return reply
        self.latencies.setdefault(endpoint, []).append(time.perf_counter() - start)
        return reply

    def merge(self, other: Tally) -> None:
        for endpoint, values in other.latencies.items():
            self.latencies.setdefault(endpoint, []).extend(values)
        for endpoint, counts in other.errors.items():
            self.errors.setdefault(endpoint, Counter()).update(counts)


@dataclass
class Saves:
    """Per question, the option last acknowledged, and the questions left in doubt."""

    acknowledged: dict[int, int] = field(default_factory=dict)
    doubtful: set[int] = field(default_factory=set)  # a later attempt got no answer


def run_clients(workers: list[Callable[[Tally], None]]) -> tuple[Tally, float]:
    """Run one thread per worker until they return; their tallies and the wall time."""
    tallies = [Tally() for _ in workers]
    threads = [
        threading.Thread(target=worker, args=(tally,), daemon=True)
        for worker, tally in zip(workers, tallies, strict=True)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return total, elapsed


def trivial_worker(client: Client, seconds: float) -> Callable[[Tally], None]:
    def work(tally: Tally) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            tally.timed("trivial", 200, partial(client.get, "/bench/trivial/"))

    return work


def autosave_worker(
    client: Client, respondent: Respondent, saves: Saves, seconds: float, rng: random.Random
) -> Callable[[Tally], None]:
    path = f"/rounds/{respondent.round_pk}/respond/save/"
    questions = sorted(respondent.options)

    def work(tally: Tally) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            question = rng.choice(questions)
            option = rng.choice(respondent.options[question])
            fields = {f"q-{question}": str(option), f"c-{question}": ""}
            reply = tally.timed("autosave", 200, partial(client.post, path, fields))
            if reply is not None and reply.status == 200:
                saves.acknowledged[question] = option
                saves.doubtful.discard(question)
            elif reply is None or reply.status >= 500:
                saves.doubtful.add(question)  # it may have been saved before it failed

    return work


def report_worker(client: Client, round_pk: int, seconds: float) -> Callable[[Tally], None]:
    path = f"/rounds/{round_pk}/report/"

    def work(tally: Tally) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            tally.timed("report", 200, partial(client.get, path))

    return work


def lost_answers(respondents: list[Respondent], saves: list[Saves]) -> tuple[int, int, int]:
    """(acknowledged answers checked, lost, in doubt) against the database."""
    from django.db import connections

    from assessment.models import Answer

    connections.close_all()  # a fresh connection sees everything the server committed
    checked = lost = doubtful = 0
    for respondent, saved in zip(respondents, saves, strict=True):
        stored = dict(
            Answer.objects.filter(
                response__round_id=respondent.round_pk,
                response__respondent_id=respondent.user_pk,
            ).values_list("question_id", "option_id")
        )
        for question, option in saved.acknowledged.items():
            checked += 1
            if stored.get(question) == option:
                continue
            if question in saved.doubtful:
                doubtful += 1
            else:
                lost += 1
    return checked, lost, doubtful


# Report -----------------------------------------------------------------------------------


def percentiles(values: list[float]) -> dict[str, float]:
    if len(values) < 2:
        only = values[0] * 1000 if values else float("nan")
        return {"p50": only, "p95": only, "p99": only}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of phase B")
    parser.add_argument(
        "--baseline", type=float, help="seconds of phase A in all "
        "(default: a third of --duration, at least 4)"
    )  # fmt: skip
    parser.add_argument(
        "--workers", type=int, default=WORKERS, help=f"gunicorn sync workers ({WORKERS})"
    )
    parser.add_argument(
        "--slices", type=int, help="phase B comes in this many slices, each between two "
        "slices of phase A (default: one per 10 s of --duration)"
    )  # fmt: skip
    args = parser.parse_args()
    baseline = args.baseline if args.baseline is not None else max(4.0, args.duration / 3)
    slices = args.slices or max(1, round(args.duration / 10))

    def alarm(signum: int, frame: Any) -> None:
        raise TimeoutError("the load bench ran out of time")

    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(int(600 + args.duration + baseline))  # setup, warm-up, phases, check
    try:
        return run(args.duration, baseline, slices, args.workers)
    finally:
        signal.alarm(0)


def run(duration: float, baseline: float, slices: int, workers: int) -> int:
    port = free_port()
    with (
        tempfile.TemporaryDirectory(prefix="readiness-load-") as directory,
        scratch_postgres(PG_DATABASE) as database_url,
    ):
        environment = production_environment(database_url, port, str(Path(directory) / "static"))
        os.environ.update(environment)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        respondents, managers = build_data()
        connections.close_all()
        print(
            f"data: default questionnaire ({len(respondents[0].options)} questions), "
            f"{TEAMS} teams, {len(respondents)} respondents, {len(managers)} managers, "
            f"{TEAMS * SUBMITTED_PER_TEAM} responses already submitted"
        )
        with gunicorn(environment, port, Path(directory) / "gunicorn.log", workers):
            return measure(port, respondents, managers, duration, baseline, slices, workers)


def measure(
    port: int,
    respondents: list[Respondent],
    managers: list[Manager],
    duration: float,
    baseline: float,
    slices: int,
    workers: int,
) -> int:
    answering = [Client(f"respondent {r.user_pk}", r.session_key, port) for r in respondents]
    reading = [Client(f"manager of round {m.round_pk}", m.session_key, port) for m in managers]
    for client, respondent in zip(answering, respondents, strict=True):
        client.fetch_csrf(f"/rounds/{respondent.round_pk}/respond/")
    for client, manager in zip(reading, managers, strict=True):
        client.fetch_csrf(f"/rounds/{manager.round_pk}/report/")  # also warms the report
    everyone = answering + reading
    saves = [Saves() for _ in respondents]
    choosers = [random.Random(SEED + index) for index in range(len(respondents))]

    def phase_a(seconds: float) -> tuple[Tally, float]:
        return run_clients([trivial_worker(client, seconds) for client in everyone])

    def phase_b(seconds: float) -> tuple[Tally, float]:
        return run_clients(
            [
                autosave_worker(client, respondent, saved, seconds, chooser)
                for client, respondent, saved, chooser in zip(
                    answering, respondents, saves, choosers, strict=True
                )
            ]
            + [
                report_worker(c, m.round_pk, seconds)
                for c, m in zip(reading, managers, strict=True)
            ]
        )

    # A, B, A, B, ..., A: each slice of B sits between two slices of A, so the baseline
    # sees the same machine as the load whatever else runs on it meanwhile.
    trivial, load = Tally(), Tally()
    trivial_seconds = load_seconds = 0.0
    a_tally, a_seconds = phase_a(baseline / (slices + 1))
    trivial.merge(a_tally)
    trivial_seconds += a_seconds
    slice_ratios = []
    for _ in range(slices):
        previous_rps = len(a_tally.latencies.get("trivial", [])) / a_seconds
        b_tally, b_seconds = phase_b(duration / slices)
        a_tally, a_seconds = phase_a(baseline / (slices + 1))
        load.merge(b_tally)
        load_seconds += b_seconds
        trivial.merge(a_tally)
        trivial_seconds += a_seconds
        around = (previous_rps + len(a_tally.latencies.get("trivial", [])) / a_seconds) / 2
        slice_ratios.append(len(b_tally.latencies.get("autosave", [])) / b_seconds / around)
    checked, lost, doubtful = lost_answers(respondents, saves)

    trivial_rps = len(trivial.latencies.get("trivial", [])) / trivial_seconds
    rps = {
        endpoint: len(load.latencies.get(endpoint, [])) / load_seconds
        for endpoint in ("autosave", "report")
    }
    ratio = rps["autosave"] / trivial_rps if trivial_rps else 0.0
    errors = {
        endpoint: dict(counts)
        for tally in (trivial, load)
        for endpoint, counts in tally.errors.items()
    }
    error_count = sum(sum(counts.values()) for counts in errors.values())

    print(
        f"server: gunicorn, {workers} sync workers, production settings, PostgreSQL; "
        f"clients: {len(answering)} respondents + {len(reading)} managers, closed loops"
    )
    print(
        f"phase A (trivial page): {slices + 1} x {baseline / (slices + 1):.1f} s; phase B "
        f"(autosave and reports): {slices} x {duration / slices:.1f} s, between them"
    )
    latency: dict[str, dict[str, float]] = {}
    print(f"{'endpoint':<10} {'requests':>9} {'rps':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for endpoint, tally, seconds in (
        ("trivial", trivial, trivial_seconds),
        ("autosave", load, load_seconds),
        ("report", load, load_seconds),
    ):
        values = tally.latencies.get(endpoint, [])
        latency[endpoint] = percentiles(values)
        print(
            f"{endpoint:<10} {len(values):>9} {len(values) / seconds:>8.1f} "
            + " ".join(f"{latency[endpoint][p]:>8.1f}" for p in ("p50", "p95", "p99"))
        )
    print(f"errors: {error_count} {errors if errors else ''}".rstrip())
    print(
        f"acknowledged answers checked: {checked}; lost: {lost}; in doubt (last attempt "
        f"failed): {doubtful}"
    )
    print(
        f"autosave / trivial throughput: {ratio:.2f} (no goal); per slice of "
        f"B against the A slices around it: {', '.join(f'{r:.2f}' for r in slice_ratios)}"
    )
    autosave_p95 = latency["autosave"]["p95"]
    print(f"autosave p95: {autosave_p95:.0f} ms (goal under {GOAL_AUTOSAVE_P95_MS} ms)")

    missed = []
    if error_count > GOAL_ERRORS:
        missed.append("errors")
    if lost > GOAL_LOST:
        missed.append("lost")
    if autosave_p95 >= GOAL_AUTOSAVE_P95_MS:
        missed.append("autosave_p95")
    if missed:
        print(f"missed: {', '.join(missed)}")
    print(
        json.dumps(
            {
                "duration_s": duration,
                "workers": workers,
                "baseline_s": baseline,
                "slices": slices,
                "trivial_rps": round(trivial_rps, 1),
                "autosave_rps": round(rps["autosave"], 1),
                "report_rps": round(rps["report"], 1),
                "throughput_ratio": round(ratio, 3),
                "autosave_p95_ms": round(autosave_p95, 1),
                "goal_autosave_p95_ms": GOAL_AUTOSAVE_P95_MS,
                "errors": error_count,
                "goal_errors": GOAL_ERRORS,
                "lost": lost,
                "goal_lost": GOAL_LOST,
                "checked": checked,
                "in_doubt": doubtful,
                "latency_ms": {
                    endpoint: {p: round(v, 1) for p, v in values.items()}
                    for endpoint, values in latency.items()
                },
                "missed": missed,
            }
        )
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
