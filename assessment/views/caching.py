"""Keys for rendered fragments kept in Django's cache framework.

A fragment's key names the data it shows and the template that drew it, so a deploy that
changes the template, or a change of the data, simply misses; nothing is ever invalidated
by hand, and any number of app servers can share one cache.
"""

from __future__ import annotations

import hashlib

from django.template.loader import get_template
from django.utils.translation import get_language


def template_release(name: str) -> str:
    """A short digest of a template's source and the active language."""
    source = get_template(name).template.source
    return f"{hashlib.sha256(source.encode()).hexdigest()[:16]}-{get_language() or ''}"
