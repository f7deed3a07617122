"""Caches as after a restart, for tests that measure the cold path."""

from __future__ import annotations

from django.core.cache import cache

from assessment.criteria.loading import _published_criteria


def empty_caches() -> None:
    """Empty the cache framework and the per-process criteria."""
    _published_criteria.cache_clear()
    cache.clear()
