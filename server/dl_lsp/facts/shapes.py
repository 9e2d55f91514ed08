"""Tensor-shape facts (SHP5xx): the sizes that reach each layer, and the sizes layers declare."""

from __future__ import annotations

from dataclasses import dataclass

from dl_lsp.facts.data import Evidence
from dl_lsp.facts.model import LayerFact
from dl_lsp.facts.span import Span


@dataclass(frozen=True)
class InputSize:
    """The per-sample size of a model's input, and where it was learned."""

    dims: tuple[int, ...]  # (C, H, W) for images
    evidence: Evidence  # 'torch.randn(1, 3, 32, 32)', 'MNIST images', ...


@dataclass(frozen=True)
class SizeArgument:
    """A size argument of a layer call as written (``in_features``, ``units``, ...)."""

    name: str
    span: Span
    text: str  # the source of the argument: '400', '16 * 5 * 5', 'num_classes'
    literal: bool  # a plain integer literal: a quick fix may replace it
    # The value reads a parameter of the enclosing function (a constructor argument, say): the
    # caller decides it, so its default says nothing.
    from_caller: bool = False


@dataclass(frozen=True)
class LayerInputFact:
    """A PyTorch layer applied to a tensor whose size along the layer's input axis is traced.

    ``expects`` is what the layer declares (``in_features``, ``in_channels``, ``num_features``,
    ``input_size``); ``receives`` is what the traced data flow delivers; they need not differ.
    """

    model: str
    layer: LayerFact
    axis: str  # 'in_features', 'in_channels', 'num_features', 'normalized_shape', 'input_size'
    expects: int | None
    receives: int | None
    argument: SizeArgument | None  # where ``expects`` is written
    producer: LayerFact | None = None  # the layer that produced the incoming size
    # The per-sample shape a flatten collapsed into ``receives`` (a conv feature map, say).
    flattened: tuple[int, ...] | None = None
    # ``x.view(-1, 400)``: the flatten hard-codes its size; ``receives`` is then the written size.
    view_span: Span | None = None
    view_argument: SizeArgument | None = None
    # The layer reads the last axis of a feature map that was never flattened.
    unflattened: tuple[int | None, ...] | None = None
    input_size: InputSize | None = None  # what the trace started from, when known


@dataclass(frozen=True)
class RecurrentFact:
    """A Keras recurrent layer call (``LSTM``, ``GRU``, ``Bidirectional(LSTM(...))``)."""

    span: Span  # the layer as the model lists it (the wrapper for Bidirectional)
    return_sequences: bool | None  # None when the argument is not a literal
    inner_span: Span  # the call that takes ``return_sequences`` (inside a wrapper)


@dataclass(frozen=True)
class VocabularyFact:
    """An ``Embedding`` whose input dimension comes from a Keras ``Tokenizer``."""

    span: Span  # the Embedding call
    argument: SizeArgument  # its input_dim / num_embeddings argument
    source: str  # 'word_index' (len(tokenizer.word_index)) or 'num_words'
    source_span: Span  # where the vocabulary size is computed (the len() call, the Tokenizer)
    input_dim: int | None = None  # the resolved input dimension (num_words case)
    num_words: int | None = None  # the Tokenizer's num_words


@dataclass(frozen=True)
class ShapeFacts:
    """Filled by ``extract.shapes``."""

    layer_inputs: tuple[LayerInputFact, ...] = ()
    # Output sizes of Dense/Linear layers as written, keyed by the layer call's span.
    units_arguments: tuple[tuple[Span, SizeArgument], ...] = ()
    recurrent: tuple[RecurrentFact, ...] = ()
    vocabularies: tuple[VocabularyFact, ...] = ()
    # Keras ``Reshape`` target shapes (per sample), keyed by the layer call's span.
    reshapes: tuple[tuple[Span, tuple[int, ...]], ...] = ()
