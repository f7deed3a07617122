"""The crosswalk: every question of a questionnaire file beside the frameworks it traces to.

``docs/crosswalk.md`` is this table for the default questionnaire, written by
``manage.py write_crosswalk`` and kept current by a test.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .document import weighting_targets

FRAMEWORK_NAMES = {
    "article": "Article dimension",
    "ml-test-score": "ML Test Score",
    "dora": "DORA",
    "nist-ai-rmf": "NIST AI RMF",
    "iso-42001": "ISO/IEC 42001",
    "eu-ai-act": "EU AI Act",
    "owasp-llm": "OWASP LLM Top 10",
    "owasp-samm": "OWASP SAMM",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def grouped_references(traces_to: Iterable[str]) -> dict[str, list[str]]:
    """A question's ``traces_to`` as {framework: [items]}, in the order given."""
    grouped: dict[str, list[str]] = {}
    for ref in traces_to:
        framework, _, item = ref.partition(":")
        grouped.setdefault(framework, []).append(item)
    return grouped


def trace_labels(traces_to: Iterable[str]) -> tuple[str, ...]:
    """One label per framework a question traces to, e.g. "ML Test Score: Model 4, Infra 2"."""
    return tuple(
        f"{FRAMEWORK_NAMES.get(framework, framework)}: {', '.join(items)}"
        for framework, items in grouped_references(traces_to).items()
    )


def _references(question: dict[str, Any]) -> tuple[str, str]:
    """(the article's dimension, the external references grouped by framework)."""
    traces = question.get("traces_to", [])
    article = ", ".join(grouped_references(traces).get("article", [])) or "–"
    external = "; ".join(trace_labels(ref for ref in traces if not ref.startswith("article:")))
    return article, external or "–"


def crosswalk_markdown(data: dict[str, Any]) -> str:
    """The crosswalk of a valid questionnaire document, as Markdown."""
    kinds = {item["key"]: item["name"] for item in data["version"].get("kinds", [])}
    lines = [
        f"# Crosswalk: {data['questionnaire']['name']}, version {data['version']['number']}",
        "",
        "Every question of the default questionnaire, the kinds of system it is asked of, the",
        "disciplines its practice counts for (weight, and targets by risk tier) and where it",
        "comes from: the comparison article's dimension and the external frameworks it traces",
        "to. Generated from `assessment/data/ai-engineering-readiness.json` by",
        "`.venv/bin/python manage.py write_crosswalk`; a test fails when this file is stale.",
        "",
    ]
    number = 0
    for practice in data["practices"]:
        practice_kinds = practice.get("applies_to")
        counts = ", ".join(
            f"{slug} {weighting['weight']:g} (targets "
            + ", ".join(f"{tier} {value:g}" for tier, value in weighting_targets(weighting).items())
            + ")"
            for slug, weighting in practice["disciplines"].items()
            if weighting["weight"] > 0
        )
        lines += [
            f"## {practice['name']} (`{practice['key']}`)",
            "",
            f"Dimension: {practice['dimension']}. Counts for: {counts}.",
        ]
        if practice.get("rationale"):
            lines.append(f"Why: {practice['rationale']}")
        lines += [
            "",
            "| # | Question | Asked of | Article | Frameworks |",
            "|---|---|---|---|---|",
        ]
        for question in practice["questions"]:
            number += 1
            asked = question.get("applies_to") or practice_kinds
            asked_of = ", ".join(kinds.get(key, key) for key in asked) if asked else "every kind"
            article, external = _references(question)
            lines.append(
                f"| {number} | {_cell(question['text'])} (`{question['key']}`) | "
                f"{_cell(asked_of)} | {article} | {_cell(external)} |"
            )
        lines.append("")
    return "\n".join(lines)
