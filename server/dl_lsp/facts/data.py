"""What the program's data looks like: input type, classes, label encoding, normalisation."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from dl_lsp.facts.span import Span


class InputType(str, Enum):
    COLOR = "color"
    GRAYSCALE = "grayscale"
    TABULAR = "tabular"
    SEQUENCE = "sequence"


class ProblemType(str, Enum):
    BINARY = "binary"
    MULTICLASS = "multiclass"
    MULTILABEL = "multilabel"
    REGRESSION = "regression"


class LabelEncoding(str, Enum):
    ONE_HOT = "one_hot"
    INTEGER = "integer"


@dataclass(frozen=True)
class Evidence:
    """Why the extractor believes a data fact, and where."""

    reason: str
    span: Span


@dataclass(frozen=True)
class DatasetFact:
    """A dataset loaded by a known loader (``mnist.load_data()``, ``read_csv``, ...)."""

    name: str
    span: Span
    input_type: InputType | None = None
    num_classes: int | None = None
    problem_type: ProblemType | None = None


@dataclass(frozen=True)
class UnnormalizedInput:
    """A training input that reaches the model with its raw value range."""

    variable: str
    span: Span  # where it is fed to the model
    origin: Evidence  # where its raw values came from
    method: str  # 'fit', 'evaluate', 'predict', ...
    model: str | None = None  # the receiver of the call
    tabular: bool = False  # raw CSV features rather than raw pixels


@dataclass(frozen=True)
class DataFacts:
    input_type: InputType | None = None
    input_type_evidence: Evidence | None = None
    channels: int | None = None
    num_classes: int | None = None
    num_classes_evidence: Evidence | None = None
    label_encoding: LabelEncoding | None = None
    datasets: tuple[DatasetFact, ...] = ()
    unnormalized_inputs: tuple[UnnormalizedInput, ...] = ()
    # The number of input features for tabular data, when known.
    feature_count: int | None = None
