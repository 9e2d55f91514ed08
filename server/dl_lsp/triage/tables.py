"""The triage's data, read once from ``taxonomy/triage.toml`` and ``taxonomy/triage_patterns.toml``."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from dl_lsp.findings import BugType
from dl_lsp.taxonomy import taxonomy_directory

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

WHERE = ("logs", "text", "any")


@dataclass(frozen=True)
class ErrorPattern:
    """A traceback or prose pattern that is evidence for one bug type."""

    label: str
    bug_type: BugType
    where: str
    weight: float
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Detector:
    """How one information category shows in the code, the prose and the logs."""

    code: re.Pattern[str] | None
    text: re.Pattern[str] | None
    logs: re.Pattern[str] | None


@dataclass(frozen=True)
class ReproFact:
    """A static fact of the report's code and the edit actions it lets ``dl-lsp repro`` perform."""

    actions: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class TriageTables:
    prior_mass: float
    unknown_below: float
    unknown_below_with_embeddings: float
    exact_tag_weight: float
    synonym_tag_weight: float
    exception_class_tags: frozenset[str]
    exception_class_weight: float
    tag_synonyms: Mapping[str, BugType]
    diagnostic_cap: float
    ignored_codes: frozenset[str]
    severity_weight: Mapping[str, float]
    similarity_weight: float
    similarity_temperature: float
    similarity_min_cosine: float
    descriptions: Mapping[BugType, tuple[str, ...]]
    detectors: Mapping[str, Detector]
    questions: Mapping[str, Mapping[str, str]]
    repro: Mapping[str, ReproFact]
    names: Mapping[str, frozenset[str]]
    patterns: tuple[ErrorPattern, ...]

    def question(self, category: str, bug_type: str) -> str:
        """The follow-up question for a missing category, worded for the bug type."""
        table = self.questions.get(category, {})
        return table.get(bug_type) or table.get("default") or f"Could you add the {category}?"


def _read(name: str) -> dict[str, Any]:
    with (taxonomy_directory() / name).open("rb") as handle:
        data: dict[str, Any] = tomllib.load(handle)
    return data


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern, re.IGNORECASE | re.MULTILINE) if pattern else None


def _patterns(data: dict[str, Any]) -> tuple[ErrorPattern, ...]:
    patterns = []
    for item in data["pattern"]:
        if item["where"] not in WHERE:
            raise ValueError(f"pattern {item['label']!r}: where must be one of {WHERE}")
        compiled = _compile(item["regex"])
        assert compiled is not None
        patterns.append(
            ErrorPattern(
                label=item["label"],
                bug_type=BugType(item["bug_type"]),
                where=item["where"],
                weight=float(item["weight"]),
                regex=compiled,
            )
        )
    return tuple(patterns)


@cache
def load_tables() -> TriageTables:
    """Every table of the triage, validated and compiled once."""
    data = _read("triage.toml")
    combine, tags, diagnostics, similarity = (
        data["combine"],
        data["tags"],
        data["diagnostics"],
        data["similarity"],
    )
    synonyms = {tag: BugType(name) for name, values in tags["synonyms"].items() for tag in values}
    detectors = {
        name: Detector(
            _compile(item.get("code")), _compile(item.get("text")), _compile(item.get("logs"))
        )
        for name, item in data["information"].items()
    }
    repro = {
        name: ReproFact(tuple(item["actions"]), item["reason"])
        for name, item in data["repro"].items()
    }
    return TriageTables(
        prior_mass=float(combine["prior_mass"]),
        unknown_below=float(combine["unknown_below"]),
        unknown_below_with_embeddings=float(combine["unknown_below_with_embeddings"]),
        exact_tag_weight=float(tags["exact_weight"]),
        synonym_tag_weight=float(tags["synonym_weight"]),
        exception_class_tags=frozenset(tags["exception_class_tags"]),
        exception_class_weight=float(tags["exception_class_weight"]),
        tag_synonyms=synonyms,
        diagnostic_cap=float(diagnostics["cap_per_type"]),
        ignored_codes=frozenset(diagnostics["ignored"]),
        severity_weight={
            key: float(value) for key, value in diagnostics["severity_weight"].items()
        },
        similarity_weight=float(similarity["weight"]),
        similarity_temperature=float(similarity["temperature"]),
        similarity_min_cosine=float(similarity["min_cosine"]),
        descriptions={
            BugType(name): tuple(texts) for name, texts in similarity["descriptions"].items()
        },
        detectors=detectors,
        questions={name: dict(table) for name, table in data["questions"].items()},
        repro=repro,
        names={group: frozenset(values) for group, values in data["names"].items()},
        patterns=_patterns(_read("triage_patterns.toml")),
    )
