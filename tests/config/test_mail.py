import pytest
from django.core.exceptions import ImproperlyConfigured

from config.mail import email_settings


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp+tls://mailer:p%40ss@mail.example.com",
            {
                "EMAIL_HOST": "mail.example.com",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "mailer",
                "EMAIL_HOST_PASSWORD": "p@ss",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        ("smtps://mail.example.com", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True}),
        ("smtp://127.0.0.1:2525", {"EMAIL_PORT": 2525, "EMAIL_USE_TLS": False}),
        ("smtp://mail.example.com?timeout=5", {"EMAIL_PORT": 25, "EMAIL_TIMEOUT": 5.0}),
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
    ],
)
def test_a_mail_url_gives_djangos_settings(url, expected):
    settings = email_settings(url)

    assert settings | expected == settings


@pytest.mark.parametrize("url", ["http://mail.example.com", "smtp://", "smtp://host:port"])
def test_a_bad_mail_url_is_refused_at_start(url):
    with pytest.raises(ImproperlyConfigured):
        email_settings(url)
