from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_correct_password_signs_in(client, member):
    response = sign_in(client, member.username, TEST_PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_wrong_password_shows_the_form_again(client, member):
    response = sign_in(client, member.username, "not the password")

    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()


def test_five_failures_lock_the_account_and_refuse_the_right_password(client, member):
    for _ in range(5):
        sign_in(client, member.username, "not the password")

    response = sign_in(client, member.username, TEST_PASSWORD)

    assert response.status_code == 429
    assert "Sign-in paused for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client, member):
    for _ in range(4):
        sign_in(client, member.username, "not the password")

    response = sign_in(client, member.username, TEST_PASSWORD)

    assert response.status_code == 302


def test_lock_applies_to_the_account_not_to_others_from_the_same_address(client, member, manager):
    for _ in range(5):
        sign_in(client, member.username, "not the password")

    response = sign_in(client, manager.username, TEST_PASSWORD)

    assert response.status_code == 302


def test_lock_ends_after_the_cool_off(client, member):
    for _ in range(5):
        sign_in(client, member.username, "not the password")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )

    response = sign_in(client, member.username, TEST_PASSWORD)

    assert response.status_code == 302


def test_password_change_requires_sign_in(client):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_password_change_refuses_short_passwords(client, member):
    client.force_login(member)

    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "Short1!xy", "new_password2": "Short1!xy"},
    )

    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()


def test_password_change_accepts_a_long_password(client, member):
    client.force_login(member)
    new = "a much longer passphrase 42"

    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new)


def test_sign_out_is_a_post(client, member):
    client.force_login(member)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
