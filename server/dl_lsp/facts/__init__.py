"""Typed facts: the meta-model that extractors fill and checks read."""

from dl_lsp.facts.data import (
    DataFacts,
    DatasetFact,
    Evidence,
    InputType,
    LabelEncoding,
    ProblemType,
    UnnormalizedInput,
)
from dl_lsp.facts.model import UNKNOWN_ACTIVATION, Framework, LayerFact, LayerKind, ModelFacts
from dl_lsp.facts.program import ProgramFacts
from dl_lsp.facts.span import Span
from dl_lsp.facts.training import (
    BatchSizeFact,
    FitCallFact,
    LossFact,
    OptimizerFact,
    TrainingFacts,
)

__all__ = [
    "UNKNOWN_ACTIVATION",
    "BatchSizeFact",
    "DataFacts",
    "DatasetFact",
    "Evidence",
    "FitCallFact",
    "Framework",
    "InputType",
    "LabelEncoding",
    "LayerFact",
    "LayerKind",
    "LossFact",
    "ModelFacts",
    "OptimizerFact",
    "ProblemType",
    "ProgramFacts",
    "Span",
    "TrainingFacts",
    "UnnormalizedInput",
]
