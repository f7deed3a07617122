"""Django's mail settings from one URL (``DJANGO_EMAIL_URL``), as DATABASE_URL does for the
database. Parsed here rather than by a package: the format is a dozen lines and the
packages that did it are no longer maintained.

    smtp://user:password@mail.example.com:25      plain SMTP (port 25 unless given)
    smtp+tls://user:password@mail.example.com     STARTTLS (port 587 unless given)
    smtps://user:password@mail.example.com        TLS from the first byte (port 465)
    console://                                    print each message (development)
    locmem://  dummy://                           keep in memory, or drop

Percent-encode special characters of the user and password (``@`` is ``%40``). A query may
add ``timeout`` (seconds).
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP = "django.core.mail.backends.smtp.EmailBackend"
OTHER_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
# scheme: (default port, STARTTLS, implicit TLS)
SMTP_SCHEMES = {
    "smtp": (25, False, False),
    "smtp+tls": (587, True, False),
    "submission": (587, True, False),
    "smtps": (465, False, True),
    "smtp+ssl": (465, False, True),
}


def email_settings(url: str) -> dict[str, object]:
    """The EMAIL_* settings a mail URL stands for."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme in OTHER_BACKENDS:
        return {"EMAIL_BACKEND": OTHER_BACKENDS[scheme]}
    if scheme not in SMTP_SCHEMES:
        known = ", ".join(sorted([*SMTP_SCHEMES, *OTHER_BACKENDS]))
        raise ImproperlyConfigured(
            f"DJANGO_EMAIL_URL has the scheme {scheme!r}; use one of: {known}."
        )
    if not parts.hostname:
        raise ImproperlyConfigured(
            "DJANGO_EMAIL_URL needs a host, e.g. smtp+tls://mail.example.com"
        )
    default_port, starttls, implicit_tls = SMTP_SCHEMES[scheme]
    try:
        port = parts.port or default_port
    except ValueError as error:
        raise ImproperlyConfigured(f"DJANGO_EMAIL_URL has a bad port: {error}") from error
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    settings: dict[str, object] = {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": starttls,
        "EMAIL_USE_SSL": implicit_tls,
    }
    if "timeout" in options:
        try:
            settings["EMAIL_TIMEOUT"] = float(options["timeout"])
        except ValueError as error:
            raise ImproperlyConfigured("DJANGO_EMAIL_URL: timeout must be a number.") from error
    return settings
