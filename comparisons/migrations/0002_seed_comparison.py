"""Seed the comparison model from the reference article.

The facts come from "AI Engineering vs Software Engineering: What's the Real Difference?"
(Wissen Technology Team, 29 January 2026); the wording is the project's own.
"""

import datetime

from django.db import migrations

SOURCE = {
    "title": "AI Engineering vs Software Engineering: What's the Real Difference?",
    "author": "Wissen Technology Team",
    "published_on": datetime.date(2026, 1, 29),
}

DISCIPLINES = [
    (
        "software-engineering",
        "Software engineering",
        "Building systems whose behaviour is written down as logic, so the same input "
        "gives the same output.",
    ),
    (
        "ai-engineering",
        "AI engineering",
        "Building systems whose behaviour is learned from data, so quality depends on the "
        "data, the model and how both are watched over time.",
    ),
]

# slug, name, question, software engineering (summary, detail), AI engineering (summary, detail)
DIMENSIONS = [
    (
        "outcomes",
        "Outcomes",
        "What kind of system does the team deliver?",
        (
            "Predictable systems",
            "Given the same input, the system answers the same way every time.",
        ),
        (
            "Adaptive systems",
            "The system's answers change as it learns from the data it is given.",
        ),
    ),
    (
        "focus-area",
        "Focus area",
        "Where does most of the engineering effort go?",
        (
            "Architecture and logic",
            "Effort goes into structure, components and the rules the code carries out.",
        ),
        (
            "A data-centric layer",
            "On top of the code sits a layer of data and models that decides how the "
            "system behaves.",
        ),
    ),
    (
        "requirements",
        "Requirements",
        "How settled is what the system must do?",
        (
            "Stable, defined requirements",
            "Work starts from requirements that are written down and change deliberately.",
        ),
        (
            "A changing world",
            "The team expects the world to move and builds the system so it can adapt.",
        ),
    ),
    (
        "stability",
        "Stability",
        "How long does a release stay good?",
        (
            "Stable for months",
            "A release can run unchanged for months once it works.",
        ),
        (
            "Updates as often as weekly",
            "Drift, fresh data or a drop in performance can call for a new model every week.",
        ),
    ),
    (
        "skillset",
        "Skillset",
        "What must the team know well?",
        (
            "Frameworks, back-end logic, cloud architecture, performance",
            "Deep knowledge of application frameworks, server-side logic, cloud "
            "architecture and performance tuning.",
        ),
        (
            "Neural networks, transformers, vector search, distributed training, evaluation",
            "Knowledge of model families, retrieval with vector search, training across "
            "many machines, and the metrics that say whether a model is good enough.",
        ),
    ),
    (
        "governance",
        "Governance",
        "What oversight does the work need?",
        (
            "Limited",
            "Ordinary engineering controls such as review and change management suffice.",
        ),
        (
            "Guardrails for lineage, usage rights, bias and compliance",
            "The team must be able to trace data and models, prove it may use its data, "
            "watch for bias and meet its legal obligations.",
        ),
    ),
    (
        "testing",
        "Testing",
        "How does the team know the system works?",
        (
            "Deterministic tests for correctness",
            "A test passes or fails the same way on every run.",
        ),
        (
            "Probabilistic tests for statistical performance",
            "Tests measure how well the model does across a data set and compare it with "
            "a threshold.",
        ),
    ),
    (
        "updates",
        "Updates",
        "What happens after the first release?",
        (
            "Scheduled updates",
            "Once shipped, the system changes in planned releases.",
        ),
        (
            "Continuous retraining",
            "Models are retrained, each new data set is validated, and performance is "
            "compared over time.",
        ),
    ),
]

SHARED = [
    ("Clean code", "Readable code that others can change safely."),
    ("Structured thinking", "Breaking a problem into parts before building."),
    ("Modular design", "Components with clear boundaries that can change on their own."),
    ("Version control", "Every change recorded, reviewable and reversible."),
    ("Rigorous testing", "Evidence, not hope, that the system does what it should."),
    (
        "Collaboration across services",
        "Working through APIs, cloud platforms and external services.",
    ),
]

ADDED = [
    ("Data pipelines", "Moving and shaping data reliably from source to model."),
    ("Data preprocessing", "Cleaning and preparing data before training and inference."),
    ("Governance layers", "Controls over data, models and their use."),
    ("Deployment for continuous iteration", "Shipping new models often and safely."),
    ("Model selection", "Choosing the model that fits the problem, data and budget."),
    ("Ethical-risk mitigation", "Finding and reducing harm a model could do."),
    ("Continuous monitoring", "Watching models in production as data and the world change."),
]


def seed(apps, schema_editor):
    Source = apps.get_model("comparisons", "Source")
    Discipline = apps.get_model("comparisons", "Discipline")
    Dimension = apps.get_model("comparisons", "Dimension")
    Stance = apps.get_model("comparisons", "Stance")
    Foundation = apps.get_model("comparisons", "Foundation")

    source, _ = Source.objects.get_or_create(
        title=SOURCE["title"], author=SOURCE["author"], defaults=SOURCE
    )
    disciplines = []
    for order, (slug, name, summary) in enumerate(DISCIPLINES):
        discipline, _ = Discipline.objects.get_or_create(
            slug=slug, defaults={"name": name, "summary": summary, "order": order}
        )
        disciplines.append(discipline)
    for order, (slug, name, question, *stances) in enumerate(DIMENSIONS):
        dimension, _ = Dimension.objects.get_or_create(
            slug=slug, defaults={"name": name, "question": question, "order": order}
        )
        for discipline, (summary, detail) in zip(disciplines, stances, strict=True):
            Stance.objects.get_or_create(
                dimension=dimension,
                discipline=discipline,
                defaults={"summary": summary, "detail": detail, "source": source},
            )
    for kind, rows in (("shared", SHARED), ("added", ADDED)):
        for order, (name, detail) in enumerate(rows):
            Foundation.objects.get_or_create(
                kind=kind,
                name=name,
                defaults={"detail": detail, "order": order, "source": source},
            )


class Migration(migrations.Migration):
    dependencies = [("comparisons", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
