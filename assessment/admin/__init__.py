"""The Django admin: people, and the criteria with their lifecycle.

Criteria are edited here level by level (questionnaire > version > practice > question >
option), with links down (inline change links) and back up ("Part of"). Rows of a
published or retired version are read-only: the ModelAdmins and inlines refuse change,
add and delete for them, model ``clean()`` refuses them too (``FrozenAware``) and the
database triggers of migration 0002 refuse any UPDATE that slips past both.

State changes of a version (new draft, publish, retire) and imports go through the
services in ``assessment.criteria``; every change is recorded by django-simple-history
and shown on each object's history page.
"""

from . import people, questionnaires, rows, versions  # noqa: F401 (each registers its admins)
