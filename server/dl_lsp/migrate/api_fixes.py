"""``migrate_source``: the API1xx quick fixes applied towards the given framework versions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dl_lsp.config import Settings
from dl_lsp.engine import analyze_source
from dl_lsp.findings import Finding
from dl_lsp.fixes.edits import FixProposal, TextEdit, apply_edits, edits_conflict, parses
from dl_lsp.fixes.proposals import parse_document, proposals
from dl_lsp.fixes.tolerant import still_valid
from dl_lsp.migrate.graph_mode import ensure_graph_mode
from dl_lsp.migrate.result import MigrationResult

API_FAMILY = "API"
# Each round re-analyses the fixed text: a fix can reveal another (volatile= removed, then the
# Variable wrapper goes), and fixes that touch the same call wait for the next round.
MAX_ROUNDS = 8


def migrate_source(text: str, versions: Mapping[str, str] | None = None) -> MigrationResult:
    """Apply every API-migration fix (preferred proposal of each API1xx finding) towards
    ``versions`` (framework → installed or pinned version; None or {} means the newest).

    The result parses when ``text`` parses (a snippet that does not gains no syntax error),
    applying it again changes nothing, and only the obsolete arguments, names and lines the
    rules name are touched. Findings without an automatic fix are listed in ``notes``.
    """
    settings = Settings(select=frozenset({API_FAMILY}), framework_versions=dict(versions or {}))
    current = text
    applied: list[str] = []
    for _ in range(MAX_ROUNDS):
        findings = _api_findings(current, settings)
        chosen = _compatible_fixes(current, findings)
        if not chosen:
            break
        fixed = apply_edits(current, [edit for _, proposal in chosen for edit in proposal.edits])
        if not still_valid(current, fixed):
            chosen = chosen[:1]
            fixed = apply_edits(current, list(chosen[0][1].edits))
        if fixed == current or not still_valid(current, fixed):
            break
        applied += [
            f"line {finding.span.line}: {proposal.title} ({finding.code})"
            for finding, proposal in chosen
        ]
        current = fixed
    current, switched = ensure_graph_mode(current)
    if switched:
        applied.append(switched)
    notes = [
        f"line {finding.span.line}: {finding.message} ({finding.code})"
        for finding in _api_findings(current, settings)
    ]
    if parses(text) and not parses(current):  # never: every step was verified; kept as a guard
        return MigrationResult(text, [], ["the migration would break the file; nothing changed"])
    if not parses(text):
        notes.insert(0, "the file does not parse: only fixes that add no syntax error were applied")
    return MigrationResult(current, applied, notes)


def _api_findings(text: str, settings: Settings) -> list[Finding]:
    return [
        finding
        for finding in analyze_source(text, None, settings).findings
        if finding.code.startswith(API_FAMILY)
    ]


def _compatible_fixes(text: str, findings: Sequence[Finding]) -> list[tuple[Finding, FixProposal]]:
    """The preferred fix of each finding, skipping those that overlap one already chosen."""
    document = parse_document(text)
    chosen: list[tuple[Finding, FixProposal]] = []
    edits: list[TextEdit] = []
    for finding in findings:
        proposal = next(iter(proposals(document, finding)), None)
        if proposal is None or not proposal.preferred:
            continue
        if set(proposal.edits) <= set(edits):
            continue  # the same fix, offered for another finding
        if edits_conflict([*edits, *proposal.edits]):
            continue  # the next round sees it again, on the fixed text
        chosen.append((finding, proposal))
        edits.extend(proposal.edits)
    return chosen
