"""Database guard: rows of a published or retired questionnaire version cannot be updated.

Services and ``clean()`` already refuse such edits; these triggers also stop a
``QuerySet.update()`` or raw SQL. The version row itself may only move from published to
retired. Inserts are left to the services so that ``loaddata`` can restore a backup.
Note for future migrations: on SQLite, altering one of these tables rebuilds it and drops
its trigger; ``tests/assessment/test_frozen.py`` fails if that happens.
"""

from django.db import migrations

MESSAGE = "questionnaire version is frozen: create a new draft to change it"

# table -> SQL giving the version id of a row, with {row} standing for OLD or NEW
TABLES = {
    "assessment_practice": "{row}.version_id",
    "assessment_question": "{row}.version_id",
    "assessment_practiceweight": (
        "(SELECT p.version_id FROM assessment_practice p WHERE p.id = {row}.practice_id)"
    ),
    "assessment_option": (
        "(SELECT q.version_id FROM assessment_question q WHERE q.id = {row}.question_id)"
    ),
}

FROZEN = "(SELECT status FROM assessment_questionnaireversion WHERE id = {version}) <> 'draft'"

VERSION_CHANGED = (
    "OLD.status <> 'draft' AND ("
    "NEW.status = 'draft' OR (OLD.status = 'retired' AND NEW.status <> 'retired') "
    "OR NEW.content_hash <> OLD.content_hash OR NEW.number <> OLD.number "
    "OR NEW.questionnaire_id <> OLD.questionnaire_id "
    "OR NEW.readiness_rule <> OLD.readiness_rule)"
)


def frozen_condition(version_sql: str) -> str:
    return " OR ".join(FROZEN.format(version=version_sql.format(row=row)) for row in ("OLD", "NEW"))


def create(apps, schema_editor, version_changed=VERSION_CHANGED):
    vendor = schema_editor.connection.vendor
    conditions = {table: frozen_condition(sql) for table, sql in TABLES.items()}
    conditions["assessment_questionnaireversion"] = version_changed
    for table, condition in conditions.items():
        name = f"{table}_frozen"
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} FOR EACH ROW "
                f"WHEN {condition} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
            )
        elif vendor == "postgresql":
            schema_editor.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF {condition} THEN RAISE EXCEPTION '{MESSAGE}' "
                "USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$;"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} FOR EACH ROW "
                f"EXECUTE FUNCTION {name}();"
            )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in (*TABLES, "assessment_questionnaireversion"):
        name = f"{table}_frozen"
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}();")


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
