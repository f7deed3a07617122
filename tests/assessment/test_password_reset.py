"""Password reset by mail: Django's views and tokens, the same answer for any address,
throttled like sign-in, and gone where password sign-in is off."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another long passphrase 31"


def ask(client, email: str):
    return client.post(reverse("password_reset"), {"email": email})


def test_a_known_and_an_unknown_address_get_the_same_answer(client, member, mailoutbox):
    known = ask(client, member.email)
    unknown = ask(client, "nobody@example.com")

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("password_reset_done")
    assert [m.to for m in mailoutbox] == [[member.email]]


def test_the_mailed_link_sets_a_new_password(client, member, mailoutbox):
    ask(client, member.email)
    message = mailoutbox[0]
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/password/reset/\S+/)", message.body)

    form = client.get(link[1], follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert message.alternatives[0][1] == "text/html"
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_requests_pause_after_five_for_one_address_from_one_network(client, member, mailoutbox):
    for _ in range(5):
        ask(client, member.email)

    response = ask(client, member.email)

    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert len(mailoutbox) == 5


def test_an_unknown_address_is_paused_the_same_way(client):
    for _ in range(5):
        ask(client, "nobody@example.com")

    assert ask(client, "nobody@example.com").status_code == 429


def test_password_reset_is_gone_where_password_sign_in_is_off(client, member, settings, mailoutbox):
    settings.READINESS_PASSWORD_SIGN_IN = False

    response = ask(client, member.email)

    assert response.status_code == 404
    assert mailoutbox == []


def test_passwords_are_refused_everywhere_where_password_sign_in_is_off(client, member, settings):
    from tests.factories import TEST_PASSWORD

    settings.READINESS_PASSWORD_SIGN_IN = False

    response = client.post(
        reverse("login"), {"username": member.username, "password": TEST_PASSWORD}
    )
    page = client.get(reverse("login")).content.decode()

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'name="password"' not in page
