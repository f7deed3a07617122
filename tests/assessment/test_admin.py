"""The criteria admin: lifecycle steps, refusals for frozen versions, import and export,
preview, history and roles."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse

from assessment.admin.shared import row_for_path
from assessment.criteria.document import version_export
from assessment.criteria.lifecycle import questionnaire_import, version_new_draft
from assessment.models import (
    Option,
    Practice,
    PracticeWeight,
    Question,
    Questionnaire,
    QuestionnaireVersion,
)
from assessment.rounds import round_open
from comparisons.models import Discipline
from tests.criteria_data import small_document
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EDITORS = "Criteria editors"
QUESTION_FIELDS = [
    "practice",
    "key",
    "text",
    "help_text",
    "weight",
    "required",
    "order",
    "show_if_question",
    "show_if_options",
]
OPTION_FIELDS = ["question", "order", "key", "label", "value", "unscored", "advice"]
PRACTICE_FIELDS = ["key", "name", "description", "dimension", "order"]


# Fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture
def editor(db):
    user = UserFactory(username="edna", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def viewer(db):
    """Staff, but not a criteria editor."""
    return UserFactory(username="vic", is_staff=True)


@pytest.fixture
def published(small_version):
    return small_version


@pytest.fixture
def draft(published):
    return version_new_draft(version=published)


def url(name: str, *args) -> str:
    return reverse(f"admin:assessment_{name}", args=args)


def values(row, fields: list[str]) -> dict:
    data = model_to_dict(row, fields=fields)
    return {
        name: [item.pk for item in value] if isinstance(value, list) else value
        for name, value in data.items()
    }


def post_data(main: dict, **inlines: list[dict]) -> dict:
    """A change form as the browser posts it: the main form and its inline formsets."""
    data: dict = {}

    def put(prefix: str, fields: dict) -> None:
        for name, value in fields.items():
            if value is False:
                continue  # an unchecked checkbox is not sent
            data[f"{prefix}{name}"] = "on" if value is True else "" if value is None else value

    put("", main)
    for prefix, rows in inlines.items():
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": len(rows),
                f"{prefix}-INITIAL_FORMS": len(rows),
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for index, row in enumerate(rows):
            put(f"{prefix}-{index}-", row)
    return data


def question_post(question: Question, **changes) -> dict:
    options = [{"id": o.pk, **values(o, OPTION_FIELDS)} for o in question.options.all()]
    return post_data({**values(question, QUESTION_FIELDS), **changes}, options=options)


def practice_post(practice: Practice, *, targets: dict[str, str] | None = None) -> dict:
    weights = []
    for weight in practice.weights.select_related("discipline"):
        row = {"id": weight.pk, **values(weight, ["practice", "discipline", "weight", "target"])}
        row["target"] = (targets or {}).get(weight.discipline.slug, row["target"])
        weights.append(row)
    questions = [
        {"id": q.pk, **values(q, ["practice", "order", "key", "text", "weight", "required"])}
        for q in practice.questions.all()
    ]
    return post_data(values(practice, PRACTICE_FIELDS), weights=weights, questions=questions)


def criteria_rows() -> list[tuple]:
    return [
        *Practice.objects.values_list("pk", "name", "order"),
        *PracticeWeight.objects.values_list("pk", "weight", "target"),
        *Question.objects.values_list("pk", "text", "weight", "order"),
        *Option.objects.values_list("pk", "label", "value", "order"),
        *QuestionnaireVersion.objects.values_list("pk", "status", "notes", "content_hash"),
    ]


def upload(content: bytes, name: str = "questionnaire.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/json")


def page_text(response) -> str:
    return response.content.decode()


# Lifecycle: new draft, publish, retire ----------------------------------------------------


def test_new_draft_from_a_published_version(client, editor, published):
    client.force_login(editor)

    response = client.post(url("questionnaireversion_new_draft", published.pk))

    draft = QuestionnaireVersion.objects.get(number=2)
    assert response.status_code == 302
    assert response.url == url("questionnaireversion_change", draft.pk)
    assert draft.status == "draft"
    assert draft.questions.count() == published.questions.count()


def test_lifecycle_pages_change_nothing_on_get(client, editor, published, draft):
    client.force_login(editor)
    before = criteria_rows()

    pages = [
        client.get(url("questionnaireversion_new_draft", published.pk)),
        client.get(url("questionnaireversion_publish", draft.pk)),
        client.get(url("questionnaireversion_retire", published.pk)),
    ]

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert 'method="post"' in page_text(pages[1])
    assert criteria_rows() == before


def test_publish_a_valid_draft(client, editor, draft):
    client.force_login(editor)

    response = client.post(url("questionnaireversion_publish", draft.pk), follow=True)

    draft.refresh_from_db()
    assert draft.status == "published"
    assert len(draft.content_hash) == 64
    assert "is published" in page_text(response)


def test_publish_lists_every_problem_with_a_link_to_its_row(client, editor, draft):
    client.force_login(editor)
    reviews = draft.questions.get(key="reviews")
    reviews.options.exclude(key="none").delete()
    drift = draft.practices.get(key="drift-monitoring")
    PracticeWeight.objects.filter(practice=drift).update(weight=0)

    response = client.post(url("questionnaireversion_publish", draft.pk), follow=True)

    text = page_text(response)
    assert "was not published: 2 problems to fix" in text
    assert "a question needs at least two options" in text
    assert f'href="{url("question_change", reviews.pk)}"' in text
    assert "the practice counts for no discipline" in text
    assert f'href="{url("practice_change", drift.pk)}"' in text
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_retire_keeps_rounds_and_stops_new_ones(client, editor, published, team, manager):
    existing = round_open(team=team, version=published, title="Before", opened_by=manager)
    client.force_login(editor)

    client.post(url("questionnaireversion_retire", published.pk))

    published.refresh_from_db()
    assert published.status == "retired"
    assert published.rounds.get() == existing
    assert not QuestionnaireVersion.objects.published().exists()


def test_retiring_a_draft_is_refused_with_a_message(client, editor, draft):
    client.force_login(editor)

    response = client.post(url("questionnaireversion_retire", draft.pk), follow=True)

    assert "Only a published version can be retired." in page_text(response)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_publish_and_retire_as_bulk_actions(client, editor, published, draft):
    client.force_login(editor)
    changelist = url("questionnaireversion_changelist")

    client.post(changelist, {"action": "publish_versions", "_selected_action": [draft.pk]})
    client.post(changelist, {"action": "retire_versions", "_selected_action": [published.pk]})

    statuses = dict(QuestionnaireVersion.objects.values_list("number", "status"))
    assert statuses == {1: "retired", 2: "published"}


# Published versions are read-only ---------------------------------------------------------


def test_published_version_page_is_read_only(client, editor, published):
    client.force_login(editor)

    response = client.get(url("questionnaireversion_change", published.pk))

    assert response.status_code == 200
    assert 'name="_save"' not in page_text(response)
    assert "Retire…" in page_text(response)


def test_draft_question_change_form_saves(client, editor, draft):
    client.force_login(editor)
    question = draft.questions.get(key="reviews")

    response = client.post(
        url("question_change", question.pk), question_post(question, text="Who reviews?")
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "Who reviews?"


def test_published_question_change_form_is_refused(client, editor, published):
    client.force_login(editor)
    question = published.questions.get(key="reviews")
    before = criteria_rows()

    response = client.post(
        url("question_change", question.pk), question_post(question, text="Who reviews?")
    )

    assert response.status_code == 403
    assert criteria_rows() == before


def test_draft_practice_inline_change_saves(client, editor, draft):
    client.force_login(editor)
    practice = draft.practices.get(key="version-control")

    response = client.post(
        url("practice_change", practice.pk),
        practice_post(practice, targets={"ai-engineering": "0.5"}),
    )

    assert response.status_code == 302
    weight = practice.weights.get(discipline__slug="ai-engineering")
    assert str(weight.target) == "0.500"


def test_published_practice_inline_change_is_refused(client, editor, published):
    client.force_login(editor)
    practice = published.practices.get(key="version-control")
    before = criteria_rows()

    response = client.post(
        url("practice_change", practice.pk),
        practice_post(practice, targets={"ai-engineering": "0.5"}),
    )

    assert response.status_code == 403
    assert criteria_rows() == before


def test_published_option_inline_change_is_refused(client, editor, published):
    client.force_login(editor)
    question = published.questions.get(key="reviews")
    data = question_post(question)
    data["options-0-label"] = "Nobody at all"
    before = criteria_rows()

    response = client.post(url("question_change", question.pk), data)

    assert response.status_code == 403
    assert criteria_rows() == before


def test_bulk_delete_of_published_options_is_refused(client, editor, published):
    client.force_login(editor)
    options = list(Option.objects.filter(question__version=published).values_list("pk", flat=True))
    before = criteria_rows()

    response = client.post(
        url("option_changelist"),
        {"action": "delete_selected", "_selected_action": options[:2], "post": "yes"},
    )

    assert response.status_code == 403
    assert criteria_rows() == before


def test_bulk_delete_of_draft_options_works(client, editor, draft):
    client.force_login(editor)
    options = list(Option.objects.filter(question__version=draft).values_list("pk", flat=True))

    client.post(
        url("option_changelist"),
        {"action": "delete_selected", "_selected_action": options[:2], "post": "yes"},
    )

    assert not Option.objects.filter(pk__in=options[:2]).exists()


def test_published_version_and_its_questionnaire_cannot_be_deleted(client, editor, published):
    client.force_login(editor)

    version_page = client.post(url("questionnaireversion_delete", published.pk), {"post": "yes"})
    questionnaire_page = client.post(
        url("questionnaire_delete", published.questionnaire_id), {"post": "yes"}
    )

    assert (version_page.status_code, questionnaire_page.status_code) == (403, 403)
    assert QuestionnaireVersion.objects.filter(pk=published.pk).exists()


def test_a_practice_cannot_be_added_to_a_published_version(client, editor, published, draft):
    client.force_login(editor)
    dimension = published.practices.first().dimension_id
    data = {"key": "new", "name": "New", "description": "", "dimension": dimension, "order": 9}

    refused = client.post(url("practice_add"), {**data, "version": published.pk})
    accepted = client.post(url("practice_add"), {**data, "version": draft.pk})

    assert refused.status_code == 200  # the form again, with its error
    assert "Select a valid choice" in page_text(refused)
    assert accepted.status_code == 302
    assert list(Practice.objects.filter(key="new").values_list("version", flat=True)) == [draft.pk]


def test_duplicate_question_key_in_a_draft_is_a_form_error(client, editor, draft):
    client.force_login(editor)
    question = draft.questions.get(key="reviews")

    response = client.post(
        url("question_change", question.pk), question_post(question, key="code-in-vcs")
    )

    assert response.status_code == 200
    assert "already exists" in page_text(response)


# Import and download ----------------------------------------------------------------------


def test_import_publishes_the_file(client, editor):
    client.force_login(editor)

    response = client.post(
        url("questionnaire_import"), {"file": upload(json.dumps(small_document()).encode())}
    )

    version = QuestionnaireVersion.objects.get()
    assert response.status_code == 302
    assert response.url == url("questionnaireversion_change", version.pk)
    assert version.status == "published"


def test_import_as_a_draft(client, editor):
    client.force_login(editor)

    client.post(
        url("questionnaire_import"),
        {"file": upload(json.dumps(small_document()).encode()), "draft": "on"},
    )

    assert QuestionnaireVersion.objects.get().status == "draft"


def test_import_of_the_same_content_is_a_no_op(client, editor, published):
    client.force_login(editor)
    before = criteria_rows()

    response = client.post(
        url("questionnaire_import"),
        {"file": upload(version_export(version=published).encode())},
        follow=True,
    )

    assert "is already loaded; no change." in page_text(response)
    assert criteria_rows() == before


def test_import_of_different_content_under_a_published_number_is_refused(client, editor, published):
    client.force_login(editor)
    data = small_document()
    data["practices"][0]["name"] = "Source control"
    before = criteria_rows()

    response = client.post(url("questionnaire_import"), {"file": upload(json.dumps(data).encode())})

    assert response.status_code == 400
    assert "$.version.number" in page_text(response)
    assert "set version.number to 2" in page_text(response)
    assert criteria_rows() == before


def test_import_lists_every_problem_and_writes_nothing(client, editor):
    client.force_login(editor)
    data = small_document()
    data["practices"][0]["dimension"] = "nowhere"
    data["practices"][0]["questions"][1]["options"] = [{"key": "only", "label": "Only", "value": 1}]

    response = client.post(url("questionnaire_import"), {"file": upload(json.dumps(data).encode())})

    text = page_text(response)
    assert response.status_code == 400
    assert "the file has 2 problems" in text
    assert "$.practices[0].dimension</code>: unknown dimension &#x27;nowhere&#x27;" in text
    assert "$.practices[0].questions[1].options</code>: a question needs at least two" in text
    assert not Questionnaire.objects.exists()


def test_import_refuses_a_file_that_is_not_json(client, editor):
    client.force_login(editor)

    response = client.post(url("questionnaire_import"), {"file": upload(b"{not json")})

    assert response.status_code == 400
    assert "not a JSON document" in page_text(response)
    assert not Questionnaire.objects.exists()


def test_import_refuses_a_file_over_the_size_cap(client, editor, settings):
    client.force_login(editor)
    content = json.dumps(small_document()).encode()
    too_big = content + b" " * (settings.READINESS_MAX_IMPORT_BYTES + 1 - len(content))

    response = client.post(url("questionnaire_import"), {"file": upload(too_big)})

    assert settings.READINESS_MAX_IMPORT_BYTES == 2 * 1024 * 1024
    assert response.status_code == 400
    assert "a questionnaire file can be at most 2.0\xa0MB" in page_text(response)
    assert not Questionnaire.objects.exists()


def test_staff_without_the_group_cannot_import(client, viewer):
    client.force_login(viewer)

    response = client.post(
        url("questionnaire_import"), {"file": upload(json.dumps(small_document()).encode())}
    )

    assert response.status_code == 403
    assert not Questionnaire.objects.exists()


def test_download_returns_the_exact_export(client, viewer, published):
    client.force_login(viewer)

    response = client.get(url("questionnaireversion_download", published.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="small-v1.json"'
    assert response.content == version_export(version=published).encode()


# Preview ----------------------------------------------------------------------------------


def test_preview_shows_questions_as_disabled_radio_groups(client, viewer, draft):
    client.force_login(viewer)

    response = client.get(url("questionnaireversion_preview", draft.pk))

    text = page_text(response)
    assert response.status_code == 200
    options = Option.objects.filter(question__version=draft)
    assert text.count('type="radio"') == options.count()
    # A disabled fieldset disables every radio and comment box inside it.
    assert text.count('<fieldset class="question" disabled') == draft.questions.count()
    assert "hx-post" not in text
    assert "<legend" in text and "How does the team handle reviews?" in text
    assert "Shown only when question 1 is answered: Yes." in text


def test_preview_shows_weights_and_targets_per_practice(client, viewer, published):
    client.force_login(viewer)

    response = client.get(url("questionnaireversion_preview", published.pk))

    sections = response.context["dimensions"]
    rows = {
        section.practice.key: [
            (w.discipline, str(w.weight), round(w.share * 100), str(w.target))
            for w in section.weightings
        ]
        for dimension in sections
        for section in dimension.sections
    }
    assert rows["version-control"] == [
        ("Software engineering", "2.000", 100, "0.900"),
        ("AI engineering", "1.000", 20, "0.900"),
    ]
    assert rows["drift-monitoring"] == [
        ("Software engineering", "0.000", 0, "0.000"),
        ("AI engineering", "3.000", 60, "0.750"),
    ]
    assert "<td>60%</td>" in page_text(response)
    assert "not counted for this discipline" in page_text(response)


def test_preview_of_a_draft_lists_what_publishing_would_refuse(client, viewer, draft):
    client.force_login(viewer)
    reviews = draft.questions.get(key="reviews")
    reviews.options.exclude(key="none").delete()

    response = client.get(url("questionnaireversion_preview", draft.pk))

    text = page_text(response)
    assert "Publishing would refuse this draft: 1 problem" in text
    assert f'href="{url("question_change", reviews.pk)}"' in text


# History ----------------------------------------------------------------------------------


def test_history_records_who_changed_a_question_text_from_what_to_what(client, editor, draft):
    client.force_login(editor)
    question = draft.questions.get(key="reviews")
    old_text = question.text

    client.post(url("question_change", question.pk), question_post(question, text="Who reviews?"))

    latest, previous = question.history.all()[:2]
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(previous).changes}
    assert latest.history_user == editor
    assert changes == {"text": (old_text, "Who reviews?")}
    page = page_text(client.get(url("question_history", question.pk)))
    assert old_text in page and "Who reviews?" in page and "edna" in page


def test_publishing_is_recorded_in_the_version_history(client, editor, draft):
    client.force_login(editor)

    client.post(url("questionnaireversion_publish", draft.pk))

    latest = draft.history.first()
    assert (latest.status, latest.history_user) == ("published", editor)


# Roles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changelist",
    [
        "auth:user_changelist",
        "assessment:organization_changelist",
        "assessment:team_changelist",
        "assessment:membership_changelist",
    ],
)
def test_criteria_editor_cannot_see_people(client, editor, changelist):
    client.force_login(editor)

    response = client.get(reverse(f"admin:{changelist.replace(':', '_')}"))

    assert response.status_code == 403


def test_criteria_editor_can_change_the_comparison(client, editor):
    client.force_login(editor)

    discipline = Discipline.objects.first()

    response = client.get(reverse("admin:comparisons_discipline_change", args=[discipline.pk]))

    assert response.status_code == 200
    assert 'name="_save"' in page_text(response)


def test_staff_without_the_group_can_view_but_not_change_criteria(client, viewer, draft):
    client.force_login(viewer)
    question = draft.questions.get(key="reviews")
    before = criteria_rows()

    page = client.get(url("question_change", question.pk))
    changed = client.post(url("question_change", question.pk), question_post(question, text="?"))
    published = client.post(url("questionnaireversion_publish", draft.pk))

    assert page.status_code == 200
    assert 'name="_save"' not in page_text(page)
    assert client.get(url("questionnaireversion_changelist")).status_code == 200
    assert (changed.status_code, published.status_code) == (403, 403)
    assert criteria_rows() == before


def test_signed_out_people_cannot_reach_the_criteria_admin(client, published):
    response = client.get(url("questionnaireversion_preview", published.pk))

    assert response.status_code == 302
    assert "login" in response.url


# Problem paths to rows --------------------------------------------------------------------


def test_a_problem_maps_to_the_deepest_row_on_its_path():
    objects = {
        "$.practices[1]": "practice 1",
        "$.practices[10]": "practice 10",
        "$.practices[1].questions[0]": "question 1.0",
        "$.practices[1].questions[0].options[2]": "option 1.0.2",
    }

    assert row_for_path(objects, "$.practices[1].questions[0].options") == "question 1.0"
    assert row_for_path(objects, "$.practices[1].questions[0].options[2].value") == "option 1.0.2"
    assert row_for_path(objects, "$.practices[10].key") == "practice 10"
    assert row_for_path(objects, "$.version.number") is None


def test_import_through_the_admin_is_the_same_service_as_the_command(client, editor):
    client.force_login(editor)
    content = json.dumps(small_document()).encode()

    client.post(url("questionnaire_import"), {"file": upload(content)})

    imported = QuestionnaireVersion.objects.get()
    Questionnaire.objects.all().delete()
    direct = questionnaire_import(data=json.loads(content)).version
    assert imported.content_hash == direct.content_hash


def test_a_question_added_inline_joins_the_practice_version(client, editor, draft):
    client.force_login(editor)
    practice = draft.practices.get(key="version-control")
    data = practice_post(practice)
    data.update(
        {
            "questions-TOTAL_FORMS": data["questions-TOTAL_FORMS"] + 1,
            "questions-2-order": 5,
            "questions-2-key": "branching",
            "questions-2-text": "How does the team branch?",
            "questions-2-weight": "1",
            "questions-2-required": "on",
        }
    )

    response = client.post(url("practice_change", practice.pk), data)

    assert response.status_code == 302
    added = Question.objects.get(key="branching")
    assert (added.practice, added.version) == (practice, draft)


def test_a_question_added_inline_with_a_taken_key_is_a_form_error(client, editor, draft):
    client.force_login(editor)
    practice = draft.practices.get(key="version-control")
    data = practice_post(practice)
    data.update(
        {
            "questions-TOTAL_FORMS": data["questions-TOTAL_FORMS"] + 1,
            "questions-2-order": 5,
            "questions-2-key": "has-models",  # a question of another practice of the version
            "questions-2-text": "Again?",
            "questions-2-weight": "1",
        }
    )
    before = criteria_rows()

    response = client.post(url("practice_change", practice.pk), data)

    assert response.status_code == 200
    assert "already exists" in page_text(response)
    assert criteria_rows() == before


def test_adding_a_practice_without_a_version_is_a_form_error(client, editor, draft):
    client.force_login(editor)
    dimension = draft.practices.first().dimension_id

    response = client.post(
        url("practice_add"),
        {"key": "new", "name": "New", "description": "", "dimension": dimension, "order": 9},
    )

    assert response.status_code == 200
    assert "This field is required." in page_text(response)


def test_reverting_from_history_needs_the_change_permission(client, editor, viewer, draft):
    question = draft.questions.get(key="reviews")
    client.force_login(editor)
    client.post(url("question_change", question.pk), question_post(question, text="Who reviews?"))
    question.refresh_from_db()
    first = question.history.earliest()
    revert = reverse("admin:assessment_question_simple_history", args=[question.pk, first.pk])
    client.force_login(viewer)

    response = client.post(revert, question_post(question, text="Reverted by a viewer"))

    assert response.status_code == 403
    question.refresh_from_db()
    assert question.text == "Who reviews?"


def test_preview_renders_the_shipped_questionnaire(client, viewer, default_version):
    client.force_login(viewer)

    response = client.get(url("questionnaireversion_preview", default_version.pk))

    options = Option.objects.filter(question__version=default_version).count()
    assert response.status_code == 200
    assert page_text(response).count('type="radio"') == options


def test_criteria_editors_hold_no_permission_on_people():
    group = Group.objects.get(name=EDITORS)

    labels = set(group.permissions.values_list("content_type__app_label", "content_type__model"))

    assert ("assessment", "question") in labels
    assert ("comparisons", "stance") in labels
    assert ("assessment", "historicalquestion") in labels
    assert not labels & {
        ("auth", "user"),
        ("auth", "group"),
        ("assessment", "organization"),
        ("assessment", "team"),
        ("assessment", "membership"),
    }


def test_questionnaire_list_names_the_published_version(client, viewer, draft):
    client.force_login(viewer)

    response = client.get(url("questionnaire_changelist"))

    assert response.status_code == 200
    assert '<td class="field-latest_published">v1</td>' in page_text(response)
