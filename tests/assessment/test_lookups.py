"""Integer lookups with a value beyond any column's range match nothing (or everything,
for a comparison the whole range passes), on SQLite as on PostgreSQL."""

import pytest

from assessment.models import Membership

pytestmark = pytest.mark.django_db

BEYOND = 2**63  # one more than a 64-bit column holds


@pytest.mark.parametrize(
    ("lookup", "value", "matches"),
    [
        ("pk", BEYOND, False),  # Django's own rule, for comparison
        ("pk__in", [BEYOND], False),
        ("pk__in", [-BEYOND - 1], False),
        ("team", BEYOND, False),
        ("team_id", BEYOND, False),
        ("team__in", [BEYOND], False),
        ("team_id__in", [BEYOND], False),
        ("team__id__in", [BEYOND], False),
        ("team__organization", BEYOND, False),
        ("team__organization__in", [BEYOND], False),
        ("team__lt", BEYOND, True),
        ("team__lte", BEYOND, True),
        ("team__gt", BEYOND, False),
        ("team__gte", -BEYOND - 1, True),
        ("team__gt", -BEYOND - 1, True),
        ("team__lt", -BEYOND - 1, False),
    ],
)
def test_a_value_beyond_the_column_compares_without_reaching_the_database(
    member, lookup, value, matches
):
    assert Membership.objects.filter(**{lookup: value}).exists() is matches


def test_in_keeps_the_values_that_fit(member, manager):
    membership = Membership.objects.get(user=member)

    found = Membership.objects.filter(pk__in=[BEYOND, membership.pk, -BEYOND - 1])
    by_team = Membership.objects.filter(team__in=[BEYOND, membership.team_id])

    assert list(found) == [membership]
    assert by_team.count() == 2
