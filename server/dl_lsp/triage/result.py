"""What a triage says, as typed data with one JSON shape (``dl-lsp triage --format json``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Evidence:
    """One signal that spoke for a bug type, with the weight it added."""

    signal: str  # "tag", "pattern", "diagnostic" or "similarity"
    bug_type: str
    weight: float
    detail: str


@dataclass(frozen=True)
class InformationItem:
    """An information category the report's type needs, and whether the report has it."""

    category: str
    confidence: float | None
    basis: str  # where the confidence comes from: "paper", "mined", "advice" or "prevalence"
    present: bool
    question: str | None = None


@dataclass(frozen=True)
class EditActionItem:
    """An edit action that reproduces bugs of the type, and whether ``dl-lsp repro`` can do it."""

    id: str
    name: str
    confidence: float | None
    basis: str
    performable: bool
    reason: str | None = None


@dataclass(frozen=True)
class DiagnosticItem:
    block: int
    line: int
    column: int
    code: str
    name: str
    bug_type: str
    severity: str
    message: str


@dataclass(frozen=True)
class TriageResult:
    bug_type: str
    confidence: float
    scores: dict[str, float]
    evidence: tuple[Evidence, ...]
    information: tuple[InformationItem, ...]
    edit_actions: tuple[EditActionItem, ...]
    performable_actions: tuple[str, ...]
    diagnostics: tuple[DiagnosticItem, ...]
    reason: str | None = None  # why the answer is unknown
    notes: tuple[str, ...] = ()
    title: str = ""

    def to_json(self) -> dict[str, Any]:
        """The JSON object of ``--format json`` and of the LSP command's ``result``."""
        return {
            "bug_type": self.bug_type,
            "confidence": round(self.confidence, 4),
            "reason": self.reason,
            "scores": {name: round(value, 4) for name, value in self.scores.items()},
            "evidence": [
                {
                    "signal": item.signal,
                    "bug_type": item.bug_type,
                    "weight": round(item.weight, 4),
                    "detail": item.detail,
                }
                for item in self.evidence
            ],
            "information": [
                {
                    "category": item.category,
                    "confidence": _rounded(item.confidence),
                    "basis": item.basis,
                    "present": item.present,
                    "question": item.question,
                }
                for item in self.information
            ],
            "edit_actions": [
                {
                    "id": item.id,
                    "name": item.name,
                    "confidence": _rounded(item.confidence),
                    "basis": item.basis,
                    "performable": item.performable,
                    "reason": item.reason,
                }
                for item in self.edit_actions
            ],
            "performable_actions": list(self.performable_actions),
            "diagnostics": [
                {
                    "block": item.block,
                    "line": item.line,
                    "column": item.column,
                    "code": item.code,
                    "name": item.name,
                    "bug_type": item.bug_type,
                    "severity": item.severity,
                    "message": item.message,
                }
                for item in self.diagnostics
            ],
            "notes": list(self.notes),
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
