"""The "Criteria editors" group: staff in it edit the criteria and the comparison model.

They may add, change, delete and view questionnaires, versions, practices, weights,
questions, options and every comparison model, and view their history; nothing about
users, organizations, teams or memberships. Staff outside the group read the criteria
(the ModelAdmins let any staff user view them); superusers do everything.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Criteria editors"
EDITED = {
    "assessment": [
        "questionnaire",
        "questionnaireversion",
        "practice",
        "practiceweight",
        "question",
        "option",
    ],
    "comparisons": ["discipline", "dimension", "stance", "source", "foundation"],
}
HISTORIES = {
    "assessment": [
        "historicalquestionnaire",
        "historicalquestionnaireversion",
        "historicalpractice",
        "historicalpracticeweight",
        "historicalquestion",
        "historicaloption",
    ],
    "comparisons": ["historicaldiscipline", "historicaldimension", "historicalstance"],
}


def codenames():
    for app_label, models in EDITED.items():
        for model in models:
            for action in ("add", "change", "delete", "view"):
                yield app_label, f"{action}_{model}"
    for app_label, models in HISTORIES.items():
        for model in models:
            yield app_label, f"view_{model}"


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this one needs them now.
    for app_label in EDITED:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in codenames()
        ]
    )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0004_history"),
        ("comparisons", "0003_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
