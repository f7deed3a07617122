"""Keys for rendered fragments kept in Django's cache framework.

A fragment's key names the data it shows and the release of the code that drew it, so a
deploy, or a change of the data, simply misses; nothing is ever invalidated by hand, and
any number of app servers can share one cache.
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.utils.translation import get_language

# What draws a fragment: the app's Python (pages, charts, template tags) and the templates.
RELEASE_SOURCES = ("assessment", "templates")


@functools.cache
def code_digest() -> str:
    """A digest of every Python file and template of the app, read once per process."""
    digest = hashlib.sha256()
    for folder in RELEASE_SOURCES:
        root = settings.BASE_DIR / folder
        for path in sorted(root.rglob("*")):
            if path.suffix in {".py", ".html"}:
                digest.update(path.relative_to(settings.BASE_DIR).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def release() -> str:
    """The part of a fragment's key that changes with the code and the active language."""
    return f"{code_digest()}-{get_language() or ''}"
