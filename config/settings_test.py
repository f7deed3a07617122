"""Test settings: the real settings with fast hashing and plain static files."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

# Like manage.py: development unless told otherwise (Django's test runner still runs the
# tests themselves with DEBUG off).
os.environ.setdefault("DJANGO_DEBUG", "true")

from .settings import *  # noqa: E402, F403
from .settings import DATABASES, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# pytest-django's live_server serves static files itself; the manifest storage would need
# collectstatic first.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's default in-memory database: that one is shared between threads
    # through SQLite's shared cache, whose table locks fail at once ("database table is
    # locked") instead of waiting out the busy timeout, so the threaded tests in
    # tests/assessment/test_concurrency.py could not see SQLite behave as in production.
    # A directory of its own per run keeps concurrent runs apart, and removing it at exit
    # also takes the WAL files that connections still open at teardown leave behind.
    _test_database_dir = tempfile.mkdtemp(prefix="readiness-test-")
    atexit.register(shutil.rmtree, _test_database_dir, ignore_errors=True)
    DATABASES["default"]["TEST"] = {"NAME": str(Path(_test_database_dir) / "test.sqlite3")}
else:
    # A database of its own per run, so two runs on one server never share (or drop) one.
    DATABASES["default"]["TEST"] = {"NAME": f"test_readiness_{os.getpid()}"}
