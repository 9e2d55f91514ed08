"""The four signals of the triage, each turning one part of a report into evidence for types."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from dl_lsp.findings import BugType, Finding
from dl_lsp.taxonomy import load_taxonomy
from dl_lsp.triage.embedding import EmbeddingClient, cosine
from dl_lsp.triage.report import BugReport
from dl_lsp.triage.result import Evidence
from dl_lsp.triage.tables import TriageTables

_LETTER = re.compile(r"[^\W\d_]")
# Patterns read at most this much of the prose (from its start) and of the logs (from their end,
# where the exception is): a real question's prose is a few thousand characters, and about 30
# regular expressions over 10,000 characters stay well inside the time bound on a slow core.
MAX_PATTERN_TEXT = 10_000


def tag_evidence(tags: Sequence[str], tables: TriageTables) -> list[Evidence]:
    """Table 1 tags (and our unambiguous synonyms) name a type outright."""
    taxonomy = load_taxonomy()
    evidence: list[Evidence] = []
    for tag in tags:
        exact = taxonomy.bug_type_for_tag(tag)
        if exact is not None and tag in tables.exception_class_tags:
            weight = tables.exception_class_weight
            evidence.append(
                Evidence("tag", exact.value, weight, f"tag '{tag}' (an exception class)")
            )
        elif exact is not None:
            evidence.append(Evidence("tag", exact.value, tables.exact_tag_weight, f"tag '{tag}'"))
        elif tag in tables.tag_synonyms:
            synonym = tables.tag_synonyms[tag]
            evidence.append(
                Evidence("tag", synonym.value, tables.synonym_tag_weight, f"tag '{tag}' (synonym)")
            )
    return evidence


def pattern_evidence(report: BugReport, tables: TriageTables) -> list[Evidence]:
    """Traceback and error patterns (taxonomy/triage_patterns.toml), each counted once."""
    logs = _tail(report.log_text)
    text = report.text[:MAX_PATTERN_TEXT]
    evidence: list[Evidence] = []
    for pattern in tables.patterns:
        places = {"logs": (logs,), "text": (text,), "any": (logs, text)}[pattern.where]
        for place in places:
            match = pattern.regex.search(place) if place else None
            if match:
                where = "traceback/logs" if place is logs else "text"
                snippet = " ".join(match.group(0).split())[:80]
                evidence.append(
                    Evidence(
                        "pattern",
                        pattern.bug_type.value,
                        pattern.weight,
                        f"{pattern.label}: '{snippet}' in the {where}",
                    )
                )
                break
    return evidence


def diagnostic_evidence(findings: Sequence[Finding], tables: TriageTables) -> list[Evidence]:
    """Static findings on the code, weighted by severity, capped per type."""
    totals: dict[str, float] = {}
    evidence: list[Evidence] = []
    for finding in findings:
        if finding.code in tables.ignored_codes:
            continue
        bug_type = finding.bug_type.value
        room = tables.diagnostic_cap - totals.get(bug_type, 0.0)
        weight = min(tables.severity_weight.get(finding.severity.value, 0.0), room)
        if weight <= 0:
            continue
        totals[bug_type] = totals.get(bug_type, 0.0) + weight
        evidence.append(
            Evidence("diagnostic", bug_type, weight, f"{finding.code} at line {finding.span.line}")
        )
    return evidence


def similarity_evidence(
    report: BugReport, tables: TriageTables, client: EmbeddingClient
) -> tuple[list[Evidence], str | None]:
    """MiniLM similarity of the title and prose to each type's descriptions; and why it was
    skipped, if it was."""
    text = report.text[:2_000]
    if not text:
        return [], None
    if not is_mostly_latin(text):
        return [], "the prose is not in a Latin script; text similarity was not used"
    types = list(tables.descriptions)
    sentences = [sentence for bug_type in types for sentence in tables.descriptions[bug_type]]
    vectors = client.embed([text, *sentences])
    if vectors is None:
        return [], client.unavailable
    text_vector, rest = vectors[0], vectors[1:]
    best: dict[BugType, float] = {}
    index = 0
    for bug_type in types:
        count = len(tables.descriptions[bug_type])
        best[bug_type] = max(cosine(text_vector, vector) for vector in rest[index : index + count])
        index += count
    top = max(best.values())
    if top < tables.similarity_min_cosine:
        return [], f"the prose is unlike any bug type (best similarity {top:.2f})"
    weights = softmax([best[t] / tables.similarity_temperature for t in types])
    return [
        Evidence(
            "similarity",
            bug_type.value,
            tables.similarity_weight * weight,
            f"text similarity {best[bug_type]:.2f}",
        )
        for bug_type, weight in zip(types, weights, strict=True)
        if weight >= 0.05
    ], None


def softmax(values: Sequence[float]) -> list[float]:
    """The softmax of the values (stable)."""
    top = max(values)
    exps = [math.exp(value - top) for value in values]
    total = sum(exps)
    return [value / total for value in exps]


def is_mostly_latin(text: str) -> bool:
    """Whether most letters of the text are Latin (the model reads English)."""
    letters = _LETTER.findall(text[:5_000])
    if not letters:
        return False
    latin = sum(1 for letter in letters if letter < "\u0250")
    return latin >= 0.6 * len(letters)


def _tail(text: str) -> str:
    """The end of the logs: the exception that matters is printed last."""
    return text[-MAX_PATTERN_TEXT:]
