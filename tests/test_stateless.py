"""App servers keep nothing that can go stale: what staff change in the admin shows on the
next request, in the process that took the change and in any other.

Published criteria are kept per process (they never change), but the comparison's
dimensions are renamed and reordered by staff: their names and order are read on every
request. The second test runs two gunicorn instances on this test run's database and one
Redis, edits through one and reads through the other.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessment.models import Option, Question
from assessment.rounds import round_open
from comparisons.models import Dimension
from tests.answering import answer_and_submit
from tests.factories import MembershipFactory, UserFactory
from tests.html_forms import form_fields

ROOT = Path(__file__).resolve().parents[1]
NEW_NAME = "Behaviour over time"  # sorts before "Outcomes", so order 0 puts it first
REDIS = ("127.0.0.1", 6379)


def rename_and_move_first(client, dimension: Dimension) -> None:
    """Rename the dimension and give it order 0, through the admin's change form."""
    url = reverse("admin:comparisons_dimension_change", args=[dimension.pk])
    fields = form_fields(client.get(url).content.decode(), "dimension_form")
    fields.update(name=NEW_NAME, order="0")
    response = client.post(url, fields)
    assert response.status_code == 302, response.content[:2000]


def headings_in_order(html: str, names: list[str]) -> list[str]:
    return sorted((name for name in names if name in html), key=html.index)


@pytest.fixture
def scene(team, manager, member, small_version):
    """A round with one submitted answer, an open respond page for a second member, and a
    staff user to edit the comparison."""
    assessment_round = round_open(
        team=team, version=small_version, title="2026 Q4", opened_by=manager
    )
    answer_and_submit(assessment_round, MembershipFactory(team=team).user)
    staff = UserFactory(username="staffer", is_staff=True, is_superuser=True)
    return assessment_round, staff


@pytest.mark.django_db
def test_a_renamed_and_reordered_dimension_shows_on_the_next_request(client, scene, member):
    assessment_round, staff = scene
    respond = reverse("assessment:respond", args=[assessment_round.pk])
    report = reverse("assessment:report", args=[assessment_round.pk])
    manager = assessment_round.team.memberships.get(role="manager").user
    client.force_login(member)
    before = client.get(respond).content.decode()  # the criteria are now kept in-process
    client.force_login(staff)

    rename_and_move_first(client, Dimension.objects.get(slug="stability"))

    client.force_login(member)
    after = client.get(respond).content.decode()
    client.force_login(manager)
    live_report = client.get(report).content.decode()
    names = [NEW_NAME, "Outcomes", "Governance"]
    assert "Stability" in before
    assert NEW_NAME not in before
    assert headings_in_order(after, names) == names
    assert headings_in_order(live_report, names) == names
    assert "Stability" not in after


# Two app servers --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_is_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


def database_url() -> str:
    """This test run's database, as the gunicorn instances must open it."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    user, host, port = database["USER"], database["HOST"] or "127.0.0.1", database["PORT"]
    return f"postgres://{user}@{host}:{port or 5432}/{database['NAME']}"


class Instance:
    """One gunicorn instance, spoken to over HTTP with a session cookie of its own."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def sign_in(self, user) -> None:
        # Sessions live in the database, so one created here is valid on every instance.
        session = Client()
        session.force_login(user)
        self.cookies = {"sessionid": session.cookies["sessionid"].value}

    def request(self, method: str, path: str, body: dict | None = None):
        connection_ = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection_.request(method, path, body=data, headers=headers)
        response = connection_.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            self.cookies.update({key: morsel.value for key, morsel in cookie.items()})
        connection_.close()
        response.content = content
        response.status_code = response.status
        return response

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, fields: dict):
        return self.request("POST", path, fields)


@contextmanager
def gunicorn(port: int, prefix: str) -> Iterator[Instance]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "true",  # the development secret key, as this test run signs with
        "DATABASE_URL": database_url(),
        "DJANGO_REDIS_URL": f"redis://{REDIS[0]}:{REDIS[1]}/0",
        "DJANGO_CACHE_KEY_PREFIX": prefix,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.stderr.read().decode()) from None
                time.sleep(0.1)
        yield Instance(port)
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stderr.close()


@pytest.mark.skipif(not redis_is_up(), reason="needs Redis at 127.0.0.1:6379")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_app_servers_on_one_database_and_one_redis_show_each_others_changes(scene, member):
    assessment_round, staff = scene
    manager = assessment_round.team.memberships.get(role="manager").user
    respond = reverse("assessment:respond", args=[assessment_round.pk])
    report = reverse("assessment:report", args=[assessment_round.pk])
    question = Question.objects.get(version=assessment_round.version, key="reviews")
    option = Option.objects.get(question=question, key="all")
    prefix = f"test-{secrets.token_hex(4)}"
    connection.close()  # the servers and this test share the database file on SQLite

    with gunicorn(free_port(), prefix) as one, gunicorn(free_port(), prefix) as other:
        other.sign_in(member)
        before = other.get(respond).content.decode()  # the other keeps the criteria now
        one.sign_in(staff)
        rename_and_move_first(one, Dimension.objects.get(slug="stability"))
        one.sign_in(member)
        one.get(respond)  # the CSRF cookie and token of a respond page
        saved = one.post(
            reverse("assessment:answer_save", args=[assessment_round.pk]),
            {f"q-{question.pk}": option.pk, "csrfmiddlewaretoken": one.cookies["csrftoken"]},
        )

        after = other.get(respond).content.decode()
        other.sign_in(manager)
        live_report = other.get(report).content.decode()

    names = [NEW_NAME, "Outcomes", "Governance"]
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")  # tests: no Redis
    assert "Stability" in before and NEW_NAME not in before
    assert saved.status_code == 302  # no htmx header: the beacon's redirect
    assert headings_in_order(after, names) == names
    assert f'value="{option.pk}" checked' in after
    assert headings_in_order(live_report, names) == names
