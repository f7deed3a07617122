from __future__ import annotations

import pytest

from tests.factories import MembershipFactory, OrganizationFactory, TeamFactory, UserFactory

pytest_plugins = ["tests.browser.fixtures"]


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Acme", slug="acme")


@pytest.fixture
def team(organization):
    return TeamFactory(organization=organization, name="Payments", slug="payments")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Elsewhere", slug="elsewhere")


@pytest.fixture
def member(team):
    return MembershipFactory(team=team, user=UserFactory(username="mia")).user


@pytest.fixture
def manager(team):
    return MembershipFactory(team=team, user=UserFactory(username="max"), role="manager").user


@pytest.fixture
def other_manager(other_team):
    return MembershipFactory(
        team=other_team, user=UserFactory(username="otto"), role="manager"
    ).user


@pytest.fixture
def org_lead(organization):
    user = UserFactory(username="lena")
    organization.leads.add(user)
    return user


@pytest.fixture
def staff(db):
    return UserFactory(username="sam", is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(db):
    return UserFactory(username="nobody")


@pytest.fixture
def small_version(db):
    """The small three-practice questionnaire of tests/criteria_data.py, published."""
    from assessment.criteria.lifecycle import questionnaire_import
    from tests.criteria_data import small_document

    return questionnaire_import(data=small_document()).version


@pytest.fixture
def default_version(db):
    """The shipped default questionnaire, published."""
    from assessment.criteria.document import DEFAULT_QUESTIONNAIRE
    from assessment.criteria.lifecycle import questionnaire_import_file

    return questionnaire_import_file(path=DEFAULT_QUESTIONNAIRE).version


@pytest.fixture
def open_round(team, manager, small_version):
    from assessment.rounds import round_open

    return round_open(team=team, version=small_version, title="2026 Q4", opened_by=manager)


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts with empty caches (criteria, rendered reports)."""
    from tests.caches import empty_caches

    empty_caches()
    yield
