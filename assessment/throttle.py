"""A count of attempts per key in Django's cache, for what django-axes does not watch
(password reset requests, invitation links): the same limit and pause as sign-in."""

from __future__ import annotations

import hashlib

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache


def _key(scope: str, value: str) -> str:
    # Hashed: an address typed into a form never lands in the cache as it is.
    return f"throttle:{scope}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def attempt_allowed(*, scope: str, keys: list[str], limit: int | None = None) -> bool:
    """Count one attempt against each key; False once any key has had more than ``limit``
    (sign-in's AXES_FAILURE_LIMIT) within sign-in's cool-off time, which then runs from
    the first attempt of the window."""
    limit = limit or settings.AXES_FAILURE_LIMIT
    allowed = True
    for value in keys:
        allowed = _counted(_key(scope, value)) <= limit and allowed
    return allowed


def _counted(key: str) -> int:
    """One more on the count under ``key``, kept for sign-in's cool-off time from the
    first of the window; the new count."""
    window = int(settings.AXES_COOLOFF_TIME.total_seconds())
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


# Failures, for checks that must refuse before they try (a password change checks the
# current password only while fewer than the limit have failed).


def failures_exceeded(*, scope: str, key: str, limit: int | None = None) -> bool:
    """Whether ``key`` has failed ``limit`` (sign-in's AXES_FAILURE_LIMIT) times within
    the window; counts nothing."""
    return cache.get(_key(scope, key), 0) >= (limit or settings.AXES_FAILURE_LIMIT)


def failure_recorded(*, scope: str, key: str) -> None:
    _counted(_key(scope, key))


def failures_forgotten(*, scope: str, key: str) -> None:
    cache.delete(_key(scope, key))


def client_address(request) -> str:
    """The address django-axes locks by (it knows about trusted proxies)."""
    return get_client_ip_address(request) or ""
