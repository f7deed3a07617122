import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 20 + "-this-is-a-long-random-test-key-0123456789"


def run_django(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "READINESS_")) and key != "DATABASE_URL"
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django("check", DJANGO_DEBUG="false")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_the_wsgi_entry_point_fails_closed_without_settings():
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }

    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_key():
    result = run_django(
        "check",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="dev-only-insecure-key-never-use-in-production",
    )

    assert result.returncode != 0


def test_deploy_check_passes_under_production_settings():
    result = run_django(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="readiness.example.com",
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("comparisons:comparison"),
        reverse("login"),
        reverse("admin:login"),
    ],
)
def test_every_page_has_a_strict_content_security_policy(client, url):
    response = client.get(url)

    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-" not in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_signed_in_pages_have_a_strict_policy_too(client, staff):
    client.force_login(staff)

    for url in [reverse("home"), reverse("password_change"), reverse("admin:index")]:
        policy = client.get(url).headers["Content-Security-Policy"]

        assert "unsafe-" not in policy, url


def test_hsts_is_set_for_a_year_under_production_settings():
    result = run_django(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="readiness.example.com",
    )

    assert result.stdout.strip().splitlines()[-1].split() == ["31536000", "True", "True"]


def test_management_commands_print_no_axes_banner():
    result = run_django("check", DJANGO_DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert "AXES" not in result.stdout + result.stderr


def test_the_axes_banner_shows_when_asked_with_debug_logging():
    result = run_django("check", DJANGO_DEBUG="true", DJANGO_LOG_LEVEL="DEBUG")

    assert "AXES: BEGIN" in result.stderr


def test_make_run_says_which_port_to_use_when_its_port_is_taken():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = subprocess.run(  # noqa: S603
            [sys.executable, "scripts/port_free.py", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )

    assert result.returncode != 0
    assert f"make run PORT={port + 1}" in result.stderr


def test_mail_is_set_by_one_url():
    result = run_django(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS)",
        DJANGO_DEBUG="true",
        DJANGO_EMAIL_URL="smtp+tls://mailer:secret@mail.example.com",
    )

    assert result.stdout.splitlines()[-1] == "mail.example.com 587 True", result.stderr


def test_single_sign_on_refuses_to_start_half_configured():
    result = run_django("check", DJANGO_DEBUG="true", READINESS_OIDC="true")

    assert result.returncode != 0
    assert "READINESS_OIDC_ISSUER" in result.stderr


def test_password_sign_in_cannot_be_off_without_single_sign_on():
    result = run_django("check", DJANGO_DEBUG="true", READINESS_PASSWORD_SIGN_IN="false")

    assert result.returncode != 0
    assert "nobody could sign in" in result.stderr
