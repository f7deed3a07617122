import pytest
from django.urls import reverse

from comparisons.models import Dimension, Discipline, Stance

pytestmark = pytest.mark.django_db


def test_comparison_page_is_public_and_shows_every_dimension_and_stance(client):
    response = client.get(reverse("comparisons:comparison"))

    assert response.status_code == 200
    html = response.content.decode()
    for dimension in Dimension.objects.all():
        assert dimension.name in html
    for stance in Stance.objects.all():
        assert stance.summary in html
    assert "Wissen Technology Team" in html
    assert "29 January 2026" in html


def test_seed_has_eight_dimensions_and_two_disciplines_with_a_stance_each():
    assert Dimension.objects.count() == 8
    assert list(Discipline.objects.values_list("slug", flat=True)) == [
        "software-engineering",
        "ai-engineering",
    ]
    assert Stance.objects.count() == 16


def test_edited_stance_shows_on_the_page(client):
    stance = Stance.objects.get(dimension__slug="testing", discipline__slug="ai-engineering")
    stance.summary = "Statistical evaluation against thresholds"
    stance.save()

    response = client.get(reverse("comparisons:comparison"))

    assert "Statistical evaluation against thresholds" in response.content.decode()


def test_a_third_discipline_becomes_a_column(client):
    Discipline.objects.create(slug="data-engineering", name="Data engineering", order=3)

    response = client.get(reverse("comparisons:comparison"))

    html = response.content.decode()
    assert '<th scope="col">Data engineering</th>' in html
    assert html.count('data-label="Data engineering"') == 8


def test_comparison_page_queries_do_not_depend_on_rows(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(reverse("comparisons:comparison"))
