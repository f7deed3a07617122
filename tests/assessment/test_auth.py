import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse

from config.settings import client_address_headers
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


# Client addresses behind a proxy ----------------------------------------------------------

CLIENT_A, CLIENT_B = "198.51.100.7", "203.0.113.9"


def sign_in_from(client, forwarded_for: str, username: str, password: str):
    """A sign-in as gunicorn sees it behind nginx: the proxy's address, the header it set."""
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="127.0.0.1",
        headers={"X-Forwarded-For": forwarded_for},
    )


@pytest.fixture
def behind_one_proxy(settings):
    """The settings DJANGO_TRUSTED_PROXIES=1 gives (the nginx of docs/deployment.md)."""
    count, order = client_address_headers(1)
    settings.AXES_IPWARE_PROXY_COUNT = count
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = order


def test_trusted_proxies_read_the_client_from_the_forwarded_header():
    assert client_address_headers(0) == (None, ["REMOTE_ADDR"])
    assert client_address_headers(1) == (0, ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"])
    assert client_address_headers(2) == (1, ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"])


def test_a_lockout_from_one_forwarded_address_does_not_lock_out_another(
    client, member, behind_one_proxy
):
    for _ in range(5):
        sign_in_from(client, CLIENT_A, member.username, "not the password")

    locked = sign_in_from(client, CLIENT_A, member.username, TEST_PASSWORD)
    elsewhere = sign_in_from(client, CLIENT_B, member.username, TEST_PASSWORD)

    assert locked.status_code == 429
    assert elsewhere.status_code == 302
    assert AccessAttempt.objects.get().ip_address == CLIENT_A


@pytest.mark.parametrize(
    ("proxies", "forwarded_for"),
    [
        (1, f"6.6.6.6, {CLIENT_A}"),  # the client sent its own header; nginx appended
        (1, f"not-an-address, {CLIENT_A}"),
        (2, f"6.6.6.6, {CLIENT_A}, 10.0.0.2"),  # a load balancer, then nginx
    ],
)
def test_entries_a_client_adds_before_the_proxies_are_ignored(
    client, member, settings, proxies, forwarded_for
):
    settings.AXES_IPWARE_PROXY_COUNT, settings.AXES_IPWARE_META_PRECEDENCE_ORDER = (
        client_address_headers(proxies)
    )

    sign_in_from(client, forwarded_for, member.username, "not the password")

    assert AccessAttempt.objects.get().ip_address == CLIENT_A


def test_without_trusted_proxies_the_forwarded_header_is_ignored(client, member):
    for _ in range(5):
        sign_in_from(client, CLIENT_A, member.username, "not the password")

    response = sign_in_from(client, CLIENT_B, member.username, TEST_PASSWORD)

    assert response.status_code == 429  # both came from 127.0.0.1, whatever they claimed
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


# Input django-axes could not record ----------------------------------------------------


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_an_overlong_username_is_refused_before_anything_is_recorded(client, url_name):
    response = client.post(reverse(url_name), {"username": "x" * 300, "password": "guess"})

    assert response.status_code == 200
    assert "at most 150 characters (it has 300)" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    assert not AccessFailureLog.objects.exists()


# Guesses of the current password ---------------------------------------------------------

NEW_PASSWORD = "a much longer passphrase 42"


def change_password(client, old: str, new: str = NEW_PASSWORD):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_five_wrong_current_passwords_pause_password_change(client, member):
    client.force_login(member)
    wrong = [change_password(client, f"guess {n}") for n in range(5)]

    response = change_password(client, TEST_PASSWORD)

    assert [r.status_code for r in wrong] == [200] * 5
    assert response.status_code == 429
    assert "password change is paused for this account" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(TEST_PASSWORD)


def test_four_wrong_current_passwords_do_not_pause(client, member):
    client.force_login(member)
    for n in range(4):
        change_password(client, f"guess {n}")

    response = change_password(client, TEST_PASSWORD)

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_the_pause_is_per_account(client, member, manager):
    client.force_login(member)
    for n in range(5):
        change_password(client, f"guess {n}")
    client.force_login(manager)

    response = change_password(client, TEST_PASSWORD)

    assert response.status_code == 302


def test_a_successful_change_starts_the_count_again(client, member):
    client.force_login(member)
    for n in range(4):
        change_password(client, f"guess {n}")
    change_password(client, TEST_PASSWORD)
    for n in range(4):
        change_password(client, f"guess {n}")

    response = change_password(client, NEW_PASSWORD, "yet another long passphrase")

    assert response.status_code == 302


def test_the_pause_ends_after_the_cool_off(client, member, monkeypatch):
    client.force_login(member)
    for n in range(5):
        change_password(client, f"guess {n}")
    later = time.time() + 16 * 60
    monkeypatch.setattr(time, "time", lambda: later)  # what the cache reads

    response = change_password(client, TEST_PASSWORD)

    assert response.status_code == 302
