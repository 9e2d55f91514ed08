"""Data-pipeline and reproducibility extraction (DAT4xx, REP6xx)."""

from __future__ import annotations

from dl_lsp.extract.context import ExtractionContext
from dl_lsp.facts.pipeline import PipelineFacts


def extract_pipeline(context: ExtractionContext) -> PipelineFacts:
    """Pipeline facts of one file."""
    return PipelineFacts()
