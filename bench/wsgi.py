"""WSGI entry point for load benches: the real app plus bench/urls.py's trivial page.

Same settings (from the environment), same middleware, same app; only ROOT_URLCONF is
switched to ``bench.urls``, which adds ``/bench/trivial/`` in front of the app's own URLs,
so a load bench can compare a page with the cheapest signed-in page under one server.
Run from the repository root: ``gunicorn bench.wsgi`` (bench/load.py does).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
settings.ROOT_URLCONF = "bench.urls"

application = get_wsgi_application()
