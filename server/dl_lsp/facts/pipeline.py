"""Data-pipeline and reproducibility facts (DAT4xx, REP6xx): shuffling, scaling, seeds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PipelineFacts:
    """Filled by ``extract.pipeline``; empty until that extractor reports something."""
