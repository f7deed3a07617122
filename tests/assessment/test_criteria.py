import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from assessment.criteria.document import (
    DEFAULT_QUESTIONNAIRE,
    FIRST_VERSION,
    CriteriaError,
    content_hash,
    version_export,
)
from assessment.criteria.lifecycle import (
    questionnaire_import,
    questionnaire_publish,
    questionnaire_retire,
    version_new_draft,
)
from assessment.criteria.validation import version_problems
from assessment.models import (
    Option,
    Practice,
    PracticeWeight,
    Question,
    Questionnaire,
    QuestionnaireVersion,
)
from tests.criteria_data import scoped_document, small_document

pytestmark = pytest.mark.django_db


def problems_of(data) -> list[str]:
    with pytest.raises(CriteriaError) as caught:
        questionnaire_import(data=data)
    return [str(problem) for problem in caught.value.problems]


def row_counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Questionnaire, QuestionnaireVersion, Practice, Question, Option)
    )


# Import and export ------------------------------------------------------------------------


def test_import_creates_and_publishes_the_version():
    result = questionnaire_import(data=small_document())

    version = result.version
    assert result.created
    assert version.status == "published"
    assert len(version.content_hash) == 64
    assert version.practices.count() == 3
    assert version.questions.count() == 4
    drift = version.questions.get(key="drift-alerts")
    assert drift.show_if_question.key == "has-models"
    assert [o.key for o in drift.show_if_options.all()] == ["yes"]


def test_import_as_draft_keeps_it_editable():
    version = questionnaire_import(data=small_document(), publish=False).version

    assert version.status == "draft"
    assert version.content_hash == ""


def test_importing_the_same_content_again_is_a_no_op():
    questionnaire_import(data=small_document())
    before = row_counts()

    result = questionnaire_import(data=small_document())

    assert not result.created
    assert "no change" in result.message
    assert row_counts() == before


def test_same_content_with_defaults_left_out_is_still_the_same():
    first = questionnaire_import(data=small_document()).version
    data = small_document()
    for practice in data["practices"]:
        for question in practice["questions"]:
            del question["help"], question["required"]
            question["weight"] = float(question["weight"])

    result = questionnaire_import(data=data)

    assert result.version == first
    assert not result.created


def test_different_content_under_a_published_number_is_refused():
    questionnaire_import(data=small_document())
    before = row_counts()
    data = small_document()
    data["practices"][0]["name"] = "Source control"

    problems = problems_of(data)

    assert problems == [
        "$.version.number: Small readiness check v1 is published with different content. "
        "Import the file as a new version (set version.number to 2)."
    ]
    assert row_counts() == before


def test_different_content_as_a_new_number_creates_a_second_version():
    questionnaire_import(data=small_document())
    data = small_document(version={"number": 2, "readiness_rule": "weakest", "notes": "v2"})

    version = questionnaire_import(data=data).version

    assert version.number == 2
    assert version.readiness_rule == "weakest"
    assert QuestionnaireVersion.objects.count() == 2


def test_import_into_an_existing_draft_replaces_its_content():
    questionnaire_import(data=small_document(), publish=False)
    data = small_document()
    data["practices"] = data["practices"][:1]

    version = questionnaire_import(data=data, publish=False).version

    assert version.practices.count() == 1
    assert QuestionnaireVersion.objects.count() == 1


def test_export_import_export_gives_identical_bytes():
    original = questionnaire_import(data=small_document()).version
    exported = version_export(version=original)
    Questionnaire.objects.all().delete()

    reimported = questionnaire_import(data=json.loads(exported)).version

    assert version_export(version=reimported) == exported
    assert reimported.content_hash == original.content_hash


@pytest.mark.parametrize(("path", "number"), [(FIRST_VERSION, "1"), (DEFAULT_QUESTIONNAIRE, "2")])
def test_default_questionnaire_round_trips_byte_for_byte(tmp_path, path, number):
    call_command("import_questionnaire", str(path), stdout=StringIO())
    first = StringIO()
    call_command("export_questionnaire", "ai-engineering-readiness", stdout=first)
    Questionnaire.objects.all().delete()
    exported = tmp_path / "exported.json"
    exported.write_text(first.getvalue())
    call_command("import_questionnaire", str(exported), stdout=StringIO())
    second = StringIO()

    call_command(
        "export_questionnaire", "ai-engineering-readiness", "--version", number, stdout=second
    )

    assert second.getvalue() == first.getvalue()
    assert first.getvalue() == path.read_text()


@pytest.mark.parametrize(("path", "name"), [(FIRST_VERSION, "v1"), (DEFAULT_QUESTIONNAIRE, "v2")])
def test_default_questionnaire_validates_and_publishes(path, name):
    data = json.loads(path.read_text())

    version = questionnaire_import(data=data).version

    assert version.status == "published"
    assert str(version) == f"AI engineering readiness {name}"


def test_default_questionnaire_covers_every_dimension_for_both_disciplines():
    version = questionnaire_import(data=json.loads(DEFAULT_QUESTIONNAIRE.read_text())).version
    weighted = set(
        PracticeWeight.objects.filter(practice__version=version, weight__gt=0).values_list(
            "practice__dimension__slug", "discipline__slug"
        )
    )

    for dimension in [
        "outcomes",
        "focus-area",
        "requirements",
        "stability",
        "skillset",
        "governance",
        "testing",
        "updates",
    ]:
        assert (dimension, "software-engineering") in weighted, dimension
        assert (dimension, "ai-engineering") in weighted, dimension


def test_import_command_prints_every_problem_and_writes_nothing(tmp_path):
    data = small_document()
    data["practices"][0]["dimension"] = "nowhere"
    data["practices"][0]["questions"][1]["options"] = [{"key": "only", "label": "Only", "value": 1}]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data))

    with pytest.raises(CommandError) as caught:
        call_command("import_questionnaire", str(path))

    message = str(caught.value)
    assert "2 problems, nothing imported" in message
    assert "$.practices[0].dimension: unknown dimension 'nowhere'" in message
    assert "$.practices[0].questions[1].options: a question needs at least two options" in message
    assert row_counts() == (0, 0, 0, 0, 0)


def test_import_command_refuses_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")

    with pytest.raises(CommandError, match=r"\$: not a JSON document"):
        call_command("import_questionnaire", str(path))


def test_export_command_names_a_missing_version():
    questionnaire_import(data=small_document())

    with pytest.raises(CommandError, match="has no version 7"):
        call_command("export_questionnaire", "small", "--version", "7")


# One test per validation error ------------------------------------------------------------


def test_schema_errors_carry_their_json_path():
    data = small_document()
    del data["practices"][0]["questions"][1]["text"]

    assert problems_of(data) == ["$.practices[0].questions[1]: 'text' is a required property"]


def test_question_with_one_option_is_refused():
    data = small_document()
    data["practices"][0]["questions"][0]["options"] = [
        {"key": "a", "label": "A", "value": 1},
    ]

    assert "$.practices[0].questions[0].options: a question needs at least two options" in (
        problems_of(data)
    )


def test_question_without_a_scored_option_is_refused():
    data = small_document()
    data["practices"][0]["questions"][0]["options"] = [
        {"key": "na", "label": "N/A", "unscored": "not_applicable"},
        {"key": "dk", "label": "Don't know", "unscored": "dont_know"},
    ]

    assert problems_of(data) == [
        "$.practices[0].questions[0].options: a question needs at least one scored option"
    ]


@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_value_outside_zero_to_one_is_refused(value):
    data = small_document()
    data["practices"][0]["questions"][0]["options"][0]["value"] = value

    problems = problems_of(data)

    assert len(problems) == 1
    assert problems[0].startswith("$.practices[0].questions[0].options[0].value")


@pytest.mark.parametrize("target", [-0.5, 1.01])
def test_target_outside_zero_to_one_is_refused(target):
    data = small_document()
    data["practices"][0]["disciplines"]["ai-engineering"]["target"] = target

    problems = problems_of(data)

    assert len(problems) == 1
    assert problems[0].startswith("$.practices[0].disciplines['ai-engineering'].target")


def test_practice_with_no_discipline_weight_is_refused():
    data = small_document()
    data["practices"][2]["disciplines"] = {"ai-engineering": {"weight": 0, "target": 0.5}}

    assert problems_of(data) == [
        "$.practices[2].disciplines: the practice counts for no discipline: "
        "give at least one a weight above 0"
    ]


def test_condition_pointing_at_a_later_question_is_refused():
    data = small_document()
    data["practices"][0]["questions"][0]["show_if"] = {
        "question": "has-models",
        "options": ["yes"],
    }

    assert problems_of(data) == [
        "$.practices[0].questions[0].show_if.question: the condition must point at an earlier "
        "question of this version; 'has-models' is not one"
    ]


def test_condition_naming_a_foreign_option_is_refused():
    data = small_document()
    data["practices"][2]["questions"][0]["show_if"]["options"] = ["maybe"]

    assert problems_of(data) == [
        "$.practices[2].questions[0].show_if.options: 'maybe' is not an option of "
        "question 'has-models'"
    ]


def test_duplicate_practice_keys_are_refused():
    data = small_document()
    data["practices"][1]["key"] = "version-control"

    assert problems_of(data) == ["$.practices[1].key: practice key 'version-control' is used twice"]


def test_duplicate_question_keys_are_refused():
    data = small_document()
    data["practices"][0]["questions"][1]["key"] = "code-in-vcs"

    assert problems_of(data) == [
        "$.practices[0].questions[1].key: question key 'code-in-vcs' is used twice"
    ]


def test_duplicate_option_keys_are_refused():
    data = small_document()
    data["practices"][0]["questions"][0]["options"][1]["key"] = "none"

    assert problems_of(data) == [
        "$.practices[0].questions[0].options[1].key: option key 'none' is used twice"
    ]


def test_unknown_discipline_is_refused():
    data = small_document()
    data["practices"][0]["disciplines"]["data-engineering"] = {"weight": 1, "target": 0.5}

    assert problems_of(data) == [
        "$.practices[0].disciplines['data-engineering']: unknown discipline 'data-engineering'"
    ]


def test_more_than_three_decimals_is_refused():
    data = small_document()
    data["practices"][0]["questions"][0]["options"][1]["value"] = 0.3333

    assert problems_of(data) == [
        "$.practices[0].questions[0].options[1].value: use at most three decimal places"
    ]


def test_every_problem_is_listed_at_once():
    data = small_document()
    data["practices"][0]["dimension"] = "nowhere"
    data["practices"][1]["key"] = "version-control"
    data["practices"][2]["questions"][0]["show_if"]["options"] = ["maybe"]

    assert len(problems_of(data)) == 3


# Publishing, freezing, new drafts ---------------------------------------------------------


@pytest.fixture
def draft():
    return questionnaire_import(data=small_document(), publish=False).version


@pytest.fixture
def published():
    return questionnaire_import(data=small_document()).version


def test_publish_stores_the_hash_of_the_content(draft):
    version = questionnaire_publish(version=draft)

    assert version.content_hash == content_hash(small_document())
    assert version.published_at is not None


def test_publish_lists_every_problem_of_a_draft_and_changes_nothing(draft):
    Option.objects.filter(question__key="reviews").exclude(key="none").delete()
    PracticeWeight.objects.filter(practice__key="drift-monitoring").update(weight=0)

    with pytest.raises(CriteriaError) as caught:
        questionnaire_publish(version=draft)

    assert [str(p) for p in caught.value.problems] == [
        "$.practices[0].questions[1].options: a question needs at least two options",
        "$.practices[2].disciplines: the practice counts for no discipline: "
        "give at least one a weight above 0",
    ]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_publish_refuses_a_condition_on_another_versions_question(draft):
    other = questionnaire_import(
        data=small_document(questionnaire={"slug": "other", "name": "Other", "description": ""})
    ).version
    question = draft.questions.get(key="drift-alerts")
    question.show_if_question = other.questions.get(key="has-models")
    question.save()

    problems = [str(p) for p in version_problems(draft)]

    assert (
        "$.practices[2].questions[0].show_if: the condition points at another version's "
        "question" in problems
    )


def test_published_version_cannot_be_published_again(published):
    with pytest.raises(ValidationError, match="can no longer change"):
        questionnaire_publish(version=published)


def test_clean_refuses_edits_to_a_published_version(published):
    question = published.questions.first()
    question.text = "Changed?"

    with pytest.raises(ValidationError, match="can no longer change"):
        question.full_clean()


@pytest.mark.parametrize(
    ("model", "lookup", "change"),
    [
        (Practice, "version", {"name": "Renamed"}),
        (PracticeWeight, "practice__version", {"target": "0.1"}),
        (Question, "version", {"text": "Changed?"}),
        (Option, "question__version", {"value": "0.2"}),
    ],
)
def test_queryset_update_of_a_published_version_is_refused_by_the_database(
    published, model, lookup, change
):
    rows = model.objects.filter(**{lookup: published})
    if model is Option:
        rows = rows.filter(unscored="")
    before = list(rows.values())

    with pytest.raises(IntegrityError, match="frozen"), transaction.atomic():
        rows.update(**change)

    assert list(rows.values()) == before


def test_database_refuses_a_new_hash_or_a_return_to_draft(published):
    changes = ({"content_hash": "0" * 64}, {"status": "draft"}, {"number": 9}, {"notes": "New"})
    for change in changes:
        with pytest.raises(IntegrityError), transaction.atomic():
            QuestionnaireVersion.objects.filter(pk=published.pk).update(**change)


@pytest.mark.parametrize(
    "change",
    [
        {"kinds": []},
        {"kinds": [{"key": "ml", "name": "Machine learning", "description": ""}]},
        {"tiers": [{"key": "internal", "name": "Inside only", "description": ""}]},
    ],
)
def test_database_refuses_new_kinds_or_tiers_for_a_published_version(change):
    published = questionnaire_import(data=scoped_document()).version
    rows = QuestionnaireVersion.objects.filter(pk=published.pk)
    before = list(rows.values("kinds", "tiers", "content_hash"))

    with pytest.raises(IntegrityError, match="frozen"), transaction.atomic():
        rows.update(**change)

    assert list(rows.values("kinds", "tiers", "content_hash")) == before


def test_draft_rows_can_still_be_updated(draft):
    updated = Question.objects.filter(version=draft).update(text="Changed?")

    assert updated == 4


def test_retire_keeps_the_content_and_stops_being_published(published):
    version = questionnaire_retire(version=published)

    assert version.status == "retired"
    assert QuestionnaireVersion.objects.published().count() == 0
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireVersion.objects.filter(pk=version.pk).update(status="published")


def test_new_draft_is_a_deep_copy_with_the_same_keys(published):
    draft = version_new_draft(version=published)

    assert draft.number == 2
    assert draft.status == "draft"
    original = json.loads(version_export(version=published))
    copy = json.loads(version_export(version=draft))
    assert copy["practices"] == original["practices"]
    assert copy["version"]["number"] == 2
    condition = draft.questions.get(key="drift-alerts").show_if_question
    assert condition.version == draft
    assert Question.objects.count() == 8


def test_new_draft_edits_leave_the_original_untouched(published):
    draft = version_new_draft(version=published)

    Question.objects.filter(version=draft).update(text="Changed?")

    assert not published.questions.filter(text="Changed?").exists()
    published.refresh_from_db()
    assert published.content_hash == content_hash(json.loads(version_export(version=published)))


def test_a_discipline_listed_at_weight_zero_everywhere_still_publishes_and_scores():
    from assessment.criteria.loading import criteria_for

    data = small_document()
    for practice in data["practices"]:
        practice["disciplines"]["software-engineering"] = {"weight": 0, "target": 0}
        practice["disciplines"].setdefault("ai-engineering", {"weight": 1, "target": 0.5})

    version = questionnaire_import(data=data).version

    assert criteria_for(version).engine.disciplines == ("ai-engineering",)


def test_deeply_nested_json_is_refused_with_a_problem():
    from assessment.criteria.document import parse_document

    with pytest.raises(CriteriaError, match="nested too deeply"):
        parse_document(b"[" * 200_000)
