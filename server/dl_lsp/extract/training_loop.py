"""Training-loop extraction (TRN3xx)."""

from __future__ import annotations

from dl_lsp.extract.context import ExtractionContext
from dl_lsp.facts.training_loop import TrainingLoopFacts


def extract_training_loops(context: ExtractionContext) -> TrainingLoopFacts:
    """Training-loop facts of one file."""
    return TrainingLoopFacts()
