"""The criteria admin and scopes: a version's kinds of system and risk tiers, what each
practice and question is asked of, targets per tier, rationales and traces. Each is edited
through the admin's own forms (read from the page as a browser sends them), refused by the
importer's rules when wrong, read-only once published, and shown in the preview."""

import html
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from assessment.criteria.lifecycle import questionnaire_import, version_new_draft
from assessment.models import Practice, PracticeWeight, Question, QuestionnaireVersion
from tests.criteria_data import scoped_document
from tests.factories import UserFactory
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


# Fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture
def editor(db):
    user = UserFactory(username="edna", is_staff=True)
    user.groups.add(Group.objects.get(name="Criteria editors"))
    return user


@pytest.fixture
def scoped(db):
    """The small questionnaire with scopes (tests/criteria_data.py), published."""
    return questionnaire_import(data=scoped_document()).version


@pytest.fixture
def draft(scoped):
    return version_new_draft(version=scoped)


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


def change_url(row) -> str:
    return reverse(f"admin:assessment_{row._meta.model_name}_change", args=[row.pk])


def edit_page(client, row) -> dict[str, list[str]]:
    """The row's change form, inlines included, as the browser would send it unchanged."""
    response = client.get(change_url(row))
    assert response.status_code == 200
    return form_data(response.content.decode(), f"{row._meta.model_name}_form")


def errors(response) -> list[str]:
    """The text of every error on the page, links left out."""
    lists = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode())
    items = [item for found in lists for item in re.findall(r"<li>(.*?)</li>", found)]
    return [html.unescape(re.sub(r"<[^>]+>", "", item)) for item in items]


def has_error(response, message: str) -> bool:
    return any(message in error for error in errors(response))


def scopes() -> list[tuple]:
    return [
        *QuestionnaireVersion.objects.values_list("pk", "kinds", "tiers"),
        *Practice.objects.values_list("pk", "applies_to", "rationale"),
        *PracticeWeight.objects.values_list("pk", "target", "tier_targets"),
        *Question.objects.values_list("pk", "applies_to", "traces_to"),
    ]


def weight_index(data: dict[str, list[str]], weight: PracticeWeight) -> int:
    """The inline form of ``weight`` on its practice's page."""
    ids = [
        name for name, value in data.items() if name.endswith("-id") and value == [str(weight.pk)]
    ]
    return int(ids[0].split("-")[1])


# Kinds and tiers of a version -------------------------------------------------------------


def test_a_drafts_kinds_and_tiers_are_edited_on_its_page(signed_in, draft):
    data = edit_page(signed_in, draft)
    kinds = json.loads(data["kinds"][0])
    kinds[0]["name"] = "No AI at all"
    kinds.append({"key": "agents", "name": "Agents", "description": "Tools that act."})
    data["kinds"] = [json.dumps(kinds)]

    response = signed_in.post(change_url(draft), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert [kind["key"] for kind in draft.kinds] == ["no-ai", "ml", "llm", "agents"]
    assert draft.kind_name("no-ai") == "No AI at all"
    assert draft.tiers == scoped_document()["version"]["tiers"]


@pytest.mark.parametrize(
    ("field", "edit", "message"),
    [
        (
            "kinds",
            lambda items: [*items, {"key": "ml", "name": "Again"}],
            "kinds[3].key: 'ml' is used twice",
        ),
        (
            "tiers",
            lambda items: [{**items[0], "key": "Low Risk"}],
            "tiers[0].key: 'Low Risk' does not match",
        ),
        (
            "kinds",
            lambda items: [*items, {"key": "iot"}],
            "kinds[3]: 'name' is a required property",
        ),
        ("kinds", lambda items: [{**items[0], "risk": "high"}], "('risk' was unexpected)"),
        ("kinds", lambda items: {"ml": "Machine learning"}, "is not of type 'array'"),
        ("tiers", lambda items: [], "give both kinds and tiers, or neither"),
    ],
)
def test_bad_kinds_or_tiers_are_a_form_error_and_change_nothing(
    signed_in, draft, field, edit, message
):
    data = edit_page(signed_in, draft)
    data[field] = [json.dumps(edit(json.loads(data[field][0])))]
    before = scopes()

    response = signed_in.post(change_url(draft), data)

    assert response.status_code == 200
    assert has_error(response, message), errors(response)
    assert scopes() == before


def test_kinds_that_are_not_json_are_a_form_error(signed_in, draft):
    data = edit_page(signed_in, draft)
    data["kinds"] = ["[{key: 'ml'}]"]
    before = scopes()

    response = signed_in.post(change_url(draft), data)

    assert has_error(response, "Enter a valid JSON.")
    assert "[{key: &#x27;ml&#x27;}]</textarea>" in response.content.decode()  # kept to fix
    assert scopes() == before


def test_taking_away_a_kind_still_named_is_refused_with_links_to_what_names_it(signed_in, draft):
    data = edit_page(signed_in, draft)
    data["kinds"] = [json.dumps([k for k in draft.kinds if k["key"] != "ml"])]
    before = scopes()

    response = signed_in.post(change_url(draft), data)

    drift = draft.practices.get(key="drift-monitoring")
    alerts = draft.questions.get(key="drift-alerts")
    page = response.content.decode()
    assert f'<a href="{change_url(drift)}">Practice “Drift monitoring”</a>' in page
    assert f'<a href="{change_url(alerts)}">' in page
    assert has_error(
        response, "Practice “Drift monitoring” ($.practices[2].applies_to) would have a problem: "
        "unknown kind of system 'ml'",
    )  # fmt: skip
    assert scopes() == before


def test_taking_away_a_tier_with_targets_is_refused(signed_in, draft):
    data = edit_page(signed_in, draft)
    data["tiers"] = [json.dumps(draft.tiers[:1])]
    before = scopes()

    response = signed_in.post(change_url(draft), data)

    version_control = draft.practices.get(key="version-control")
    assert f'<a href="{change_url(version_control)}">' in response.content.decode()
    assert has_error(response, "unknown risk tier 'regulated'")
    assert scopes() == before


# What a practice is asked of, and why it weighs what it does ------------------------------


def test_a_practice_offers_the_versions_kinds_as_checkboxes(signed_in, draft):
    models = draft.practices.get(key="models-in-production")

    data = edit_page(signed_in, models)

    page = signed_in.get(change_url(models)).content.decode()
    assert page.count('type="checkbox" name="applies_to"') == 3
    assert "Hosted LLM</label>" in page
    assert data["applies_to"] == ["ml", "llm"]  # the ticked ones


def test_a_practices_kinds_and_rationale_are_saved(signed_in, draft):
    models = draft.practices.get(key="models-in-production")
    data = edit_page(signed_in, models)
    data["applies_to"] = ["ml"]
    data["rationale"] = ["Only models trained in-house count here."]

    response = signed_in.post(change_url(models), data)

    assert response.status_code == 302
    models.refresh_from_db()
    assert (models.applies_to, models.rationale) == (
        ["ml"],
        "Only models trained in-house count here.",
    )


def test_a_practice_with_no_kind_ticked_is_asked_of_every_kind(signed_in, draft):
    models = draft.practices.get(key="models-in-production")
    data = edit_page(signed_in, models)
    del data["applies_to"]  # nothing ticked: the browser sends nothing

    signed_in.post(change_url(models), data)

    models.refresh_from_db()
    assert models.applies_to is None


def test_a_practice_asked_of_an_unknown_kind_is_refused(signed_in, draft):
    models = draft.practices.get(key="models-in-production")
    data = edit_page(signed_in, models)
    data["applies_to"] = ["ml", "iot"]
    before = scopes()

    response = signed_in.post(change_url(models), data)

    assert has_error(response, "Select a valid choice. iot is not one of the available choices.")
    assert scopes() == before


def test_narrowing_a_practice_below_what_its_questions_are_asked_of_is_refused(signed_in, draft):
    drift = draft.practices.get(key="drift-monitoring")
    data = edit_page(signed_in, drift)
    data["applies_to"] = ["llm"]  # its question is asked of "ml"
    before = scopes()

    response = signed_in.post(change_url(drift), data)

    alerts = draft.questions.get(key="drift-alerts")
    assert f'<a href="{change_url(alerts)}">' in response.content.decode()
    assert has_error(response, "names kinds its practice is not asked of")
    assert scopes() == before


def test_a_rationale_longer_than_the_file_allows_is_refused(signed_in, draft):
    models = draft.practices.get(key="models-in-production")
    data = edit_page(signed_in, models)
    data["rationale"] = ["Because " * 70]
    before = scopes()

    response = signed_in.post(change_url(models), data)

    assert has_error(response, "is too long")
    assert scopes() == before


# Targets per risk tier --------------------------------------------------------------------


def test_a_weighting_has_one_target_input_per_tier(signed_in, draft):
    version_control = draft.practices.get(key="version-control")
    software = version_control.weights.get(discipline__slug="software-engineering")

    data = edit_page(signed_in, version_control)

    index = weight_index(data, software)
    assert data[f"weights-{index}-target_internal"] == [""]  # the target applies
    assert data[f"weights-{index}-target_regulated"] == ["1"]
    assert "Target, Regulated" in signed_in.get(change_url(version_control)).content.decode()


def test_tier_targets_are_saved_per_tier(signed_in, draft):
    version_control = draft.practices.get(key="version-control")
    software = version_control.weights.get(discipline__slug="software-engineering")
    data = edit_page(signed_in, version_control)
    index = weight_index(data, software)
    data[f"weights-{index}-target_internal"] = ["0.25"]
    data[f"weights-{index}-target_regulated"] = [""]

    response = signed_in.post(change_url(version_control), data)

    assert response.status_code == 302
    software.refresh_from_db()
    assert software.tier_targets == {"internal": 0.25}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1.5", "Ensure this value is less than or equal to 1."),
        ("-0.25", "Ensure this value is greater than or equal to 0."),
        ("0.1234", "Ensure that there are no more than 3 decimal places."),
    ],
)
def test_a_tier_target_outside_the_targets_range_is_refused(signed_in, draft, value, message):
    version_control = draft.practices.get(key="version-control")
    software = version_control.weights.get(discipline__slug="software-engineering")
    data = edit_page(signed_in, version_control)
    data[f"weights-{weight_index(data, software)}-target_internal"] = [value]
    before = scopes()

    response = signed_in.post(change_url(version_control), data)

    assert response.status_code == 200
    assert has_error(response, message)
    assert scopes() == before


# What a question is asked of, and where it comes from -------------------------------------


def test_a_questions_kinds_and_traces_are_saved(signed_in, draft):
    has_models = draft.questions.get(key="has-models")
    data = edit_page(signed_in, has_models)
    data["applies_to"] = ["ml", "llm"]
    data["traces_to"] = ["article:outcomes\r\n  nist-ai-rmf:MAP 1.1 \r\n\r\n"]

    response = signed_in.post(change_url(has_models), data)

    assert response.status_code == 302
    has_models.refresh_from_db()
    assert has_models.applies_to == ["ml", "llm"]
    assert has_models.traces_to == ["article:outcomes", "nist-ai-rmf:MAP 1.1"]


def test_a_questions_traces_show_one_per_line(signed_in, draft):
    alerts = draft.questions.get(key="drift-alerts")

    data = edit_page(signed_in, alerts)

    assert data["traces_to"] == ["article:stability\nml-test-score:Monitor 2"]
    assert data["applies_to"] == ["ml"]


@pytest.mark.parametrize(
    ("traces", "message"),
    [
        ("article:testing\nnist:GOVERN 1", "traces_to[1]: 'nist:GOVERN 1' does not match"),
        ("article:testing\narticle:governance", "name the article's dimension once"),
        ("article:nowhere", "'article:nowhere' names no dimension of the comparison"),
        ("dora:Version control\ndora:Version control", "has non-unique elements"),
    ],
)
def test_bad_traces_are_refused_by_the_importers_rules(signed_in, draft, traces, message):
    alerts = draft.questions.get(key="drift-alerts")
    data = edit_page(signed_in, alerts)
    data["traces_to"] = [traces]
    before = scopes()

    response = signed_in.post(change_url(alerts), data)

    assert response.status_code == 200
    assert has_error(response, message), errors(response)
    assert scopes() == before


def test_a_question_asked_of_kinds_its_practice_is_not_is_refused(signed_in, draft):
    alerts = draft.questions.get(key="drift-alerts")
    data = edit_page(signed_in, alerts)
    data["applies_to"] = ["ml", "llm"]  # its practice is asked of "ml" only
    before = scopes()

    response = signed_in.post(change_url(alerts), data)

    assert has_error(response, "names kinds its practice is not asked of")
    assert scopes() == before


def test_a_condition_asked_of_fewer_kinds_than_its_follow_up_is_refused(signed_in, draft):
    has_models = draft.questions.get(key="has-models")
    data = edit_page(signed_in, has_models)
    data["applies_to"] = ["llm"]  # its follow-up "drift-alerts" is asked of "ml"
    before = scopes()

    response = signed_in.post(change_url(has_models), data)

    alerts = draft.questions.get(key="drift-alerts")
    assert f'<a href="{change_url(alerts)}">' in response.content.decode()
    assert has_error(
        response, "the follow-up is asked of kinds its condition question 'has-models' is not"
    )
    assert scopes() == before


# Versions without scopes, and pages saved as they are -------------------------------------


def test_a_version_without_kinds_offers_no_kinds_to_tick(signed_in, small_version):
    unscoped = version_new_draft(version=small_version)
    practice = unscoped.practices.get(key="version-control")
    question = unscoped.questions.get(key="reviews")

    practice_page = edit_page(signed_in, practice)
    question_page = edit_page(signed_in, question)

    assert "applies_to" not in practice_page and "rationale" in practice_page
    assert "applies_to" not in question_page and "traces_to" in question_page
    assert not any("target_" in name for name in practice_page)


def test_the_shipped_questionnaire_saves_unchanged_through_every_page(signed_in, default_version):
    """Kinds, tier targets, rationales and traces read back from the pages as they were
    written: saving a page unchanged changes nothing and raises no problem."""
    draft = version_new_draft(version=default_version)
    rows = [
        draft,
        draft.practices.get(key="ai-operations"),  # applies_to, targets for two tiers
        draft.questions.filter(applies_to__isnull=False).first(),
        draft.questions.get(key="actionable-alerts"),  # three traces
    ]
    before = scopes()

    responses = [signed_in.post(change_url(row), edit_page(signed_in, row)) for row in rows]

    assert [r.status_code for r in responses] == [302] * len(rows), [errors(r) for r in responses]
    assert scopes() == before


# Published versions are read-only ---------------------------------------------------------


def test_a_published_versions_scopes_are_shown_but_not_editable(signed_in, scoped):
    before = scopes()

    page = signed_in.get(change_url(scoped)).content.decode()
    response = signed_in.post(change_url(scoped), {"kinds": "[]", "tiers": "[]"})

    assert 'name="kinds"' not in page and "Machine learning" in page
    assert response.status_code == 403
    assert scopes() == before


def test_a_published_practice_shows_its_tier_targets_read_only(signed_in, scoped):
    version_control = scoped.practices.get(key="version-control")
    before = scopes()

    page = signed_in.get(change_url(version_control)).content.decode()
    response = signed_in.post(
        change_url(version_control), {"applies_to": ["ml"], "rationale": "Changed"}
    )

    assert "Targets by risk tier" in page and "<p>Regulated: 1</p>" in page
    assert "target_regulated" not in page
    assert response.status_code == 403
    assert scopes() == before


# Preview ----------------------------------------------------------------------------------


def test_preview_shows_rationales_kinds_targets_per_tier_and_traces(client, draft):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:assessment_questionnaireversion_preview", args=[draft.pk]))

    assert response.context["problems"] == []
    sections = {s.practice.key: s for d in response.context["dimensions"] for s in d.sections}
    version_control, models, drift = (
        sections[key] for key in ("version-control", "models-in-production", "drift-monitoring")
    )
    assert version_control.rationale.startswith("A shared foundation")
    assert (version_control.asked_of, models.asked_of) == ((), ("Machine learning", "Hosted LLM"))
    targets = [(w.discipline, [str(t) for t in w.tier_targets]) for w in version_control.weightings]
    assert targets == [
        ("Software engineering", ["0.500", "1"]),
        ("AI engineering", ["0.500", "0.500"]),
    ]
    alerts = drift.items[0]
    assert alerts.asked_of == ("Machine learning",)
    assert alerts.traces == ("Article dimension: stability", "ML Test Score: Monitor 2")
    text = response.content.decode()
    assert '<th scope="col">Target, Internal</th><th scope="col">Target, Regulated</th>' in text
    assert "<td>50%</td><td>100%</td>" in text
    assert "Why these weights and targets: A shared foundation" in text
    assert "Asked of: Machine learning, Hosted LLM." in text
    assert "Traces to: Article dimension: stability; ML Test Score: Monitor 2" in text
