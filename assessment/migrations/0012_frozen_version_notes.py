"""A published version's notes join what the database refuses to change.

The notes are part of the version's content hash (docs/questionnaire-format.md), so an
update that changed them would leave the stored hash describing other content. Services and
the admin never change them; this trigger also stops a ``QuerySet.update()`` or raw SQL.
"""

import importlib

from django.db import migrations

frozen = importlib.import_module("assessment.migrations.0002_frozen_criteria_triggers")
scopes = importlib.import_module("assessment.migrations.0008_scopes_and_evidence")
VERSION_CHANGED = scopes.VERSION_CHANGED.removesuffix(")") + " OR NEW.notes <> OLD.notes)"


def with_notes(apps, schema_editor):
    frozen.drop(apps, schema_editor)
    frozen.create(apps, schema_editor, version_changed=VERSION_CHANGED)


def without_notes(apps, schema_editor):
    frozen.drop(apps, schema_editor)
    scopes.create_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0011_response_pseudonyms")]

    operations = [migrations.RunPython(with_notes, without_notes)]
