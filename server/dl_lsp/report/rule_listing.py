"""``dl-lsp rules``: every rule with its metadata and documentation, as text or JSON."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from dl_lsp.ruleset import Rule

# (field, title, prose): prose is wrapped to the terminal width, code is kept as written.
_DOC_SECTIONS = (
    ("what", "What it does", True),
    ("why", "Why it is bad", True),
    ("example", "Example", False),
    ("example_fixed", "Use instead", False),
    ("fix", "How to fix", True),
    ("when", "When it fires", True),
)
_WIDTH = 100


def rule_record(rule: Rule) -> dict[str, Any]:
    """A rule as a JSON-ready object (its ``doc`` is ``None`` until it is written)."""
    return {
        "code": rule.code,
        "name": rule.name,
        "bug_type": rule.bug_type.value,
        "severity": rule.severity.value,
        "family": rule.family,
        "summary": rule.summary,
        "url": rule.url,
        "frameworks": list(rule.frameworks),
        "thresholds": dict(rule.thresholds),
        "settings": dict(rule.settings),
        "doc": asdict(rule.doc) if rule.doc else None,
    }


def render_rules_json(rules: Sequence[Rule]) -> str:
    """Every rule as a JSON array."""
    return json.dumps([rule_record(rule) for rule in rules], indent=2, ensure_ascii=False) + "\n"


def render_rules_text(rules: Sequence[Rule]) -> str:
    """Every rule as a readable block: identity, summary, link, thresholds and docs."""
    return "\n".join(_rule_block(rule) for rule in rules)


def _rule_block(rule: Rule) -> str:
    lines = [
        f"{rule.code} {rule.name} [{rule.bug_type.value}, {rule.severity.value}, {rule.family}]",
        f"    {rule.summary}",
        f"    {rule.url}",
    ]
    if rule.thresholds:
        values = ", ".join(f"{name}={value:g}" for name, value in rule.thresholds.items())
        lines.append(f"    thresholds: {values}")
    if rule.doc is not None:
        for key, title, prose in _DOC_SECTIONS:
            text = str(getattr(rule.doc, key)).strip("\n")
            if text.strip():
                lines.append(f"    {title}:")
                lines.append(_wrapped(text) if prose else textwrap.indent(text, " " * 8))
    return "\n".join(lines) + "\n"


def _wrapped(text: str) -> str:
    indent = " " * 8
    return "\n".join(
        textwrap.fill(paragraph, _WIDTH, initial_indent=indent, subsequent_indent=indent)
        for paragraph in text.split("\n\n")
    )
