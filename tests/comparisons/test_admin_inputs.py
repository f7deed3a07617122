"""Names for the admin's inputs without a label: inline and changelist cells named by their
column, a date and time field's two inputs, and the tabular inline template kept in step
with Django's."""

from __future__ import annotations

from pathlib import Path

import django.contrib.admin
import pytest
from django.conf import settings
from django.urls import reverse

from assessment.criteria.lifecycle import version_new_draft
from comparisons.admin_inputs import NamedSplitDateTime

pytestmark = pytest.mark.django_db

DJANGO_TABULAR = (
    Path(django.contrib.admin.__file__).parent / "templates/admin/edit_inline/tabular.html"
)
OUR_TABULAR = settings.BASE_DIR / "templates/admin/edit_inline/tabular.html"


def inline_forms(response, prefix: str) -> list:
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    )
    return formset.forms


def test_an_inline_input_is_named_by_its_column(client, staff, small_version):
    practice = version_new_draft(version=small_version).practices.get(key="version-control")
    client.force_login(staff)

    response = client.get(reverse("admin:assessment_practice_change", args=[practice.pk]))

    question = inline_forms(response, "questions")[0]
    assert question.fields["key"].widget.attrs["aria-label"] == "Key"
    assert question.fields["weight"].widget.attrs["aria-label"] == "Weight"
    weighting = inline_forms(response, "weights")[0]
    assert weighting.fields["discipline"].widget.attrs["aria-label"] == "Discipline"


def test_an_inline_delete_box_names_its_row(client, staff, small_version):
    practice = version_new_draft(version=small_version).practices.get(key="version-control")
    client.force_login(staff)

    response = client.get(reverse("admin:assessment_practice_change", args=[practice.pk]))

    question = inline_forms(response, "questions")[0]
    label = question.fields["DELETE"].widget.attrs["aria-label"]
    assert label == f"Delete “{question.instance}”"


def test_a_list_editable_input_is_named_by_its_column(client, staff):
    client.force_login(staff)

    response = client.get(reverse("admin:comparisons_dimension_changelist"))

    rows = response.context["cl"].formset.forms
    assert rows
    assert all(row.fields["order"].widget.attrs["aria-label"] == "Order" for row in rows)


def test_the_change_form_keeps_its_visible_labels_only(client, staff):
    client.force_login(staff)

    response = client.get(reverse("admin:comparisons_dimension_add"))

    assert "aria-label" not in response.context["adminform"].form.fields["order"].widget.attrs


def test_a_date_and_time_field_names_both_its_inputs():
    html = NamedSplitDateTime().render("last_login", None, attrs={"id": "id_last_login"})

    assert 'aria-label="Date"' in html
    assert 'aria-label="Time"' in html


def test_the_tabular_inline_template_is_djangos_with_two_headings_changed():
    """Ours is a copy (Django's has no blocks): when Django's changes, copy it again and
    make the two changes of the comment at its top."""
    ours = OUR_TABULAR.read_text()
    _, _, ours_without_comment = ours.partition("{% endcomment %}\n")
    changes = {
        '<th class="original"></th>': (
            '<th class="original"><span class="visually-hidden">'
            "{{ inline_admin_formset.opts.verbose_name|capfirst }}</span></th>"
        ),
        "<th>{% if inline_admin_formset.formset.can_delete and inline_admin_formset."
        'has_delete_permission %}{% translate "Delete?" %}{% endif %}</th>': (
            "{% if inline_admin_formset.formset.can_delete and inline_admin_formset."
            'has_delete_permission %}<th>{% translate "Delete?" %}</th>{% else %}<td></td>'
            "{% endif %}"
        ),
    }
    expected = DJANGO_TABULAR.read_text()
    for django_line, our_line in changes.items():
        assert expected.count(django_line) == 1, "Django's tabular.html changed: copy it again"
        expected = expected.replace(django_line, our_line)

    assert ours_without_comment == expected
