"""Hostile input: arbitrary text, numbers and ids never cause a 500 and, when refused,
change nothing."""

from __future__ import annotations

import html
import json
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.criteria.document import CriteriaError, parse_document
from assessment.criteria.lifecycle import questionnaire_import
from assessment.models import Answer, AssessmentRound, Questionnaire
from tests.answering import answer, option_of, question_of
from tests.criteria_data import small_document
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
REFUSALS = {400, 404, 409}
ids = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=30),
)


def stored_answers():
    return sorted(Answer.objects.values_list("response_id", "question_id", "option_id", "comment"))


@EXAMPLES
@given(
    fields=st.dictionaries(
        st.one_of(
            st.sampled_from(["q-", "c-"]).flatmap(lambda prefix: ids.map(lambda i: prefix + i)),
            st.text(max_size=10),
        ),
        ids,
        max_size=4,
    )
)
def test_autosave_never_fails_with_a_500(client, member, open_round, fields):
    client.force_login(member)
    before = stored_answers()

    response = client.post(
        reverse("assessment:answer_save", args=[open_round.pk]),
        fields,
        headers={"HX-Request": "true"},
    )

    assert response.status_code in {200, 204} | REFUSALS
    if response.status_code != 200:
        assert stored_answers() == before


@EXAMPLES
@given(comment=st.text(max_size=2100))
def test_comments_of_any_text_are_kept_exactly_or_refused(client, member, open_round, comment):
    client.force_login(member)
    question = question_of(open_round.version, "code-in-vcs")
    option = option_of(open_round.version, "code-in-vcs", "all")
    before = stored_answers()

    response = client.post(
        reverse("assessment:answer_save", args=[open_round.pk]),
        {f"q-{question.pk}": option.pk, f"c-{question.pk}": comment},
        headers={"HX-Request": "true"},
    )

    assert response.status_code in {200, 400}
    if response.status_code == 200:
        assert Answer.objects.get(question=question).comment == comment.replace("\r\n", "\n")
    else:
        assert stored_answers() == before


@EXAMPLES
@given(title=st.text(max_size=150), due_on=st.text(max_size=20), version=ids)
def test_round_creation_never_fails_with_a_500(client, manager, team, title, due_on, version):
    client.force_login(manager)
    before = AssessmentRound.objects.count()

    response = client.post(
        reverse("assessment:round_create", args=[team.pk]),
        {"title": title, "due_on": due_on, "version": version},
    )

    assert response.status_code in {302, 400}
    if response.status_code == 400:
        assert AssessmentRound.objects.count() == before


any_text = st.text(st.characters(exclude_categories=()), max_size=20)  # surrogates too
json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | any_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4)
    ),
    max_leaves=20,
)


@EXAMPLES
@given(data=json_values)
def test_import_of_any_json_is_refused_with_problems_and_writes_nothing(data):
    with pytest.raises(CriteriaError) as caught:
        questionnaire_import(data=data)

    assert caught.value.problems
    assert Questionnaire.objects.count() == 0


@EXAMPLES
@given(data=st.fixed_dictionaries({"practices": json_values}))
def test_import_of_documents_with_broken_practices_writes_nothing(data):
    document = {**small_document(), **data}

    with pytest.raises(CriteriaError):
        questionnaire_import(data=document)

    assert Questionnaire.objects.count() == 0


def test_sign_in_failures_and_lockouts_are_logged_without_passwords(client, member, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "hunter2-very-secret-guess"

    for _ in range(6):
        client.post(reverse("login"), {"username": member.username, "password": secret})
    client.post(reverse("login"), {"username": member.username, "password": TEST_PASSWORD})

    assert "AXES: Locking out" in caplog.text
    assert "login failure" in caplog.text
    assert secret not in caplog.text
    assert TEST_PASSWORD not in caplog.text


def test_refused_answers_are_logged_without_their_text(client, member, open_round, caplog):
    caplog.set_level(logging.DEBUG)
    answer(open_round, member, {"code-in-vcs": "all"})
    question = question_of(open_round.version, "code-in-vcs")
    private = "our secret roadmap " * 120

    response = client.post(
        reverse("assessment:answer_save", args=[open_round.pk]),
        {f"q-{question.pk}": "", f"c-{question.pk}": private},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 302  # not signed in: nothing reaches the view
    client.force_login(member)
    response = client.post(
        reverse("assessment:answer_save", args=[open_round.pk]),
        {f"q-{question.pk}": "", f"c-{question.pk}": private},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "our secret roadmap" not in caplog.text
    assert json.dumps(private)[:30] not in caplog.text


# Criteria files with values no database stores ---------------------------------------------

UNSTORABLE_TEXT = ["\x00", "before\x00after", "\ud800", "a\udfffb"]
UNSTORABLE_NUMBERS = [float("nan"), float("inf"), float("-inf")]


def leaves(value, path=()):
    """The path of every string and number in a document (keys aside)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    elif isinstance(value, str | float) or type(value) is int:
        yield path, value


@EXAMPLES
@given(data=st.data())
def test_one_unstorable_value_anywhere_refuses_the_whole_document(data):
    document = small_document()
    path, value = data.draw(st.sampled_from(list(leaves(document))))
    if isinstance(value, str):
        bad = data.draw(st.sampled_from(UNSTORABLE_TEXT))
        bad = data.draw(st.sampled_from([bad, value + bad, bad + value]))
    else:
        bad = data.draw(st.sampled_from(UNSTORABLE_NUMBERS))
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = bad

    with pytest.raises(CriteriaError) as caught:
        questionnaire_import(data=document)

    assert caught.value.problems
    assert Questionnaire.objects.count() == 0


def small_file_with(old: str, new: str) -> bytes:
    text = json.dumps(small_document(), indent=2)
    assert old in text
    return text.replace(old, new, 1).encode()


HOSTILE_FILES = {  # the file, where the problem is and what it says
    "nan": (small_file_with('"weight": 2', '"weight": NaN'), "$", "NaN is not a JSON number"),
    "infinity": (
        small_file_with('"target": 0.9', '"target": Infinity'),
        "$",
        "Infinity is not a JSON number",
    ),
    "minus infinity": (
        small_file_with('"weight": 1', '"weight": -Infinity'),
        "$",
        "-Infinity is not a JSON number",
    ),
    "nul": (
        small_file_with('"Version control"', '"Version\\u0000control"'),
        "$.practices[0].name",
        "the text contains a NUL character",
    ),
    "nul in a key": (
        small_file_with('"ai-engineering"', '"ai\\u0000engineering"'),
        "$.practices[0].disciplines['ai\\x00engineering']",
        "the name contains a NUL character",
    ),
    "lone surrogate": (
        small_file_with('"Version control"', '"Version \\ud800 control"'),
        "$.practices[0].name",
        "the text contains a lone surrogate",
    ),
    "huge integer": (
        small_file_with('"number": 1', '"number": 1' + "0" * 5000),
        "$",
        "a number in the file has more than 4,300 digits",
    ),
}


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_hostile_files_are_refused_by_the_parser_or_validation(name):
    raw, path, message = HOSTILE_FILES[name]

    with pytest.raises(CriteriaError) as caught:
        questionnaire_import(data=parse_document(raw))

    assert f"{path}: {message}" in str(caught.value)
    assert Questionnaire.objects.count() == 0


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_hostile_files_are_a_400_in_the_admin_and_write_nothing(client, staff, name):
    raw, path, message = HOSTILE_FILES[name]
    client.force_login(staff)

    response = client.post(
        reverse("admin:assessment_questionnaire_import"),
        {"file": SimpleUploadedFile("criteria.json", raw, "application/json")},
    )

    assert response.status_code == 400
    assert f"<code>{html.escape(path)}</code>: {html.escape(message)}" in response.content.decode()
    assert Questionnaire.objects.count() == 0


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_hostile_files_are_a_command_error_and_write_nothing(tmp_path, name):
    raw, path, message = HOSTILE_FILES[name]
    file = tmp_path / "criteria.json"
    file.write_bytes(raw)

    with pytest.raises(CommandError) as caught:
        call_command("import_questionnaire", str(file))

    assert f"{path}: {message}" in str(caught.value)
    assert Questionnaire.objects.count() == 0
