"""A bug report in, a triage out: signals → decision → information and edit actions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from dl_lsp.findings import BugType
from dl_lsp.taxonomy import Guidance, load_taxonomy
from dl_lsp.triage.code_facts import CodeFacts, code_facts
from dl_lsp.triage.combine import decide
from dl_lsp.triage.embedding import EmbeddingClient
from dl_lsp.triage.recommend import edit_action_items, information_items, performable
from dl_lsp.triage.report import BugReport
from dl_lsp.triage.result import UNKNOWN, DiagnosticItem, Evidence, TriageResult
from dl_lsp.triage.signals import (
    diagnostic_evidence,
    pattern_evidence,
    similarity_evidence,
    tag_evidence,
)
from dl_lsp.triage.tables import TriageTables, load_tables


@dataclass(frozen=True)
class TriageOptions:
    """How to triage: the embedding client (None: no text similarity), the guidance tables (the
    paper's, or a mined file's), and the unknown threshold (None: the calibrated one)."""

    embeddings: EmbeddingClient | None = None
    guidance: Mapping[BugType, Guidance] | None = None
    guidance_basis: str = "paper"
    unknown_below: float | None = None
    signals: frozenset[str] = field(
        default_factory=lambda: frozenset({"tag", "pattern", "diagnostic", "similarity"})
    )


def triage_report(report: BugReport, options: TriageOptions | None = None) -> TriageResult:
    """Classify a report, say what it lacks and which edit actions would reproduce it."""
    options = options or TriageOptions()
    tables = load_tables()
    notes = list(report.problems)
    if report.is_empty:
        empty = report.problems[0] if report.problems else "the report is empty"
        return _result(UNKNOWN, 0.0, {}, [], CodeFacts(), report, options, tables, notes, empty)
    facts = code_facts(report.code_blocks, tables)
    notes.extend(facts.failures)
    evidence: list[Evidence] = []
    if "tag" in options.signals:
        evidence += tag_evidence(report.tags, tables)
    if "pattern" in options.signals:
        evidence += pattern_evidence(report, tables)
    if "diagnostic" in options.signals:
        evidence += diagnostic_evidence(facts.findings, tables)
    if "similarity" in options.signals and options.embeddings is not None:
        similar, skipped = similarity_evidence(report, tables, options.embeddings)
        evidence += similar
        if skipped:
            notes.append(skipped)
    threshold = options.unknown_below
    if threshold is None:
        used_embeddings = any(item.signal == "similarity" for item in evidence) or (
            options.embeddings is not None and options.embeddings.available
        )
        threshold = (
            tables.unknown_below_with_embeddings if used_embeddings else tables.unknown_below
        )
    decision = decide(evidence, tables.prior_mass, threshold)
    reason: str | None = None
    if decision.bug_type == UNKNOWN:
        reason = _unknown_reason(report, decision.best, decision.confidence, threshold)
    return _result(
        decision.bug_type,
        decision.confidence,
        decision.scores,
        evidence,
        facts,
        report,
        options,
        tables,
        notes,
        reason,
    )


def _unknown_reason(
    report: BugReport, best: str | None, confidence: float, threshold: float
) -> str:
    if best is None:
        if not report.code_blocks and not report.logs and not report.text:
            return "the report has only tags, none of which names a bug type"
        return (
            "no signal points to a bug type (no typed tag, error pattern, finding or similar text)"
        )
    return (
        f"the evidence is too weak or split: '{best}' leads with confidence {confidence:.2f}, "
        f"below the calibrated threshold {threshold:.2f}"
    )


def _result(
    bug_type: str,
    confidence: float,
    scores: dict[str, float],
    evidence: list[Evidence],
    facts: CodeFacts,
    report: BugReport,
    options: TriageOptions,
    tables: TriageTables,
    notes: list[str],
    reason: str | None,
) -> TriageResult:
    guidance = options.guidance or load_taxonomy().guidance
    basis = options.guidance_basis
    evidence.sort(key=lambda item: -item.weight)
    return TriageResult(
        bug_type=bug_type,
        confidence=confidence,
        scores=scores,
        evidence=tuple(evidence),
        information=information_items(bug_type, guidance, basis, report, facts, tables),
        edit_actions=edit_action_items(bug_type, guidance, basis, facts, tables),
        performable_actions=tuple(sorted(performable(facts, tables), key=lambda a: int(a[1:]))),
        diagnostics=tuple(
            DiagnosticItem(
                block=block,
                line=finding.span.line,
                column=finding.span.column,
                code=finding.code,
                name=finding.name,
                bug_type=finding.bug_type.value,
                severity=finding.severity.value,
                message=finding.message,
            )
            for finding, block in zip(facts.findings, facts.finding_blocks, strict=True)
        ),
        reason=reason,
        notes=tuple(dict.fromkeys(notes)),
        title=report.title,
    )
