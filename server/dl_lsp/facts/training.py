"""Training set-up: loss, optimizer, learning rate, batch size."""

from __future__ import annotations

from dataclasses import dataclass

from dl_lsp.facts.span import Span


@dataclass(frozen=True)
class LossFact:
    """A loss as written: a Keras string or object, or a PyTorch criterion."""

    name: str  # canonical: 'binary_crossentropy', 'categorical_crossentropy', 'mse', 'CrossEntropyLoss', ...
    span: Span
    from_logits: bool = False
    model: str | None = None
    written: str = ""  # as spelled in the source: 'CrossEntropyLoss', 'binary_crossentropy'
    is_string: bool = False  # a string literal such as 'mse' (a quick fix can replace it)
    framework: str = "keras"  # 'keras' (compile) or 'torch' (a criterion)


@dataclass(frozen=True)
class OptimizerFact:
    name: str
    span: Span
    learning_rate: float | None = None
    learning_rate_span: Span | None = None
    # 'lr' or 'learning_rate' as written, None when the default is used.
    learning_rate_keyword: str | None = None
    model: str | None = None


@dataclass(frozen=True)
class BatchSizeFact:
    value: int
    span: Span
    # 'fit', 'DataLoader', 'flow', ... where the batch size was given.
    source: str
    # True when the value is implicit (e.g. DataLoader's default of 1), so the span is the call.
    implicit: bool = False
    model: str | None = None


@dataclass(frozen=True)
class FitCallFact:
    """A training or evaluation call with its data arguments (``fit``, ``evaluate``, ``predict``)."""

    method: str
    span: Span
    model: str | None
    x_name: str | None
    x_span: Span | None
    y_name: str | None = None
    validation_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrainingFacts:
    losses: tuple[LossFact, ...] = ()
    optimizers: tuple[OptimizerFact, ...] = ()
    batch_sizes: tuple[BatchSizeFact, ...] = ()
    fit_calls: tuple[FitCallFact, ...] = ()
    metrics: tuple[str, ...] = ()
