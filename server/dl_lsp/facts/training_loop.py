"""Training-loop facts (TRN3xx): the order of zero_grad/backward/step, evaluation mode, ..."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrainingLoopFacts:
    """Filled by ``extract.training_loop``; empty until that extractor reports something."""
