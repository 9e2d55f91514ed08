"""Evidence → bug type and confidence, with an honest ``unknown`` below the calibrated threshold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dl_lsp.findings import BugType
from dl_lsp.triage.result import UNKNOWN, Evidence


@dataclass(frozen=True)
class Decision:
    bug_type: str
    confidence: float
    scores: dict[str, float]
    best: str | None  # the best type even when the answer is unknown


def decide(evidence: Sequence[Evidence], prior_mass: float, unknown_below: float) -> Decision:
    """Sum the evidence per type; confidence = best / (all + prior mass)."""
    scores = {bug_type.value: 0.0 for bug_type in BugType}
    for item in evidence:
        scores[item.bug_type] += item.weight
    total = sum(scores.values())
    if total <= 0:
        return Decision(UNKNOWN, 0.0, scores, None)
    best = max(scores, key=lambda name: scores[name])
    confidence = scores[best] / (total + prior_mass)
    return Decision(best if confidence >= unknown_below else UNKNOWN, confidence, scores, best)
