"""The comparison says the same as version 2 of the default questionnaire.

The dimension is called "Requirement type", as in the article; software governance is
"limited" without claiming ordinary controls suffice everywhere; AI outcomes do not suggest
that models learn while they run; software updates come in planned releases; the shared
foundations add the article's closing list (security, reliability, scalability,
maintainability). Rows an admin has already reworded are left as they are.
"""

from django.db import migrations

SOURCE_TITLE = "AI Engineering vs Software Engineering: What's the Real Difference?"

# (model, lookup, field, the seeded text, the new text)
REWORDINGS = [
    ("Dimension", {"slug": "requirements"}, "name", "Requirements", "Requirement type"),
    (
        "Dimension",
        {"slug": "requirements"},
        "question",
        "How settled is what the system must do?",
        "What kind of requirements does the team work from?",
    ),
    (
        "Stance",
        {"dimension__slug": "governance", "discipline__slug": "software-engineering"},
        "detail",
        "Ordinary engineering controls such as review and change management suffice.",
        "Oversight is lighter: code review, change management and security practice are the "
        "usual controls, and a regulated domain adds its own rules on top.",
    ),
    (
        "Stance",
        {"dimension__slug": "outcomes", "discipline__slug": "ai-engineering"},
        "detail",
        "The system's answers change as it learns from the data it is given.",
        "Behaviour comes from data and models, and changes when a model is retrained, "
        "re-prompted or updated by its provider; most models do not learn while they run.",
    ),
    (
        "Stance",
        {"dimension__slug": "updates", "discipline__slug": "software-engineering"},
        "summary",
        "Scheduled updates",
        "Planned releases",
    ),
    (
        "Stance",
        {"dimension__slug": "updates", "discipline__slug": "software-engineering"},
        "detail",
        "Once shipped, the system changes in planned releases.",
        "Once shipped, the system changes in releases planned ahead, with notes and a way back.",
    ),
]

SHARED = [
    ("Security", "Protecting the system, its data and its users from misuse."),
    ("Reliability", "Working as promised, and recovering quickly when it does not."),
    ("Scalability", "Keeping up as users, data and load grow."),
    ("Maintainability", "Code and systems others can understand and change safely."),
]


def reword(apps, schema_editor, forward=True):
    for model, lookup, field, seeded, new in REWORDINGS:
        old, replacement = (seeded, new) if forward else (new, seeded)
        apps.get_model("comparisons", model).objects.filter(**lookup, **{field: old}).update(
            **{field: replacement}
        )


def forward(apps, schema_editor):
    reword(apps, schema_editor)
    Foundation = apps.get_model("comparisons", "Foundation")
    Source = apps.get_model("comparisons", "Source")
    source = Source.objects.filter(title=SOURCE_TITLE).first()
    start = Foundation.objects.filter(kind="shared").count()
    for order, (name, detail) in enumerate(SHARED, start=start):
        Foundation.objects.get_or_create(
            kind="shared", name=name, defaults={"detail": detail, "order": order, "source": source}
        )


def backward(apps, schema_editor):
    reword(apps, schema_editor, forward=False)
    Foundation = apps.get_model("comparisons", "Foundation")
    Foundation.objects.filter(kind="shared", name__in=[name for name, _ in SHARED]).delete()


class Migration(migrations.Migration):
    dependencies = [("comparisons", "0003_history")]

    operations = [migrations.RunPython(forward, backward)]
