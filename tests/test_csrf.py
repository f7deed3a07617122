"""Every state-changing endpoint refuses a request without a CSRF token."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.answering import SMALL_ALL, answer, option_of, question_of
from tests.factories import TEST_PASSWORD
from tests.test_access import database_fingerprint

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


def test_every_post_endpoint_refuses_a_request_without_a_token(
    strict_client, member, manager, team, open_round, small_version
):
    answer(open_round, member, SMALL_ALL)
    question = question_of(small_version, "code-in-vcs")
    practice = small_version.practices.get(key="version-control")
    option = option_of(small_version, "code-in-vcs", "none")
    posts = [
        (member, reverse("assessment:answer_save", args=[open_round.pk]),
         {f"q-{question.pk}": option.pk}),
        (member, reverse("assessment:section_save", args=[open_round.pk, practice.pk]),
         {f"q-{question.pk}": option.pk}),
        (member, reverse("assessment:submit", args=[open_round.pk]), {}),
        (manager, reverse("assessment:round_create", args=[team.pk]),
         {"version": small_version.pk, "title": "Sneaky"}),
        (manager, reverse("assessment:round_close", args=[open_round.pk]), {}),
        (member, reverse("password_change"),
         {"old_password": TEST_PASSWORD, "new_password1": "x" * 20, "new_password2": "x" * 20}),
        (member, reverse("logout"), {}),
        (None, reverse("login"), {"username": member.username, "password": TEST_PASSWORD}),
    ]  # fmt: skip
    before = database_fingerprint()

    for user, url, data in posts:
        strict_client.logout()
        if user is not None:
            strict_client.force_login(user)
        response = strict_client.post(url, data, headers={"HX-Request": "true"})

        assert response.status_code == 403, url

    assert database_fingerprint() == before
    member.refresh_from_db()
    assert member.check_password(TEST_PASSWORD)


def test_the_token_on_the_page_is_what_htmx_sends(strict_client, member, open_round):
    strict_client.force_login(member)
    page = strict_client.get(reverse("assessment:respond", args=[open_round.pk]))
    token = page.context["csrf_token"]
    question = question_of(open_round.version, "code-in-vcs")
    option = option_of(open_round.version, "code-in-vcs", "all")

    response = strict_client.post(
        reverse("assessment:answer_save", args=[open_round.pk]),
        {f"q-{question.pk}": option.pk},
        headers={"HX-Request": "true", "X-CSRFToken": str(token)},
    )

    assert response.status_code == 200
    assert f'hx-headers=\'{{"X-CSRFToken": "{token}"}}\'' in page.content.decode()


def test_a_refusal_is_the_sites_own_page_with_no_inline_style(strict_client, member, open_round):
    strict_client.force_login(member)

    response = strict_client.post(reverse("assessment:submit", args=[open_round.pk]))

    html = response.content.decode()
    assert response.status_code == 403
    assert [t.name for t in response.templates][:2] == ["403_csrf.html", "base.html"]
    assert "Nothing was saved" in html
    assert "<style" not in html
    assert "style=" not in html
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_a_refusal_tells_htmx_in_plain_text(strict_client, member, open_round):
    strict_client.force_login(member)

    response = strict_client.post(
        reverse("assessment:answer_save", args=[open_round.pk]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/plain")
    assert "Reload the page" in response.content.decode()
