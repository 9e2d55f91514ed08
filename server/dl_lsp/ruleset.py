"""Rule metadata loaded from the TOML files in ``rules/`` (shipped inside the package)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from dl_lsp.data_files import read_toml
from dl_lsp.facts.span import Span
from dl_lsp.findings import BugType, Finding, Related, Severity

DOCS_BASE_URL = "https://dl-lsp.readthedocs.io/en/latest/rules/"


@dataclass(frozen=True)
class RuleDoc:
    what: str
    why: str
    example: str
    fix: str
    when: str = ""
    example_fixed: str = ""


@dataclass(frozen=True)
class Rule:
    """A rule as data: identity, classification, thresholds, message templates and docs."""

    code: str
    name: str
    bug_type: BugType
    severity: Severity
    family: str
    summary: str
    frameworks: tuple[str, ...]
    thresholds: Mapping[str, float] = field(default_factory=dict)
    messages: Mapping[str, str] = field(default_factory=dict)
    fixes: Mapping[str, str] = field(default_factory=dict)
    doc: RuleDoc | None = None
    settings: Mapping[str, str] = field(default_factory=dict)
    # Message keys reported at another severity than the rule's default.
    message_severities: Mapping[str, Severity] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"{DOCS_BASE_URL}{self.code}-{self.name}/"

    def message(self, key: str, **values: Any) -> str:
        """Format the message template ``key`` with ``values``."""
        return self.messages[key].format(**values)

    def finding(
        self,
        key: str,
        span: Span,
        *,
        related: tuple[Related, ...] = (),
        fix_data: dict[str, Any] | None = None,
        tags: tuple[str, ...] = (),
        **values: Any,
    ) -> Finding:
        """A finding whose message and fix description come from the templates named ``key``."""
        fix_template = self.fixes.get(key)
        return Finding(
            code=self.code,
            name=self.name,
            bug_type=self.bug_type,
            severity=self.message_severities.get(key, self.severity),
            span=span,
            message=self.message(key, **values),
            fix=fix_template.format(**values) if fix_template else None,
            related=related,
            fix_data=fix_data or {},
            tags=tags,
        )


def rules_directory() -> Path:
    """Where the rule data lives: inside the installed package, or at the source root."""
    packaged = Path(__file__).parent / "_data" / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


def _rule_from(data: dict[str, Any]) -> Rule:
    doc = data.get("doc")
    return Rule(
        code=data["code"],
        name=data["name"],
        bug_type=BugType(data["bug_type"]),
        severity=Severity(data["severity"]),
        family=data.get("family", ""),
        summary=data["summary"],
        frameworks=tuple(data.get("frameworks", ("keras", "torch"))),
        thresholds=dict(data.get("thresholds", {})),
        messages=dict(data.get("messages", {})),
        fixes=dict(data.get("fixes", {})),
        doc=RuleDoc(**doc) if doc else None,
        settings=dict(data.get("settings", {})),
        message_severities={
            key: Severity(value) for key, value in data.get("message_severity", {}).items()
        },
    )


@cache
def load_rules() -> Mapping[str, Rule]:
    """Every rule, keyed by code, in a stable order (family, then code)."""
    rules: list[Rule] = []
    for path in sorted(rules_directory().glob("*.toml")):
        data = read_toml(path)
        if "code" in data:
            rules.append(_rule_from(data))
        # A family file (rules/probe.toml) lists its rules as [[rule]] tables.
        rules.extend(_rule_from(entry) for entry in data.get("rule", ()))
    rules.sort(key=lambda rule: (rule.family != "snippet", rule.family, rule.code))
    return {rule.code: rule for rule in rules}


def get_rule(code: str) -> Rule:
    return load_rules()[code]
