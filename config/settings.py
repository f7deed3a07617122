"""Settings for the readiness app: one module, read from the environment.

Production is the default: unless ``DJANGO_DEBUG`` says otherwise, the app refuses to
start without a real secret key and turns on the HTTPS-only settings that
``manage.py check --deploy`` asks for, so a server that forgets a variable fails closed.
``manage.py`` (and so ``make run``) and the test settings default to debug on.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .mail import email_settings

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def client_address_headers(trusted_proxies: int) -> tuple[int | None, list[str]]:
    """``AXES_IPWARE_PROXY_COUNT`` and ``AXES_IPWARE_META_PRECEDENCE_ORDER`` for a server
    behind ``trusted_proxies`` proxies, each of which appends the address it was reached
    from to X-Forwarded-For (nginx's ``$proxy_add_x_forwarded_for``).

    With none, only REMOTE_ADDR counts: a forwarded header is the client's own claim. Behind
    N, the last N entries of the header were written by the proxies, so the client is the
    N-th entry from the right; anything left of it was sent by the client and is ignored.
    python-ipware counts the proxies named in the header, and the nearest proxy is not
    among them (it is REMOTE_ADDR), hence N - 1.
    """
    if trusted_proxies < 0:
        raise ImproperlyConfigured("DJANGO_TRUSTED_PROXIES must be 0 or more.")
    if trusted_proxies == 0:
        return None, ["REMOTE_ADDR"]
    return trusted_proxies - 1, ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "" if not DEBUG else DEV_SECRET_KEY)
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY == DEV_SECRET_KEY):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random string of at least 50 characters "
        "when DJANGO_DEBUG is false."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "simple_history",
    "comparisons",
    "assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "assessment.middleware.RequestSizeMiddleware",
    "assessment.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "assessment.context_processors.sign_in",
                "assessment.context_processors.dashboards",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work side by side; the busy timeout makes a second
    # writer wait for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters travel apart from the SQL, so psycopg can prepare a statement once a
    # connection has run it five times: PostgreSQL then stops parsing and planning it anew.
    # (Django turns preparing off unless told a threshold.) Behind a pooler that cannot
    # keep prepared statements (PgBouncer in transaction mode, unless 1.21 or later with
    # max_prepared_statements set), set DJANGO_DB_PREPARE=false.
    prepare = os.environ.get("DJANGO_DB_PREPARE", "true").lower() not in {"false", "0", "no", "off"}
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5 if prepare else None
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches: Redis when DJANGO_REDIS_URL is set (production, any number of app servers share
# it), else memory local to each process (development, tests). Keys carry a prefix, so one
# Redis can serve several deployments; nothing the app caches is kept per process except
# the frozen criteria of published versions (assessment/criteria/loading.py).
CACHE_KEY_PREFIX = os.environ.get("DJANGO_CACHE_KEY_PREFIX", "readiness")
if redis_url := os.environ.get("DJANGO_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes comes first and so sees every way to sign in: passwords (the sign-in page
# and the admin's) and single sign-on, whose failed callbacks count against the address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "assessment.backends.PasswordBackend",
    "assessment.backends.SingleSignOnBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# django-axes: lock an account+IP pair after five failures for fifteen minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_VERBOSE = True  # log failures and lockouts (credentials are masked)


# django-axes reads the client's address through django-ipware (python-ipware).
AXES_IPWARE_PROXY_ORDER = "left-most"  # the client first, each proxy appending
AXES_IPWARE_PROXY_COUNT, AXES_IPWARE_META_PRECEDENCE_ORDER = client_address_headers(
    int(os.environ.get("DJANGO_TRUSTED_PROXIES", "0"))
)
# Entries a client puts before the proxies' own are skipped, not a reason to distrust the
# whole header (django-ipware's default, strict, would fall back to the proxy's address).
IPWARE_STRICT = False

# Content Security Policy: nothing inline, nothing evaluated, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page, never from the cookie
CSRF_FAILURE_VIEW = "assessment.views.refusals.csrf_failure"  # Django's page has inline CSS

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Mail: DJANGO_EMAIL_URL (config/mail.py reads it), e.g. smtp+tls://user:pass@mail.example.com.
# Without it, development prints each message on the console and production hands mail
# to an SMTP server on localhost:25.
if email_url := os.environ.get("DJANGO_EMAIL_URL"):
    globals().update(email_settings(email_url))
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Readiness <readiness@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[Readiness] "

# Links in mail are absolute: where people reach the app. Production defaults to HTTPS on
# the first allowed host.
READINESS_BASE_URL = os.environ.get("READINESS_BASE_URL", "").rstrip("/")
if not READINESS_BASE_URL:
    if DEBUG:
        READINESS_BASE_URL = "http://127.0.0.1:8000"
    elif ALLOWED_HOSTS and not ALLOWED_HOSTS[0].startswith((".", "*")):
        READINESS_BASE_URL = f"https://{ALLOWED_HOSTS[0]}"

# Invitations: how long a link works.
READINESS_INVITATION_DAYS = int(os.environ.get("READINESS_INVITATION_DAYS", "7"))
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # a reset link works for three days

# Single sign-on with OpenID Connect (mozilla-django-oidc), off unless READINESS_OIDC is
# true. The provider's endpoints are given one by one: its discovery document
# (/.well-known/openid-configuration) lists them.
READINESS_OIDC = env_bool("READINESS_OIDC", False)
READINESS_OIDC_LABEL = os.environ.get("READINESS_OIDC_LABEL", "your organization's account")
OIDC_SETTINGS = {
    "OIDC_OP_ISSUER": "READINESS_OIDC_ISSUER",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "READINESS_OIDC_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT": "READINESS_OIDC_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT": "READINESS_OIDC_USERINFO_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT": "READINESS_OIDC_JWKS_ENDPOINT",
    "OIDC_RP_CLIENT_ID": "READINESS_OIDC_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET": "READINESS_OIDC_CLIENT_SECRET",
}
for setting, variable in OIDC_SETTINGS.items():
    globals()[setting] = os.environ.get(variable, "")
if READINESS_OIDC and (missing := [v for s, v in OIDC_SETTINGS.items() if not globals()[s]]):
    raise ImproperlyConfigured(f"READINESS_OIDC is on, so set {', '.join(missing)}.")
OIDC_RP_SIGN_ALGO = os.environ.get("READINESS_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_CREATE_USER = False  # only an invitation brings a new person in
OIDC_CALLBACK_CLASS = "assessment.views.sso.CallbackView"
OIDC_AUTHENTICATE_CLASS = "assessment.views.sso.AuthenticateView"
# Password sign-in (and password reset) can be turned off where everyone signs in with
# single sign-on.
READINESS_PASSWORD_SIGN_IN = env_bool("READINESS_PASSWORD_SIGN_IN", True)
if not READINESS_PASSWORD_SIGN_IN and not READINESS_OIDC:
    raise ImproperlyConfigured(
        "READINESS_PASSWORD_SIGN_IN is off, so turn READINESS_OIDC on: nobody could sign in."
    )

# The product's own settings. (The minimum group size for any score is an organization's
# own, 3 or more: Organization.min_group_size.)
# A practice, cell or discipline whose answered share of weight is below this shows "not
# enough answers to score" instead of a figure (docs/scoring.md).
READINESS_COVERAGE_FLOOR = float(os.environ.get("READINESS_COVERAGE_FLOOR", "0.6"))
READINESS_MAX_IMPORT_BYTES = 2 * 1024 * 1024

# Request bodies. The largest the app takes is a questionnaire file in its upload form (the
# file, the multipart envelope and a few fields): a larger body is refused from its
# Content-Length before it is read (assessment.middleware.RequestSizeMiddleware). Uploads up
# to that size stay in memory, so nothing is ever written to the server's disk; form fields
# alone (the largest is an admin page of criteria) stay well under 1 MiB.
READINESS_MAX_REQUEST_BYTES = READINESS_MAX_IMPORT_BYTES + 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = READINESS_MAX_REQUEST_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{levelname} {name} {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # django-axes announces itself at INFO each time Django starts: every management
        # command and each runserver reload. Shown at DEBUG only; its failure and lockout
        # logs (other loggers) stay at the level above.
        "axes.apps": {"level": "DEBUG" if LOG_LEVEL == "DEBUG" else "WARNING"},
    },
}
