"""Everything the extractors learned about one source file."""

from __future__ import annotations

from dataclasses import dataclass, field

from dl_lsp.facts.api_usage import ApiUsageFacts
from dl_lsp.facts.data import DataFacts, Evidence, InputType, ProblemType
from dl_lsp.facts.devices import DeviceFacts
from dl_lsp.facts.model import Framework, ModelFacts
from dl_lsp.facts.pipeline import PipelineFacts
from dl_lsp.facts.shapes import ShapeFacts
from dl_lsp.facts.training import TrainingFacts
from dl_lsp.facts.training_loop import TrainingLoopFacts


@dataclass(frozen=True)
class ProgramFacts:
    models: tuple[ModelFacts, ...] = ()
    training: TrainingFacts = field(default_factory=TrainingFacts)
    data: DataFacts = field(default_factory=DataFacts)
    frameworks: frozenset[Framework] = frozenset()
    problem_type: ProblemType | None = None
    problem_type_evidence: Evidence | None = None
    input_type: InputType | None = None
    devices: DeviceFacts = field(default_factory=DeviceFacts)
    training_loops: TrainingLoopFacts = field(default_factory=TrainingLoopFacts)
    pipeline: PipelineFacts = field(default_factory=PipelineFacts)
    shapes: ShapeFacts = field(default_factory=ShapeFacts)
    api: ApiUsageFacts = field(default_factory=ApiUsageFacts)
