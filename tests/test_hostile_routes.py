"""Every route the URL resolver lists, the admin's included, answers hostile ids, query
strings and bodies with something other than a 500, on SQLite and on PostgreSQL.

The routes come from the resolver, as in tests/test_access.py, so a new route is covered
without anyone adding it here. Each parameter of each route gets, in turn, ids no
database column holds (words, signs, 19 and 41 digits, a NUL, non-ASCII digits), while
the others keep a real value; each URL is fetched and posted to, by a superuser (who
reaches every page) and, outside the admin, a team member (who reaches the answering
pages).
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import got_request_exception
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

from assessment.models import Team
from assessment.rounds import round_close, round_open
from assessment.urls import DatabaseId
from tests.answering import answer_and_submit

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    name: str
    template: str  # "/rounds/%(round_pk)s/report/": what ``reverse`` fills in
    params: tuple[str, ...]
    model: type | None  # the admin's model, for a real id


def admin_model(callback) -> type | None:
    model_admin = getattr(callback, "model_admin", None)  # Django's own admin views
    if model_admin is None:  # views a ModelAdmin adds through admin_site.admin_view
        model_admin = getattr(getattr(callback, "__wrapped__", None), "__self__", None)
    return getattr(model_admin, "model", None)


def every_route(patterns=None, prefixes=(("/", ()),), namespace: str = "") -> Iterator[Route]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        regex = pattern.pattern.regex.pattern.removeprefix("^")
        forms = [
            (prefix + template, (*params, *more))
            for prefix, params in prefixes
            for template, more in normalize(regex)
        ]
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from every_route(pattern.url_patterns, forms, inner)
        else:
            for template, params in forms:
                name = f"{namespace}{pattern.name or template}"
                yield Route(name, template, tuple(params), admin_model(pattern.callback))


ROUTES = list(every_route())

HOSTILE_IDS = (
    "abc",
    "-1",
    "1.5",
    "9223372036854775808",  # 2**63: one more than a 64-bit column holds
    "1" + "0" * 40,
    "%00",
    "%D9%A1%D9%A2",  # Arabic-Indic digits, which int() reads
    "1%0A",
)
HOSTILE_QUERIES = (  # one at a time: the first refused parameter can hide the others
    {"q": "\x00"},  # the admin's search
    {"q": "x" * 10_000},
    {"p": "abc", "o": "abc.-x"},  # page and ordering
    {"id__exact": "abc", "all": ""},  # a list filter
    {"pk__in": "9223372036854775808"},
    {"_changelist_filters": "\x00", "_popup": "1", "_to_field": "id"},
    {"sort": "\x00", "dimension": "\x00", "discipline": "9223372036854775808"},  # dashboard
    {"next": "//evil.example/", "app_label": "\x00", "model_name": "x", "field_name": "x"},
)


def hostile_body() -> dict:
    """Fields of every form in the app, and the admin's, with values none of them takes."""
    return {
        "title": "\x00" + "x" * 300,
        "version": "9223372036854775808",
        "due_on": "99999-99-99",
        "q-1": "9223372036854775808",
        "c-1": "\x00",
        "q-99999999999999999999": "1",
        "username": "x" * 300,
        "password": "\x00",
        "old_password": "\x00",
        "new_password1": "x",
        "new_password2": "y",
        "name": "\x00",
        "slug": "\x00",
        "key": "\x00",
        "text": "x" * 100_000,
        "number": "9223372036854775808",
        "weight": "NaN",
        "value": "Infinity",
        "order": "-1",
        "questionnaire": "abc",
        "organization": "9223372036854775808",
        "team": "abc",
        "user": "\x00",
        "role": "\x00",
        "_save": "Save",
        "file": SimpleUploadedFile("criteria.json", b"\x00\xff{", "application/json"),
    }


# The admin's list pages: an action on rows that cannot exist.
ACTION_BODY = {
    "action": "delete_selected",
    "_selected_action": ["abc", "9223372036854775808", "\x00", "1"],
    "index": "0",
    "select_across": "abc",
}

# Raw bytes that are not UTF-8 (a lone surrogate's encoding, a stray byte) and a NUL.
RAW_BODY = urlencode({"title": "x", "q-1": "1"}).encode() + b"&name=%ED%A0%80%FF%00&c-1=%ED%A0"


@pytest.fixture
def world(team, organization, member, manager, staff, small_version):
    closed_round = round_open(team=team, version=small_version, title="Closed", opened_by=manager)
    answer_and_submit(closed_round, member)
    round_close(assessment_round=closed_round)
    open_round = round_open(team=team, version=small_version, title="Open", opened_by=manager)
    return {
        "values": {
            "team_pk": team.pk,
            "round_pk": open_round.pk,
            "practice_pk": small_version.practices.first().pk,
            "slug": organization.slug,
            "app_label": "assessment",
            "content_type_id": ContentType.objects.get_for_model(Team).pk,
            "id": staff.pk,
            "url": "nowhere/",
        },
        "closed_round": closed_round,
    }


def real_values(route: Route, world) -> dict[str, str]:
    """A real value for each parameter: the world's objects, or the admin model's first row
    (and its first historical record)."""
    values = {name: str(value) for name, value in world["values"].items()}
    row = route.model.objects.order_by("pk").first() if route.model else None
    if route.model is Team or (row is None and "content_type_id" in route.params):
        row = Team.objects.order_by("pk").first()
    if row is not None:
        values["object_id"] = values["_0"] = str(row.pk)
        history = getattr(row, "history", None)
        record = history.order_by("pk").first() if history is not None else None
        values["_1"] = str(record.pk) if record is not None else "1"
    return {name: values.get(name, "1") for name in route.params}


def urls_to_try(route: Route, world) -> Iterator[str]:
    real = real_values(route, world)
    yield route.template % real
    for param in route.params:
        for hostile in HOSTILE_IDS:
            yield route.template % {**real, param: hostile}


@contextlib.contextmanager
def exceptions_caught() -> Iterator[list[str]]:
    caught: list[str] = []

    def record(sender, request=None, **kwargs):
        caught.append(traceback.format_exc(limit=-6))

    got_request_exception.connect(record)
    try:
        yield caught
    finally:
        got_request_exception.disconnect(record)


def requests_for(url: str, first: bool) -> Iterator[tuple[str, dict]]:
    """A GET and a POST of hostile fields for every URL; for the route's real URL also a
    hostile query string and a body that is not UTF-8."""
    yield "get", {}
    yield "post", {"data": hostile_body()}
    if first:
        for query in HOSTILE_QUERIES:
            yield "get", {"data": query}
        yield "post", {"data": ACTION_BODY}
        yield (
            "post",
            {
                "data": RAW_BODY,
                "content_type": "application/x-www-form-urlencoded",
                "headers": {"HX-Request": "true"},
            },
        )


def hostile_requests(routes: list[Route], world, users: list) -> list[str]:
    """Every request; the failures, each with the end of its traceback."""
    clients = []
    for user in users:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append((user, client))
    failures = []
    with exceptions_caught() as caught:
        for route in routes:
            for index, url in enumerate(urls_to_try(route, world)):
                for method, arguments in requests_for(url, first=index == 0):
                    for user, client in clients:
                        # A savepoint per request: a refused statement on PostgreSQL would
                        # otherwise abort the test's transaction, and every later request.
                        with transaction.atomic():
                            response = getattr(client, method)(url, **arguments)
                            transaction.set_rollback(True)
                        if response.status_code >= 500:
                            failures.append(
                                f"{method.upper()} {url} as {user}: {response.status_code}\n"
                                + "".join(caught[-1:])
                            )
                        caught.clear()
                        if "_auth_user_id" not in client.session:  # signed out, or rolled back
                            client.force_login(user)
    return failures


SITE_ROUTES = [route for route in ROUTES if not route.name.startswith("admin:")]
ADMIN_ROUTES = [route for route in ROUTES if route.name.startswith("admin:")]


def test_the_walk_sees_the_admin_and_the_site():
    assert len(SITE_ROUTES) >= 20
    assert len(ADMIN_ROUTES) >= 100
    assert {"admin:assessment_questionnaireversion_history", "assessment:answer_save"} <= {
        route.name for route in ROUTES
    }


def test_site_routes_answer_hostile_input_without_a_500(world, staff, member):
    assert hostile_requests(SITE_ROUTES, world, [staff, member]) == []


@pytest.mark.parametrize("half", [0, 1])
def test_admin_routes_answer_hostile_input_without_a_500(world, staff, half):
    # Only staff get past the admin's sign-in page; a superuser reaches every admin page.
    assert hostile_requests(ADMIN_ROUTES[half::2], world, [staff]) == []


# Ids in the app's URLs -------------------------------------------------------------------


def test_every_id_in_the_apps_urls_fits_a_64_bit_column():
    app_routes = [route for route in ROUTES if route.name.startswith("assessment:")]
    pattern_of = {
        f"assessment:{pattern.name}": pattern
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLResolver) and pattern.namespace == "assessment"
        for pattern in pattern.url_patterns
    }

    for route in app_routes:
        converters = pattern_of[route.name].pattern.converters
        for param in route.params:
            if param.endswith("_pk"):
                assert isinstance(converters[param], DatabaseId), (route.name, param)


@pytest.mark.parametrize(
    "path",
    [
        "/rounds/9223372036854775808/respond/save/",
        "/rounds/1234567890123456789/",
        "/teams/99999999999999999999999/",
        "/rounds/1/respond/sections/9223372036854775808/",
    ],
)
def test_an_id_beyond_64_bits_matches_no_route(path):
    with pytest.raises(Resolver404):
        resolve(path)


def test_the_largest_id_still_matches():
    assert resolve("/rounds/999999999999999999/").kwargs == {"round_pk": 999999999999999999}


# Ids in the admin's URLs -----------------------------------------------------------------

OWN_APPS = {"assessment", "comparisons"}
OBJECT_ROUTES = [
    route
    for route in ADMIN_ROUTES
    if route.model is not None
    and route.model._meta.app_label in OWN_APPS
    and {"object_id", "_0"} & set(route.params)
    and not route.template.endswith("%(object_id)s/")  # Django's redirect to the change page
]


@pytest.mark.parametrize("malformed", ["abc", "1.5", "%00", "-"])
def test_a_malformed_id_on_any_page_of_our_admin_is_a_404(client, staff, small_version, malformed):
    client.force_login(staff)
    statuses = {}

    for route in OBJECT_ROUTES:
        url = route.template % {"object_id": malformed, "_0": malformed, "_1": "1"}
        statuses[url] = client.get(url).status_code

    assert len(OBJECT_ROUTES) >= 50
    assert {url: status for url, status in statuses.items() if status != 404} == {}


def test_a_malformed_history_record_id_is_a_404(client, staff, small_version):
    client.force_login(staff)
    url = f"/admin/assessment/questionnaireversion/{small_version.pk}/history/abc/"

    assert client.get(url).status_code == 404
