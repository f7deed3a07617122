"""Small questionnaire documents in the file format, for tests."""

from __future__ import annotations

import copy
from typing import Any


def scored(key: str, value: float, advice: str = "") -> dict[str, Any]:
    return {
        "key": key,
        "label": key.replace("-", " ").capitalize(),
        "value": value,
        "advice": advice or f"Next step after {key}.",
    }


def unscored(key: str, kind: str) -> dict[str, Any]:
    return {
        "key": key,
        "label": key.replace("-", " ").capitalize(),
        "unscored": kind,
        "advice": f"Find out about {key}.",
    }


def question(
    key: str, *, weight: float = 1, show_if: dict | None = None, options: list | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": key,
        "text": f"How does the team handle {key.replace('-', ' ')}?",
        "help": "",
        "weight": weight,
        "required": True,
    }
    if show_if:
        data["show_if"] = show_if
    data["options"] = options or [
        scored("none", 0),
        scored("some", 0.5),
        scored("all", 1),
        unscored("dont-know", "dont_know"),
    ]
    return data


BASE: dict[str, Any] = {
    "format": "readiness-questionnaire/1",
    "questionnaire": {
        "slug": "small",
        "name": "Small readiness check",
        "description": "Three practices for tests.",
    },
    "version": {"number": 1, "readiness_rule": "mean", "notes": ""},
    "practices": [
        {
            "key": "version-control",
            "name": "Version control",
            "description": "Everything in version control.",
            "dimension": "governance",
            "disciplines": {
                "software-engineering": {"weight": 2, "target": 0.9},
                "ai-engineering": {"weight": 1, "target": 0.9},
            },
            "questions": [question("code-in-vcs"), question("reviews", weight=2)],
        },
        {
            "key": "models-in-production",
            "name": "Models in production",
            "description": "",
            "dimension": "outcomes",
            "disciplines": {"ai-engineering": {"weight": 1, "target": 0.6}},
            "questions": [
                question(
                    "has-models",
                    options=[scored("no", 0), scored("yes", 1)],
                ),
            ],
        },
        {
            "key": "drift-monitoring",
            "name": "Drift monitoring",
            "description": "",
            "dimension": "stability",
            "disciplines": {
                "ai-engineering": {"weight": 3, "target": 0.75},
                "software-engineering": {"weight": 0, "target": 0},
            },
            "questions": [
                question(
                    "drift-alerts",
                    show_if={"question": "has-models", "options": ["yes"]},
                    options=[
                        scored("none", 0),
                        scored("manual", 0.33),
                        scored("automated", 0.67),
                        scored("owned", 1),
                        unscored("not-applicable", "not_applicable"),
                    ],
                ),
            ],
        },
    ],
}


def small_document(**changes: Any) -> dict[str, Any]:
    """A fresh deep copy of the small questionnaire, with top-level keys replaced."""
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def scoped_document() -> dict[str, Any]:
    """The small questionnaire with scopes: three kinds of system, two risk tiers, practices
    and questions asked of some kinds, a target per tier, rationales and traces, on the
    five-step scale a scoped version keeps to."""
    data = small_document()
    data["version"]["kinds"] = [
        {"key": "no-ai", "name": "No AI yet", "description": "Software without models."},
        {"key": "ml", "name": "Machine learning", "description": "Models trained in-house."},
        {"key": "llm", "name": "Hosted LLM", "description": "A provider's model."},
    ]
    data["version"]["tiers"] = [
        {"key": "internal", "name": "Internal", "description": "Inside the organisation."},
        {"key": "regulated", "name": "Regulated", "description": "Under regulation."},
    ]
    version_control, models, drift = data["practices"]
    version_control["rationale"] = "A shared foundation: core for software, supporting for AI."
    version_control["disciplines"] = {
        "software-engineering": {"weight": 2, "targets": {"default": 0.5, "regulated": 1}},
        "ai-engineering": {"weight": 1, "target": 0.5},
    }
    version_control["questions"][0]["traces_to"] = ["article:governance", "dora:Version control"]
    models["applies_to"] = ["ml", "llm"]
    models["disciplines"] = {"ai-engineering": {"weight": 1, "target": 1}}
    drift["applies_to"] = ["ml"]
    drift["disciplines"] = {"ai-engineering": {"weight": 3, "target": 0.5}}
    drift["questions"][0]["applies_to"] = ["ml"]
    drift["questions"][0]["traces_to"] = ["article:stability", "ml-test-score:Monitor 2"]
    drift["questions"][0]["options"] = [
        scored("none", 0),
        scored("some", 0.5),
        scored("all", 1),
        unscored("dont-know", "dont_know"),
    ]
    return data
