"""Everything the extractors learned about one source file."""

from __future__ import annotations

from dataclasses import dataclass, field

from dl_lsp.facts.data import DataFacts, Evidence, InputType, ProblemType
from dl_lsp.facts.model import Framework, ModelFacts
from dl_lsp.facts.training import LossFact, TrainingFacts


@dataclass(frozen=True)
class ProgramFacts:
    models: tuple[ModelFacts, ...] = ()
    training: TrainingFacts = field(default_factory=TrainingFacts)
    data: DataFacts = field(default_factory=DataFacts)
    frameworks: frozenset[Framework] = frozenset()
    problem_type: ProblemType | None = None
    problem_type_evidence: Evidence | None = None
    input_type: InputType | None = None

    def losses_by_framework(self, torch: bool) -> list[LossFact]:
        """Losses of PyTorch (criteria) or of Keras (compile arguments)."""
        return [loss for loss in self.training.losses if (loss.framework == "torch") == torch]
